using Dapper;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Events;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Core.UseCases;
using ResolutionGateway.Core.Webhooks;
using ResolutionGateway.Infrastructure.Tests.TestSupport;

namespace ResolutionGateway.Infrastructure.Tests.Storage;

[Collection(SqliteCollection.Name)]
public sealed class OutboxContractTestsSqlite(SqliteStoreFixture fixture) : OutboxContractTests<SqliteStoreFixture>(fixture);

[Collection(MySqlCollection.Name)]
public sealed class OutboxContractTestsMySql(MySqlStoreFixture fixture) : OutboxContractTests<MySqlStoreFixture>(fixture);

/// <summary>
/// The webhook deliveries an <see cref="IDisputeStore"/> queues in the transaction of the change
/// whose events they carry (the outbox). Each test has merchants and channels of its own and a
/// region prefix no other test uses (81xx, 82), since regulator endpoints match by region.
/// </summary>
public abstract class OutboxContractTests<TFixture>(TFixture fixture) where TFixture : StoreFixture
{
    private readonly IDisputeStore _store = fixture.Disputes;
    private readonly IWebhookStore _webhooks = fixture.Webhooks;

    private static CancellationToken Ct => CancellationToken.None;

    /// <summary>A merchant, a channel and a region, with endpoints: those that match and those that must not.</summary>
    private sealed record Audience(
        string MerchantId, string ChannelId, string RegionCode,
        WebhookEndpoint Merchant, WebhookEndpoint Channel, WebhookEndpoint Regulator, WebhookEndpoint OtherMerchant, WebhookEndpoint Disabled);

    private async Task<Audience> AudienceAsync(string regionCode)
    {
        var merchant = Samples.Unique("m");
        var channel = Samples.Unique("ch");
        var at = Samples.Now();
        return new Audience(merchant, channel, regionCode,
            await _webhooks.AddEndpointAsync(WebhookOwnerKind.Merchant, merchant, at),
            await _webhooks.AddEndpointAsync(WebhookOwnerKind.Channel, channel, at),
            await _webhooks.AddEndpointAsync(WebhookOwnerKind.Regulator, regionCode[..4], at),
            await _webhooks.AddEndpointAsync(WebhookOwnerKind.Merchant, Samples.Unique("m"), at),
            await _webhooks.AddEndpointAsync(WebhookOwnerKind.Merchant, merchant, at, enabled: false));
    }

    [Fact]
    public async Task CreateAsync_EnrolledMerchant_QueuesOpeningOncePerMatchingEnabledEndpoint()
    {
        var a = await AudienceAsync("810101");
        var change = Samples.Open(a.ChannelId, Samples.Unique("c"), a.MerchantId, a.RegionCode);
        var id = change.State.DisputeId;

        await _store.CreateAsync(change, Samples.OpenRequest(change), Ct);

        Assert.Equal([(id, 1L, "opened")], await _webhooks.QueuedAsync(a.Merchant.EndpointId));
        Assert.Equal([(id, 1L, "opened")], await _webhooks.QueuedAsync(a.Channel.EndpointId));
        Assert.Empty(await _webhooks.QueuedAsync(a.Regulator.EndpointId));
        Assert.Empty(await _webhooks.QueuedAsync(a.OtherMerchant.EndpointId));
        Assert.Empty(await _webhooks.QueuedAsync(a.Disabled.EndpointId));
        var delivery = Assert.Single(await _webhooks.ListDeliveriesAsync(a.Merchant.EndpointId, null, id, null, 10, Ct));
        var opened = change.Events[0].OccurredAt;
        Assert.Equal(new WebhookDelivery
        {
            EndpointId = a.Merchant.EndpointId,
            DisputeId = id,
            Seq = 1,
            EventType = "opened",
            Status = WebhookDeliveryStatus.Pending,
            Attempts = 0,
            CreatedAt = opened,
            NextAttemptAt = opened,
        }, delivery);
        Assert.Equal($"{id}/events/1", delivery.EventId);
    }

    [Fact]
    public async Task MutateAsync_BeforeAndAfterEscalation_RegulatorHearsFromTheEscalationOn()
    {
        var a = await AudienceAsync("810701");
        var open = Samples.Open(a.ChannelId, Samples.Unique("c"), a.MerchantId, a.RegionCode);
        var id = open.State.DisputeId;
        await _store.CreateAsync(open, Samples.OpenRequest(open), Ct);

        await _store.MutateAsync(id, Samples.Request(Samples.Unique("r")), d => DisputeRules.PostMessage(d, new Actor(ActorRole.Merchant, a.MerchantId),
            new PostMessageCommand(Samples.Unique("r"), id, "we will look into it", []), Samples.Now()), Ct);
        await _store.MutateAsync(id, Samples.Request(Samples.Unique("r")), d => DisputeRules.Escalate(d, new Actor(ActorRole.Consumer, d.Consumer.ConsumerRef),
            new EscalateDisputeCommand(Samples.Unique("r"), id, "not good enough"), Samples.Now()), Ct);
        await _store.MutateAsync(id, Samples.Request(Samples.Unique("r")), d => Samples.Post(d, "still waiting"), Ct);

        (string, long, string)[] all = [(id, 1, "opened"), (id, 2, "message_posted"), (id, 3, "escalated"), (id, 4, "message_posted")];
        Assert.Equal(all, await _webhooks.QueuedAsync(a.Merchant.EndpointId));
        Assert.Equal(all, await _webhooks.QueuedAsync(a.Channel.EndpointId));
        Assert.Equal(all[2..], await _webhooks.QueuedAsync(a.Regulator.EndpointId));
        Assert.Empty(await _webhooks.QueuedAsync(a.OtherMerchant.EndpointId));
        Assert.Empty(await _webhooks.QueuedAsync(a.Disabled.EndpointId));
    }

    [Fact]
    public async Task CreateAsync_MerchantNotEnrolled_RegulatorGetsTheEscalationNotTheOpening()
    {
        var a = await AudienceAsync("810201");
        var change = Samples.Open(a.ChannelId, Samples.Unique("c"), a.MerchantId, a.RegionCode, enrolled: false);
        var id = change.State.DisputeId;

        await _store.CreateAsync(change, Samples.OpenRequest(change), Ct);

        Assert.Equal([(id, 2L, "escalated")], await _webhooks.QueuedAsync(a.Regulator.EndpointId));
        Assert.Equal([(id, 1L, "opened"), (id, 2L, "escalated")], await _webhooks.QueuedAsync(a.Channel.EndpointId));
        Assert.Equal([(id, 1L, "opened"), (id, 2L, "escalated")], await _webhooks.QueuedAsync(a.Merchant.EndpointId));
        Assert.Empty(await _webhooks.QueuedAsync(a.OtherMerchant.EndpointId));
        Assert.Empty(await _webhooks.QueuedAsync(a.Disabled.EndpointId));
    }

    [Fact]
    public async Task FireTimerAsync_FirstResponseOverdue_QueuesTheEscalationToTheRegulator()
    {
        var a = await AudienceAsync("810301");
        var change = Samples.OpenAt(Samples.PastBand(), a.ChannelId, Samples.Unique("c"), a.MerchantId, a.RegionCode);
        var id = change.State.DisputeId;
        await _store.CreateAsync(change, Samples.OpenRequest(change), Ct);
        var dueAt = change.State.FirstResponseDueAt;

        var fired = await _store.FireTimerAsync(id, dueAt, d => DisputeRules.Tick(d, dueAt), Ct);

        Assert.NotNull(fired?.Applied);
        Assert.Equal([(id, 2L, "escalated")], await _webhooks.QueuedAsync(a.Regulator.EndpointId));
        Assert.Equal([(id, 1L, "opened"), (id, 2L, "escalated")], await _webhooks.QueuedAsync(a.Channel.EndpointId));
        var escalation = (await _webhooks.ListDeliveriesAsync(a.Regulator.EndpointId, null, id, null, 10, Ct))[0];
        Assert.Equal((dueAt, dueAt), (escalation.CreatedAt, escalation.NextAttemptAt!.Value));
    }

    [Fact]
    public async Task MutateAsync_DecideThrows_QueuesNothing()
    {
        var a = await AudienceAsync("810401");
        var open = Samples.Open(a.ChannelId, Samples.Unique("c"), a.MerchantId, a.RegionCode);
        var id = open.State.DisputeId;
        await _store.CreateAsync(open, Samples.OpenRequest(open), Ct);

        await Assert.ThrowsAsync<InvalidOperationException>(() => _store.MutateAsync(id, Samples.Request(Samples.Unique("r")), d =>
        {
            Samples.Post(d, "decided, then failed");
            throw new InvalidOperationException("no");
        }, Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => _store.FireTimerAsync(id, open.State.FirstResponseDueAt,
            _ => throw new InvalidOperationException("no"), Ct));

        Assert.Equal([(id, 1L, "opened")], await _webhooks.QueuedAsync(a.Merchant.EndpointId));
        Assert.Equal([(id, 1L, "opened")], await _webhooks.QueuedAsync(a.Channel.EndpointId));
        Assert.Empty(await _webhooks.QueuedAsync(a.Regulator.EndpointId));
        Assert.Equal(1L, (await _store.GetAsync(id, Ct))!.LastSeq);
    }

    [Fact]
    public async Task CreateAsync_EventInsertFails_QueuesNothingAndWritesNoTimer()
    {
        // The change writer plans the timer and the outbox rows ahead of the events (MySQL sends them
        // in one batch): when an event cannot be inserted, they must roll back with it.
        var a = await AudienceAsync("810501");
        var change = Samples.Open(a.ChannelId, Samples.Unique("c"), a.MerchantId, a.RegionCode);
        var id = change.State.DisputeId;
        var partition = FeedCursor.PartitionOf(id);
        var head = (await _store.ReadFeedHeadAsync(Ct))[partition];
        await using var c = await fixture.OpenConnectionAsync(Ct);
        // The key of the dispute's first event is taken, so its insert fails after the timer and the outbox rows.
        const string Block = """
            INSERT INTO dispute_events (dispute_id, seq, event_type, occurred_at, actor_role, actor_id, status_after, feed_partition,
                                        feed_position, channel_id, merchant_id, region_code, payload_json)
            VALUES (@Blocker, 1, 'opened', 0, 0, '', 0, @Partition, NULL, '', '', '', '{}')
            """;
        var blocker = id;
        await c.ExecuteAsync(Block, new { Blocker = blocker, Partition = partition });
        Exception? error;
        try
        {
            error = await Record.ExceptionAsync(() => _store.CreateAsync(change, Samples.OpenRequest(change), Ct));
        }
        finally
        {
            await c.ExecuteAsync("DELETE FROM dispute_events WHERE dispute_id = @Blocker", new { Blocker = blocker });
        }

        Assert.True(fixture.IsDuplicateKey(error), $"expected a duplicate key error, got {error}");
        Assert.Null(await _store.GetAsync(id, Ct));
        Assert.Empty(await _webhooks.QueuedAsync(a.Merchant.EndpointId));
        Assert.Empty(await _webhooks.QueuedAsync(a.Channel.EndpointId));
        Assert.Equal(0L, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM dispute_timers WHERE dispute_id = @Id", new { Id = id }));
        Assert.Equal(head, (await _store.ReadFeedHeadAsync(Ct))[partition]);
    }

    [Fact]
    public async Task CreateAsync_OrderAlreadyDisputed_QueuesNothingForTheRejectedDispute()
    {
        var a = await AudienceAsync("810601");
        var first = Samples.Open(a.ChannelId, Samples.Unique("c"), a.MerchantId, a.RegionCode);
        await _store.CreateAsync(first, Samples.OpenRequest(first), Ct);
        var second = Samples.Open(a.ChannelId, Samples.Unique("c"), a.MerchantId, a.RegionCode, orderId: first.State.Order.ChannelOrderId);

        var result = await _store.CreateAsync(second, Samples.OpenRequest(second), Ct);

        Assert.Equal(CreateOutcome.ActiveDisputeExists, result.Outcome);
        Assert.Equal([(first.State.DisputeId, 1L, "opened")], await _webhooks.QueuedAsync(a.Merchant.EndpointId));
        Assert.Equal([(first.State.DisputeId, 1L, "opened")], await _webhooks.QueuedAsync(a.Channel.EndpointId));
    }

    [Fact]
    public async Task CreateAsync_RegulatorPrefixes_MatchTwoFourAndSixDigitPrefixesOfTheRegion()
    {
        var at = Samples.Now();
        var matching = new[] { "82", "8201", "820106" };
        var other = new[] { "8202", "820107", "83", "8" };
        var endpoints = new Dictionary<string, WebhookEndpoint>();
        foreach (var prefix in matching.Concat(other))
        {
            endpoints[prefix] = await _webhooks.AddEndpointAsync(WebhookOwnerKind.Regulator, prefix, at);
        }
        var change = Samples.Open(Samples.Unique("ch"), Samples.Unique("c"), Samples.Unique("m"), "820106", enrolled: false);
        var id = change.State.DisputeId;

        await _store.CreateAsync(change, Samples.OpenRequest(change), Ct);

        foreach (var prefix in matching)
        {
            Assert.Equal([(id, 2L, "escalated")], await _webhooks.QueuedAsync(endpoints[prefix].EndpointId, id));
        }
        foreach (var prefix in other)
        {
            Assert.Empty(await _webhooks.QueuedAsync(endpoints[prefix].EndpointId));
        }
    }
}
