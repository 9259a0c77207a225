using System.Collections.Concurrent;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Core.Webhooks;
using ResolutionGateway.Infrastructure.Tests.TestSupport;

namespace ResolutionGateway.Infrastructure.Tests.Storage;

[Collection(SqliteCollection.Name)]
public sealed class WebhookStoreContractTestsSqlite(SqliteStoreFixture fixture) : WebhookStoreContractTests<SqliteStoreFixture>(fixture);

[Collection(MySqlCollection.Name)]
public sealed class WebhookStoreContractTestsMySql(MySqlStoreFixture fixture) : WebhookStoreContractTests<MySqlStoreFixture>(fixture);

/// <summary>
/// What every <see cref="IWebhookStore"/> must do, run on each backend. Deliveries come from the
/// dispute store's outbox: each test registers a merchant endpoint of its own and opens disputes
/// for that merchant. The store takes time as parameters; tests that ask what is due pass moments
/// of their own far in the past (<see cref="Samples.PastBand"/>), when nothing else is due.
/// </summary>
public abstract class WebhookStoreContractTests<TFixture>(TFixture fixture) where TFixture : StoreFixture
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_760_000_000_123);

    private readonly IWebhookStore _store = fixture.Webhooks;
    private readonly IDisputeStore _disputes = fixture.Disputes;

    private static CancellationToken Ct => CancellationToken.None;

    // ---- endpoints ----

    [Fact]
    public async Task InsertEndpointAsync_NewEndpoint_GetReturnsItAsStored()
    {
        var plain = WebhookSamples.Endpoint(WebhookOwnerKind.Merchant, Samples.Unique("m"), T0);
        var full = WebhookSamples.Endpoint(WebhookOwnerKind.Regulator, "3301", T0.AddMinutes(1), enabled: false) with
        {
            Description = "杭州市监局",
            PreviousSecret = "whsec_old",
            PreviousSecretExpiresAt = T0.AddDays(1),
            UpdatedAt = T0.AddHours(2),
        };

        await _store.InsertEndpointAsync(plain, Ct);
        await _store.InsertEndpointAsync(full, Ct);

        Assert.Equal(plain, await _store.GetEndpointAsync(plain.EndpointId, Ct));
        Assert.Equal(full, await _store.GetEndpointAsync(full.EndpointId, Ct));
        Assert.Null(await _store.GetEndpointAsync("whe_unknown", Ct));
        Assert.Null(await _store.GetEndpointAsync(plain.EndpointId.ToUpperInvariant(), Ct));
    }

    [Fact]
    public async Task ListEndpointsAsync_KindAndOwnerFilters_OldestFirst()
    {
        var owner = Samples.Unique("o");
        var merchantLate = WebhookSamples.Endpoint(WebhookOwnerKind.Merchant, owner, T0.AddMinutes(3));
        var channel = WebhookSamples.Endpoint(WebhookOwnerKind.Channel, owner, T0.AddMinutes(2));
        var merchantEarly = WebhookSamples.Endpoint(WebhookOwnerKind.Merchant, owner, T0.AddMinutes(1));
        var otherMerchant = WebhookSamples.Endpoint(WebhookOwnerKind.Merchant, Samples.Unique("o"), T0);
        var mine = new[] { merchantLate, channel, merchantEarly, otherMerchant };
        foreach (var e in mine)
        {
            await _store.InsertEndpointAsync(e, Ct);
        }
        async Task<WebhookEndpoint[]> ListAsync(WebhookOwnerKind? kind, string? ownerId) =>
            [.. (await _store.ListEndpointsAsync(kind, ownerId, Ct)).Where(e => mine.Any(m => m.EndpointId == e.EndpointId))];

        Assert.Equal([otherMerchant, merchantEarly, channel, merchantLate], await ListAsync(null, null));
        Assert.Equal([otherMerchant, merchantEarly, merchantLate], await ListAsync(WebhookOwnerKind.Merchant, null));
        Assert.Equal([merchantEarly, merchantLate], await ListAsync(WebhookOwnerKind.Merchant, owner));
        Assert.Equal([channel], await ListAsync(WebhookOwnerKind.Channel, owner));
        Assert.Equal([merchantEarly, channel, merchantLate], await ListAsync(null, owner));
        Assert.Empty(await ListAsync(WebhookOwnerKind.Regulator, owner));
        Assert.Empty(await _store.ListEndpointsAsync(WebhookOwnerKind.Merchant, Samples.Unique("nobody"), Ct));
    }

    [Fact]
    public async Task UpdateEndpointAsync_RotatedSecretThenDisabled_StoresFieldsAndDeadLettersPendingQueue()
    {
        var t = Samples.PastBand();
        var (merchant, endpoint) = await MerchantEndpointAsync(t);
        var x = await OpenAsync(merchant, t);
        await PostAsync(x.DisputeId, t.AddSeconds(1));
        var y = await OpenAsync(merchant, t.AddSeconds(2));
        // x/1 delivered; x/2 and y/1 pending.
        var claimed = Assert.Single(await _store.ClaimDueAsync(endpoint.EndpointId, t, t.AddMinutes(1), 10, Ct));
        Assert.True(await _store.CompleteAsync(claimed, new DeliveryOutcome.Delivered(t.AddMilliseconds(10), 200), t, Ct));
        var rotated = endpoint with
        {
            Url = "https://hooks.example.test/v2",
            Description = "rotated",
            Secret = "whsec_new",
            PreviousSecret = endpoint.Secret,
            PreviousSecretExpiresAt = t.AddDays(1),
            UpdatedAt = t.AddMinutes(5),
        };

        var whileEnabled = await _store.UpdateEndpointAsync(rotated, Ct);
        var storedRotated = await _store.GetEndpointAsync(endpoint.EndpointId, Ct);
        var disabled = rotated with { Enabled = false, DisabledReason = "operator", UpdatedAt = t.AddMinutes(6) };
        var deadLettered = await _store.UpdateEndpointAsync(disabled, Ct);

        Assert.Equal(0L, whileEnabled);
        Assert.Equal(rotated, storedRotated);
        Assert.Equal(2L, deadLettered);
        Assert.Equal(disabled, await _store.GetEndpointAsync(endpoint.EndpointId, Ct));
        var deliveries = await _store.ListDeliveriesAsync(endpoint.EndpointId, null, null, null, 10, Ct);
        Assert.Equal([(x.DisputeId, 1L, WebhookDeliveryStatus.Delivered), (x.DisputeId, 2L, WebhookDeliveryStatus.DeadLettered), (y.DisputeId, 1L, WebhookDeliveryStatus.DeadLettered)],
            deliveries.Select(d => (d.DisputeId, d.Seq, d.Status)));
        Assert.All(deliveries.Where(d => d.Status == WebhookDeliveryStatus.DeadLettered), d =>
        {
            Assert.Equal("endpoint disabled: operator", d.DeadLetterReason);
            Assert.Null(d.NextAttemptAt);
        });
        Assert.Empty(await _store.ClaimDueAsync(endpoint.EndpointId, t.AddDays(1), t.AddDays(2), 10, Ct));
    }

    [Fact]
    public async Task DeleteEndpointAsync_KnownThenAgainThenUnknown_CountThenNull()
    {
        var t = Samples.PastBand();
        var (merchant, endpoint) = await MerchantEndpointAsync(t);
        var x = await OpenAsync(merchant, t);
        await PostAsync(x.DisputeId, t.AddSeconds(1));
        var claimed = Assert.Single(await _store.ClaimDueAsync(endpoint.EndpointId, t, t.AddMinutes(1), 10, Ct));
        await _store.CompleteAsync(claimed, new DeliveryOutcome.Delivered(t, 204), t, Ct);
        await OpenAsync(merchant, t.AddSeconds(2));

        var deleted = await _store.DeleteEndpointAsync(endpoint.EndpointId, t.AddMinutes(1), Ct);
        var again = await _store.DeleteEndpointAsync(endpoint.EndpointId, t.AddMinutes(1), Ct);
        var unknown = await _store.DeleteEndpointAsync("whe_unknown", t, Ct);

        Assert.Equal(2L, deleted);
        Assert.Null(again);
        Assert.Null(unknown);
        Assert.Null(await _store.GetEndpointAsync(endpoint.EndpointId, Ct));
        Assert.DoesNotContain(endpoint.EndpointId, (await _store.ListEndpointsAsync(null, null, Ct)).Select(e => e.EndpointId));
        var deliveries = await _store.ListDeliveriesAsync(endpoint.EndpointId, null, null, null, 10, Ct);
        Assert.Equal([WebhookDeliveryStatus.Delivered, WebhookDeliveryStatus.DeadLettered, WebhookDeliveryStatus.DeadLettered], deliveries.Select(d => d.Status));
        Assert.Equal(["", "endpoint deleted", "endpoint deleted"], deliveries.Select(d => d.DeadLetterReason));
        // A deleted endpoint hears nothing more.
        await OpenAsync(merchant, t.AddSeconds(3));
        Assert.Equal(3, (await _store.ListDeliveriesAsync(endpoint.EndpointId, null, null, null, 10, Ct)).Count);
    }

    // ---- claims ----

    [Fact]
    public async Task ClaimDueAsync_DueRow_CountsAnAttemptAndLeasesItUntilTheLeaseEnds()
    {
        var t = Samples.PastBand();
        var (merchant, endpoint) = await MerchantEndpointAsync(t);
        var x = await OpenAsync(merchant, t);
        var now = t.AddSeconds(1);
        var lease = now.AddMinutes(1);

        var early = await _store.ClaimDueAsync(endpoint.EndpointId, t.AddMilliseconds(-1), t.AddMinutes(1), 10, Ct);
        var first = await _store.ClaimDueAsync(endpoint.EndpointId, now, lease, 10, Ct);
        var stored = await DeliveryAsync(endpoint, x.DisputeId, 1);
        var duringLease = await _store.ClaimDueAsync(endpoint.EndpointId, lease.AddMilliseconds(-1), lease.AddMinutes(1), 10, Ct);
        var afterLease = await _store.ClaimDueAsync(endpoint.EndpointId, lease, lease.AddMinutes(1), 10, Ct);

        Assert.Empty(early);
        var claim = Assert.Single(first);
        Assert.Equal((x.DisputeId, 1L, "opened"), (claim.Delivery.DisputeId, claim.Delivery.Seq, claim.Delivery.EventType));
        Assert.Equal((WebhookDeliveryStatus.Pending, 1, now, lease), (claim.Delivery.Status, claim.Delivery.Attempts, claim.Delivery.FirstAttemptAt, claim.Delivery.NextAttemptAt));
        Assert.False(string.IsNullOrEmpty(claim.LeaseToken));
        Assert.Equal(claim.Delivery, stored);
        Assert.Empty(duringLease);
        var reclaim = Assert.Single(afterLease);
        Assert.Equal((2, now, lease.AddMinutes(1)), (reclaim.Delivery.Attempts, reclaim.Delivery.FirstAttemptAt, reclaim.Delivery.NextAttemptAt));
        Assert.NotEqual(claim.LeaseToken, reclaim.LeaseToken);
        Assert.Equal(reclaim.Delivery, await DeliveryAsync(endpoint, x.DisputeId, 1));
    }

    [Fact]
    public async Task ClaimDueAsync_ThreeEventsOfOneDispute_OnlyTheOldestPendingIsClaimable()
    {
        var t = Samples.PastBand();
        var (merchant, endpoint) = await MerchantEndpointAsync(t);
        var x = await OpenAsync(merchant, t);
        await PostAsync(x.DisputeId, t.AddSeconds(1));
        await PostAsync(x.DisputeId, t.AddSeconds(2));
        var now = t.AddSeconds(10);
        async Task<long[]> ClaimSeqsAsync(DateTimeOffset at) =>
            [.. (await _store.ClaimDueAsync(endpoint.EndpointId, at, at.AddMinutes(1), 10, Ct)).Select(c => c.Delivery.Seq)];

        var one = Assert.Single(await _store.ClaimDueAsync(endpoint.EndpointId, now, now.AddMinutes(1), 10, Ct));
        var whileOneLeased = await ClaimSeqsAsync(now);
        await _store.CompleteAsync(one, new DeliveryOutcome.Delivered(now, 200), now, Ct);
        var two = Assert.Single(await _store.ClaimDueAsync(endpoint.EndpointId, now, now.AddMinutes(1), 10, Ct));
        // A retry of seq 2 holds seq 3 back until seq 2 is settled.
        await _store.CompleteAsync(two, new DeliveryOutcome.Retry(now.AddMinutes(5), 503, "unavailable"), now, Ct);
        var whileTwoBacksOff = await ClaimSeqsAsync(now.AddMinutes(4));
        var twoAgain = Assert.Single(await _store.ClaimDueAsync(endpoint.EndpointId, now.AddMinutes(5), now.AddMinutes(6), 10, Ct));
        await _store.CompleteAsync(twoAgain, new DeliveryOutcome.DeadLetter("gave up", 400, "bad request", DisableEndpoint: false), now.AddMinutes(5), Ct);
        var afterDeadLetter = await ClaimSeqsAsync(now.AddMinutes(5));

        Assert.Equal(1L, one.Delivery.Seq);
        Assert.Empty(whileOneLeased);
        Assert.Equal(2L, two.Delivery.Seq);
        Assert.Empty(whileTwoBacksOff);
        Assert.Equal((2L, 2), (twoAgain.Delivery.Seq, twoAgain.Delivery.Attempts));
        Assert.Equal([3L], afterDeadLetter);
    }

    [Fact]
    public async Task ClaimDueAsync_SeveralDisputes_ClaimedTogetherMostOverdueFirstWithinLimit()
    {
        var t = Samples.PastBand();
        var (merchant, endpoint) = await MerchantEndpointAsync(t);
        var z = await OpenAsync(merchant, t.AddSeconds(2));
        var x = await OpenAsync(merchant, t);
        var y = await OpenAsync(merchant, t.AddSeconds(1));
        var now = t.AddSeconds(10);

        var first = await _store.ClaimDueAsync(endpoint.EndpointId, now, now.AddMinutes(1), 2, Ct);
        var second = await _store.ClaimDueAsync(endpoint.EndpointId, now, now.AddMinutes(1), 2, Ct);
        var third = await _store.ClaimDueAsync(endpoint.EndpointId, now, now.AddMinutes(1), 2, Ct);

        Assert.Equal([x.DisputeId, y.DisputeId], first.Select(c => c.Delivery.DisputeId));
        Assert.Equal([z.DisputeId], second.Select(c => c.Delivery.DisputeId));
        Assert.Empty(third);
        Assert.Equal(3, first.Concat(second).Select(c => c.LeaseToken).Distinct().Count());
    }

    [Fact]
    public async Task ClaimDueAsync_OtherEndpoint_NotClaimed()
    {
        var t = Samples.PastBand();
        var (merchant, endpoint) = await MerchantEndpointAsync(t);
        var channel = Samples.Unique("ch");
        var channelEndpoint = await _store.AddEndpointAsync(WebhookOwnerKind.Channel, channel, t);
        var change = Samples.OpenAt(t, channel, Samples.Unique("c"), merchant, "330106");
        await _disputes.CreateAsync(change, Samples.OpenRequest(change), Ct);

        var forMerchant = await _store.ClaimDueAsync(endpoint.EndpointId, t, t.AddMinutes(1), 10, Ct);
        var forChannel = await _store.ClaimDueAsync(channelEndpoint.EndpointId, t, t.AddMinutes(1), 10, Ct);

        Assert.Equal(endpoint.EndpointId, Assert.Single(forMerchant).Delivery.EndpointId);
        Assert.Equal(channelEndpoint.EndpointId, Assert.Single(forChannel).Delivery.EndpointId);
    }

    [Fact]
    public async Task ClaimDueAsync_TwoClaimersAtOnce_NeverTheSameDeliveryTwice()
    {
        var t = Samples.PastBand();
        var (merchant, endpoint) = await MerchantEndpointAsync(t);
        var ids = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            ids.Add((await OpenAsync(merchant, t.AddMilliseconds(i % 3))).DisputeId);
        }
        var now = t.AddMinutes(1);
        var claims = new ConcurrentBag<(int Claimer, string DisputeId, long Seq)>();

        using var start = new Barrier(2);
        var claimers = Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
        {
            start.SignalAndWait();
            while (true)
            {
                var batch = await _store.ClaimDueAsync(endpoint.EndpointId, now, now.AddHours(1), 4, Ct);
                if (batch.Count == 0)
                {
                    return;
                }
                foreach (var c in batch)
                {
                    claims.Add((w, c.Delivery.DisputeId, c.Delivery.Seq));
                }
            }
        })).ToArray();
        await Task.WhenAll(claimers);
        // Whatever a claimer skipped while the other held it is claimable now, once.
        foreach (var c in await _store.ClaimDueAsync(endpoint.EndpointId, now, now.AddHours(1), 100, Ct))
        {
            claims.Add((-1, c.Delivery.DisputeId, c.Delivery.Seq));
        }

        var keys = claims.Select(c => (c.DisputeId, c.Seq)).ToArray();
        Assert.Equal(keys.Length, keys.Distinct().Count());
        Assert.Equal(ids.Order(), keys.Select(k => k.DisputeId).Order());
        Assert.All(await _store.ListDeliveriesAsync(endpoint.EndpointId, null, null, null, 100, Ct), d => Assert.Equal(1, d.Attempts));
    }

    // ---- outcomes ----

    [Fact]
    public async Task CompleteAsync_Delivered_RecordsDeliveryAndReleasesTheLease()
    {
        var (endpoint, claim, now) = await ClaimOneAsync();

        var completed = await _store.CompleteAsync(claim, new DeliveryOutcome.Delivered(now.AddMilliseconds(250), 200), now.AddMilliseconds(250), Ct);
        var twice = await _store.CompleteAsync(claim, new DeliveryOutcome.Retry(now.AddMinutes(1), 500, "late"), now.AddSeconds(1), Ct);

        Assert.True(completed);
        Assert.False(twice);
        var stored = await DeliveryAsync(endpoint, claim.Delivery.DisputeId, 1);
        Assert.Equal(claim.Delivery with
        {
            Status = WebhookDeliveryStatus.Delivered,
            DeliveredAt = now.AddMilliseconds(250),
            NextAttemptAt = null,
            LastHttpStatus = 200,
        }, stored);
        Assert.Empty(await _store.ClaimDueAsync(endpoint.EndpointId, now.AddDays(1), now.AddDays(2), 10, Ct));
    }

    [Fact]
    public async Task CompleteAsync_Retry_StaysPendingUntilTheNextAttempt()
    {
        var (endpoint, claim, now) = await ClaimOneAsync();
        var next = now.AddMinutes(2);

        var completed = await _store.CompleteAsync(claim, new DeliveryOutcome.Retry(next, 503, "Service Unavailable"), now, Ct);

        Assert.True(completed);
        var stored = await DeliveryAsync(endpoint, claim.Delivery.DisputeId, 1);
        Assert.Equal(claim.Delivery with { NextAttemptAt = next, LastHttpStatus = 503, LastError = "Service Unavailable" }, stored);
        Assert.Empty(await _store.ClaimDueAsync(endpoint.EndpointId, next.AddMilliseconds(-1), next.AddMinutes(1), 10, Ct));
        var retry = Assert.Single(await _store.ClaimDueAsync(endpoint.EndpointId, next, next.AddMinutes(1), 10, Ct));
        Assert.Equal((2, claim.Delivery.FirstAttemptAt), (retry.Delivery.Attempts, retry.Delivery.FirstAttemptAt));
    }

    [Fact]
    public async Task CompleteAsync_DeadLetter_GivesUpOnThatDeliveryOnly()
    {
        var t = Samples.PastBand();
        var (merchant, endpoint) = await MerchantEndpointAsync(t);
        var x = await OpenAsync(merchant, t);
        var y = await OpenAsync(merchant, t.AddSeconds(5));
        var claim = Assert.Single(await _store.ClaimDueAsync(endpoint.EndpointId, t.AddSeconds(1), t.AddMinutes(1), 10, Ct));

        var completed = await _store.CompleteAsync(claim, new DeliveryOutcome.DeadLetter("rejected: 400", 400, "Bad Request", DisableEndpoint: false), t.AddSeconds(2), Ct);

        Assert.True(completed);
        Assert.Equal(claim.Delivery with
        {
            Status = WebhookDeliveryStatus.DeadLettered,
            NextAttemptAt = null,
            LastHttpStatus = 400,
            LastError = "Bad Request",
            DeadLetterReason = "rejected: 400",
        }, await DeliveryAsync(endpoint, x.DisputeId, 1));
        Assert.Equal(WebhookDeliveryStatus.Pending, (await DeliveryAsync(endpoint, y.DisputeId, 1)).Status);
        Assert.True((await _store.GetEndpointAsync(endpoint.EndpointId, Ct))!.Enabled);
    }

    [Fact]
    public async Task CompleteAsync_DeadLetterDisablingTheEndpoint_DisablesItAndDeadLettersItsQueue()
    {
        var t = Samples.PastBand();
        var (merchant, endpoint) = await MerchantEndpointAsync(t);
        var x = await OpenAsync(merchant, t);
        var y = await OpenAsync(merchant, t.AddSeconds(5));
        await PostAsync(y.DisputeId, t.AddSeconds(6));
        var claim = Assert.Single(await _store.ClaimDueAsync(endpoint.EndpointId, t.AddSeconds(1), t.AddMinutes(1), 10, Ct));
        var now = t.AddSeconds(2);

        var completed = await _store.CompleteAsync(claim, new DeliveryOutcome.DeadLetter("410 Gone", 410, "Gone", DisableEndpoint: true), now, Ct);

        Assert.True(completed);
        var stored = await _store.GetEndpointAsync(endpoint.EndpointId, Ct);
        Assert.Equal(endpoint with { Enabled = false, DisabledReason = "410 Gone", UpdatedAt = now }, stored);
        var deliveries = await _store.ListDeliveriesAsync(endpoint.EndpointId, null, null, null, 10, Ct);
        Assert.Equal([(x.DisputeId, 1L, "410 Gone"), (y.DisputeId, 1L, "endpoint disabled: 410 Gone"), (y.DisputeId, 2L, "endpoint disabled: 410 Gone")],
            deliveries.Select(d => (d.DisputeId, d.Seq, d.DeadLetterReason)));
        Assert.All(deliveries, d => Assert.Equal(WebhookDeliveryStatus.DeadLettered, d.Status));
        Assert.DoesNotContain(endpoint.EndpointId, await _store.FindDueEndpointsAsync(t.AddDays(1), 1000, Ct));
        // Disabled endpoints are not queued for.
        await OpenAsync(merchant, t.AddSeconds(7));
        Assert.Equal(3, (await _store.ListDeliveriesAsync(endpoint.EndpointId, null, null, null, 10, Ct)).Count);
    }

    // Regression tests (MySQL): CompleteAsync with DeadLetter { DisableEndpoint: true } used to lock its own delivery
    // row, then the endpoint row, then the endpoint's other pending rows; concurrent 410 completions (or an
    // operator's UpdateEndpointAsync/DeleteEndpointAsync, endpoint row first) then deadlocked.
    [Fact]
    public async Task CompleteAsync_ConcurrentAttemptsAnswered410_EndpointDisabledAndQueueDeadLetteredWithoutError()
    {
        // A gone endpoint answers 410 to every attempt in flight (the dispatcher runs several per endpoint).
        for (var round = 0; round < 20; round++)
        {
            var t = Samples.PastBand();
            var (merchant, endpoint) = await MerchantEndpointAsync(t);
            for (var i = 0; i < 4; i++)
            {
                await OpenAsync(merchant, t.AddMilliseconds(i));
            }
            await OpenAsync(merchant, t.AddSeconds(5));
            var claims = await _store.ClaimDueAsync(endpoint.EndpointId, t.AddSeconds(1), t.AddMinutes(1), 4, Ct);
            Assert.Equal(4, claims.Count);
            using var start = new Barrier(claims.Count);

            var results = await Task.WhenAll(claims.Select(c => Task.Run(async () =>
            {
                start.SignalAndWait();
                return await _store.CompleteAsync(c, new DeliveryOutcome.DeadLetter("answered 410 Gone", 410, "410 Gone", DisableEndpoint: true), t.AddSeconds(2), Ct);
            })));

            // Whoever commits first disables the endpoint and dead-letters the rest (their completions find their lease gone).
            Assert.Contains(true, results);
            Assert.False((await _store.GetEndpointAsync(endpoint.EndpointId, Ct))!.Enabled);
            Assert.All(await _store.ListDeliveriesAsync(endpoint.EndpointId, null, null, null, 10, Ct), d => Assert.Equal(WebhookDeliveryStatus.DeadLettered, d.Status));
        }
    }

    [Fact]
    public async Task CompleteAsync_Answered410WhileAnOperatorDisablesTheEndpoint_BothSucceedWithoutError()
    {
        for (var round = 0; round < 20; round++)
        {
            var t = Samples.PastBand();
            var (merchant, endpoint) = await MerchantEndpointAsync(t);
            for (var i = 0; i < 3; i++)
            {
                await OpenAsync(merchant, t.AddMilliseconds(i));
            }
            var claim = Assert.Single(await _store.ClaimDueAsync(endpoint.EndpointId, t.AddSeconds(1), t.AddMinutes(1), 1, Ct));
            using var start = new Barrier(2);

            var completion = Task.Run(async () =>
            {
                start.SignalAndWait();
                return await _store.CompleteAsync(claim, new DeliveryOutcome.DeadLetter("answered 410 Gone", 410, "410 Gone", DisableEndpoint: true), t.AddSeconds(2), Ct);
            });
            var update = Task.Run(async () =>
            {
                start.SignalAndWait();
                return await _store.UpdateEndpointAsync(endpoint with { Enabled = false, DisabledReason = "operator", UpdatedAt = t.AddSeconds(2) }, Ct);
            });
            await Task.WhenAll(completion, update);

            Assert.False((await _store.GetEndpointAsync(endpoint.EndpointId, Ct))!.Enabled);
            Assert.All(await _store.ListDeliveriesAsync(endpoint.EndpointId, null, null, null, 10, Ct), d => Assert.Equal(WebhookDeliveryStatus.DeadLettered, d.Status));
        }
    }

    [Fact]
    public async Task CompleteAsync_StaleLeaseToken_FalseAndChangesNothing()
    {
        var (endpoint, stale, now) = await ClaimOneAsync();
        var leaseEnd = stale.Delivery.NextAttemptAt!.Value;
        // The lease ran out and another node took the delivery over.
        var current = Assert.Single(await _store.ClaimDueAsync(endpoint.EndpointId, leaseEnd, leaseEnd.AddMinutes(1), 10, Ct));

        var delivered = await _store.CompleteAsync(stale, new DeliveryOutcome.Delivered(leaseEnd, 200), leaseEnd, Ct);
        var retried = await _store.CompleteAsync(stale, new DeliveryOutcome.Retry(leaseEnd.AddHours(1), 500, "x"), leaseEnd, Ct);
        var gone = await _store.CompleteAsync(stale, new DeliveryOutcome.DeadLetter("410 Gone", 410, "Gone", DisableEndpoint: true), leaseEnd, Ct);
        var unchanged = await DeliveryAsync(endpoint, stale.Delivery.DisputeId, 1);
        var forged = await _store.CompleteAsync(current with { LeaseToken = "" }, new DeliveryOutcome.Delivered(leaseEnd, 200), leaseEnd, Ct);
        var byCurrentHolder = await _store.CompleteAsync(current, new DeliveryOutcome.Delivered(leaseEnd, 200), leaseEnd, Ct);

        Assert.False(delivered);
        Assert.False(retried);
        Assert.False(gone);
        Assert.Equal(current.Delivery, unchanged);
        Assert.True((await _store.GetEndpointAsync(endpoint.EndpointId, Ct))!.Enabled);
        Assert.False(forged);
        Assert.True(byCurrentHolder);
        Assert.Equal(WebhookDeliveryStatus.Delivered, (await DeliveryAsync(endpoint, stale.Delivery.DisputeId, 1)).Status);
    }

    [Fact]
    public async Task CompleteAsync_ErrorAndReasonLongerThanTheColumns_StoredAsAPrefix()
    {
        // Exception messages and endpoint answers can be long; recording them must not fail the completion.
        var (endpoint, claim, now) = await ClaimOneAsync();
        var error = string.Concat(Enumerable.Repeat("连接被重置 connection reset; ", 80));
        var reason = string.Concat(Enumerable.Repeat("gave up: 410 Gone ", 60));

        var retried = await _store.CompleteAsync(claim, new DeliveryOutcome.Retry(now.AddMinutes(1), 0, error), now, Ct);
        var afterRetry = await DeliveryAsync(endpoint, claim.Delivery.DisputeId, 1);
        var again = Assert.Single(await _store.ClaimDueAsync(endpoint.EndpointId, now.AddMinutes(1), now.AddMinutes(2), 10, Ct));
        var gone = await _store.CompleteAsync(again, new DeliveryOutcome.DeadLetter(reason, 410, error, DisableEndpoint: true), now.AddMinutes(1), Ct);
        var afterDeadLetter = await DeliveryAsync(endpoint, claim.Delivery.DisputeId, 1);
        var disabled = await _store.GetEndpointAsync(endpoint.EndpointId, Ct);

        Assert.True(retried);
        Assert.True(gone);
        Assert.NotEmpty(afterRetry.LastError);
        Assert.StartsWith(afterRetry.LastError, error, StringComparison.Ordinal);
        Assert.NotEmpty(afterDeadLetter.DeadLetterReason);
        Assert.StartsWith(afterDeadLetter.DeadLetterReason, reason, StringComparison.Ordinal);
        Assert.StartsWith(afterDeadLetter.LastError, error, StringComparison.Ordinal);
        Assert.False(disabled!.Enabled);
        Assert.NotEmpty(disabled.DisabledReason);
        Assert.StartsWith(disabled.DisabledReason, reason, StringComparison.Ordinal);
    }

    // ---- scans, lists, redelivery ----

    [Fact]
    public async Task FindDueEndpointsAsync_SeveralEndpoints_ThoseWithDueRowsMostOverdueFirst()
    {
        var t = Samples.PastBand();
        var (m1, e1) = await MerchantEndpointAsync(t);
        var (m2, e2) = await MerchantEndpointAsync(t);
        var (m3, e3) = await MerchantEndpointAsync(t);
        var (future, eFuture) = await MerchantEndpointAsync(t);
        var (leasedOnly, eLeasedOnly) = await MerchantEndpointAsync(t);
        var (blocked, eBlocked) = await MerchantEndpointAsync(t);
        await OpenAsync(m2, t);
        await OpenAsync(m1, t.AddSeconds(1));
        await OpenAsync(m3, t.AddSeconds(2));
        await OpenAsync(future, t.AddHours(1));
        await OpenAsync(leasedOnly, t.AddSeconds(3));
        var b = await OpenAsync(blocked, t.AddSeconds(4));
        await PostAsync(b.DisputeId, t.AddSeconds(5));
        var now = t.AddSeconds(10);
        await _store.ClaimDueAsync(eLeasedOnly.EndpointId, now, now.AddMinutes(1), 10, Ct);
        Assert.Single(await _store.ClaimDueAsync(eBlocked.EndpointId, now, now.AddMinutes(1), 10, Ct));
        var mine = new[] { e1, e2, e3, eFuture, eLeasedOnly, eBlocked }.Select(e => e.EndpointId).ToArray();

        var due = await _store.FindDueEndpointsAsync(now, 1000, Ct);
        var limited = await _store.FindDueEndpointsAsync(now, 2, Ct);
        var beforeAny = await _store.FindDueEndpointsAsync(t.AddMilliseconds(-1), 1000, Ct);

        // The blocked endpoint's seq 2 is due although it waits behind its leased seq 1: listed
        // (a claim then finds nothing), as documented.
        Assert.Equal([e2.EndpointId, e1.EndpointId, e3.EndpointId, eBlocked.EndpointId], due.Intersect(mine));
        Assert.Equal([e2.EndpointId, e1.EndpointId, e3.EndpointId, eBlocked.EndpointId], due);
        Assert.Equal([e2.EndpointId, e1.EndpointId], limited);
        Assert.Empty(beforeAny.Intersect(mine));
        Assert.Empty(await _store.ClaimDueAsync(eBlocked.EndpointId, now, now.AddMinutes(1), 10, Ct));
    }

    [Fact]
    public async Task ListDeliveriesAsync_PagesStatusAndDisputeFilters_ByDisputeThenSeq()
    {
        var t = Samples.PastBand();
        var (merchant, endpoint) = await MerchantEndpointAsync(t);
        var x = await OpenAsync(merchant, t);
        var y = await OpenAsync(merchant, t.AddSeconds(1));
        await PostAsync(y.DisputeId, t.AddSeconds(2));
        await PostAsync(x.DisputeId, t.AddSeconds(3));
        var claimed = await _store.ClaimDueAsync(endpoint.EndpointId, t.AddSeconds(1), t.AddMinutes(1), 1, Ct);
        await _store.CompleteAsync(Assert.Single(claimed), new DeliveryOutcome.Delivered(t.AddSeconds(1), 200), t.AddSeconds(1), Ct);
        Task<IReadOnlyList<WebhookDelivery>> ListAsync(WebhookDeliveryStatus? status = null, string? disputeId = null, (string, long)? after = null, int limit = 100) =>
            _store.ListDeliveriesAsync(endpoint.EndpointId, status, disputeId, after, limit, Ct);
        static (string, long)[] Keys(IEnumerable<WebhookDelivery> page) => [.. page.Select(d => (d.DisputeId, d.Seq))];

        var page1 = await ListAsync(limit: 3);
        var page2 = await ListAsync(after: (page1[^1].DisputeId, page1[^1].Seq), limit: 3);
        var page3 = await ListAsync(after: (page2[^1].DisputeId, page2[^1].Seq), limit: 3);

        Assert.Equal([(x.DisputeId, 1L), (x.DisputeId, 2L), (y.DisputeId, 1L)], Keys(page1));
        Assert.Equal([(y.DisputeId, 2L)], Keys(page2));
        Assert.Empty(page3);
        Assert.Equal([(x.DisputeId, 1L)], Keys(await ListAsync(WebhookDeliveryStatus.Delivered)));
        Assert.Equal([(x.DisputeId, 2L), (y.DisputeId, 1L), (y.DisputeId, 2L)], Keys(await ListAsync(WebhookDeliveryStatus.Pending)));
        Assert.Empty(await ListAsync(WebhookDeliveryStatus.DeadLettered));
        Assert.Equal([(y.DisputeId, 1L), (y.DisputeId, 2L)], Keys(await ListAsync(disputeId: y.DisputeId)));
        Assert.Equal([(y.DisputeId, 2L)], Keys(await ListAsync(WebhookDeliveryStatus.Pending, y.DisputeId, (y.DisputeId, 1))));
        Assert.Equal([(x.DisputeId, 2L)], Keys(await ListAsync(WebhookDeliveryStatus.Pending, limit: 1)));
        Assert.Empty(await _store.ListDeliveriesAsync("whe_unknown", null, null, null, 10, Ct));
    }

    [Fact]
    public async Task RedeliverAsync_DeadLettersAndOneDeliveredEvent_QueuedAgainFromScratch()
    {
        var t = Samples.PastBand();
        var (merchant, endpoint) = await MerchantEndpointAsync(t);
        var x = await OpenAsync(merchant, t);
        await PostAsync(x.DisputeId, t.AddSeconds(1));
        var y = await OpenAsync(merchant, t.AddSeconds(2));
        var now = t.AddSeconds(10);
        // x/1 and y/1 dead-lettered, then x/2 delivered.
        foreach (var c in await _store.ClaimDueAsync(endpoint.EndpointId, now, now.AddMinutes(1), 10, Ct))
        {
            await _store.CompleteAsync(c, new DeliveryOutcome.DeadLetter("gave up", 500, "boom", DisableEndpoint: false), now, Ct);
        }
        var x2 = Assert.Single(await _store.ClaimDueAsync(endpoint.EndpointId, now, now.AddMinutes(1), 10, Ct));
        await _store.CompleteAsync(x2, new DeliveryOutcome.Delivered(now, 200), now, Ct);
        var at = now.AddMinutes(5);

        var oneDispute = await _store.RedeliverAsync(endpoint.EndpointId, x.DisputeId, null, at, Ct);
        var allDead = await _store.RedeliverAsync(endpoint.EndpointId, null, null, at, Ct);
        var nothingDead = await _store.RedeliverAsync(endpoint.EndpointId, null, null, at, Ct);
        var delivered = await _store.RedeliverAsync(endpoint.EndpointId, x.DisputeId, 2, at, Ct);
        var pendingSeq = await _store.RedeliverAsync(endpoint.EndpointId, y.DisputeId, 1, at, Ct);
        var unknown = await _store.RedeliverAsync("whe_unknown", null, null, at, Ct);

        Assert.Equal((1L, 1L, 0L, 1L, 0L, 0L), (oneDispute, allDead, nothingDead, delivered, pendingSeq, unknown));
        var deliveries = await _store.ListDeliveriesAsync(endpoint.EndpointId, null, null, null, 10, Ct);
        Assert.Equal(3, deliveries.Count);
        Assert.All(deliveries, d =>
        {
            Assert.Equal(WebhookDeliveryStatus.Pending, d.Status);
            Assert.Equal(0, d.Attempts);
            Assert.Null(d.FirstAttemptAt);
            Assert.Equal(at, d.NextAttemptAt);
            Assert.Null(d.DeliveredAt);
            Assert.Equal("", d.DeadLetterReason);
        });
        // Queued again in order: x/1 first (x/2 waits for it), and y/1.
        var claims = await _store.ClaimDueAsync(endpoint.EndpointId, at, at.AddMinutes(1), 10, Ct);
        Assert.Equal([(x.DisputeId, 1L), (y.DisputeId, 1L)], claims.Select(c => (c.Delivery.DisputeId, c.Delivery.Seq)));
        Assert.All(claims, c => Assert.Equal((1, at), (c.Delivery.Attempts, c.Delivery.FirstAttemptAt!.Value)));
    }

    // ---- helpers ----

    private async Task<(string MerchantId, WebhookEndpoint Endpoint)> MerchantEndpointAsync(DateTimeOffset at)
    {
        var merchant = Samples.Unique("m");
        return (merchant, await _store.AddEndpointAsync(WebhookOwnerKind.Merchant, merchant, at));
    }

    // A dispute of the merchant opened at `at`: its merchant endpoints get seq 1, due at `at`.
    private async Task<Dispute> OpenAsync(string merchantId, DateTimeOffset at)
    {
        var change = Samples.OpenAt(at, Samples.Unique("ch"), Samples.Unique("c"), merchantId, "330106");
        Assert.Equal(CreateOutcome.Created, (await _disputes.CreateAsync(change, Samples.OpenRequest(change), Ct)).Outcome);
        return change.State;
    }

    private async Task PostAsync(string disputeId, DateTimeOffset at) =>
        Assert.NotNull((await _disputes.MutateAsync(disputeId, Samples.Request(Samples.Unique("p")), d => Samples.PostAt(d, "more", at), Ct))?.Applied);

    private async Task<WebhookDelivery> DeliveryAsync(WebhookEndpoint endpoint, string disputeId, long seq) =>
        Assert.Single(await _store.ListDeliveriesAsync(endpoint.EndpointId, null, disputeId, null, 100, Ct), d => d.Seq == seq);

    // One dispute's opening, claimed once at a second after it was queued, leased for a minute.
    private async Task<(WebhookEndpoint Endpoint, ClaimedDelivery Claim, DateTimeOffset Now)> ClaimOneAsync()
    {
        var t = Samples.PastBand();
        var (merchant, endpoint) = await MerchantEndpointAsync(t);
        await OpenAsync(merchant, t);
        var now = t.AddSeconds(1);
        var claim = Assert.Single(await _store.ClaimDueAsync(endpoint.EndpointId, now, now.AddMinutes(1), 10, Ct));
        return (endpoint, claim, now);
    }
}
