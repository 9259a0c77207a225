using Dapper;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Events;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Infrastructure.Tests.TestSupport;

namespace ResolutionGateway.Infrastructure.Tests.Storage;

[Collection(SqliteCollection.Name)]
public sealed class DisputeStoreContractTestsSqlite(SqliteStoreFixture fixture) : DisputeStoreContractTests<SqliteStoreFixture>(fixture);

[Collection(MySqlCollection.Name)]
public sealed class DisputeStoreContractTestsMySql(MySqlStoreFixture fixture) : DisputeStoreContractTests<MySqlStoreFixture>(fixture);

/// <summary>
/// What every <see cref="IDisputeStore"/> must do, run on each backend. The tests of a backend share
/// one database, so each works on disputes, orders and regions of its own.
/// </summary>
public abstract class DisputeStoreContractTests<TFixture>(TFixture fixture) where TFixture : StoreFixture
{
    private readonly IDisputeStore _store = fixture.Disputes;

    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public void InitializeAsync_FreshDatabase_ListsAndAppliesEveryMigration()
    {
        var all = fixture.AllMigrations.Select(m => m.Version).ToArray();

        var pending = fixture.PendingBeforeStart.Select(m => m.Version);
        var applied = fixture.AppliedOnStart.Select(m => m.Version);

        Assert.NotEmpty(all);
        Assert.Equal(all, pending);
        Assert.Equal(all, applied);
    }

    [Fact]
    public async Task InitializeAsync_AlreadyMigrated_AppliesNothing()
    {
        var again = await fixture.InitializeAgainAsync(Ct);
        var pending = await fixture.PendingMigrationsAsync(Ct);

        Assert.Empty(again);
        Assert.Empty(pending);
        await using var c = await fixture.OpenConnectionAsync(Ct);
        Assert.Equal(fixture.AllMigrations.Count, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations"));
        Assert.Equal(FeedCursor.Partitions, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM feed_partitions"));
    }

    [Fact]
    public async Task CreateAsync_NewDispute_StoresStateEventsFeedAndRequest()
    {
        var change = Samples.Open("ch-create", Samples.Unique("c"), "m-create", "330106", enrolled: false);
        var request = Samples.OpenRequest(change);
        var partition = FeedCursor.PartitionOf(change.State.DisputeId);
        await SequenceAsync(); // what earlier tests committed
        var headBefore = (await _store.ReadFeedHeadAsync(Ct))[partition];

        var result = await _store.CreateAsync(change, request, Ct);

        Assert.Equal(CreateOutcome.Created, result.Outcome);
        Assert.Null(result.ExistingDisputeId);
        // Not enrolled: opened + escalated by the system, two events, committed without a position
        // (0), which the sequencer's next pass gives: two consecutive positions.
        Assert.Equal(2, change.Events.Count);
        Assert.All(result.Feed, f => Assert.Equal((partition, 0L), (f.Partition, f.Position)));
        Assert.Equal(headBefore, (await _store.ReadFeedHeadAsync(Ct))[partition]);
        await SequenceAsync();
        var feed = (await _store.ReadFeedAsync(partition, headBefore, VisibilityScope.All, 10, Ct)).Entries;
        Assert.Equal([headBefore + 1, headBefore + 2], feed.Select(f => f.Position));
        Assert.All(feed, f => Assert.Equal(change.State.DisputeId, f.Event.DisputeId));
        Assert.Equal(headBefore + 2, (await _store.ReadFeedHeadAsync(Ct))[partition]);
        var stored = await _store.GetAsync(change.State.DisputeId, Ct);
        Assert.NotNull(stored);
        Assert.Equal(Samples.Json(change.State), Samples.Json(stored));
        var events = await _store.ReadEventsAsync(change.State.DisputeId, 0, 10, Ct);
        Assert.Equal([1L, 2L], events.Select(e => e.Seq));
        Assert.Equal(change.Events.Select(e => e.Detail.Type), events.Select(e => e.Detail.Type));
        Assert.Equal(change.Events.Select(e => (e.Actor, e.StatusAfter, e.OccurredAt)), events.Select(e => (e.Actor, e.StatusAfter, e.OccurredAt)));
        Assert.Equal(DisputeStatus.Escalated, events[1].StatusAfter);
        Assert.Equal([2L], (await _store.ReadEventsAsync(change.State.DisputeId, 1, 10, Ct)).Select(e => e.Seq));
        Assert.Single(await _store.ReadEventsAsync(change.State.DisputeId, 0, 1, Ct));
        Assert.Equal(request, await _store.FindRequestAsync(request.PartyKey, request.RequestId, Ct));
        Assert.Null(await _store.FindRequestAsync(request.PartyKey, "other", Ct));
        Assert.Null(await _store.GetAsync("dsp_unknown", Ct));
        Assert.Empty(await _store.ReadEventsAsync("dsp_unknown", 0, 10, Ct));
    }

    [Fact]
    public async Task CreateAsync_SameRequestAgain_DuplicateRequestAndNothingStored()
    {
        var first = Samples.Open("ch-dup", Samples.Unique("c"), "m-dup", "330106");
        var request = Samples.OpenRequest(first);
        await _store.CreateAsync(first, request, Ct);
        // A retry re-decides: new dispute id, same order (collides on the order key first).
        var retrySameOrder = Samples.Open("ch-dup", first.State.Consumer.ConsumerRef, "m-dup", "330106", orderId: first.State.Order.ChannelOrderId);
        // A reused request id for another order (collides on the request key only).
        var otherOrder = Samples.Open("ch-dup", first.State.Consumer.ConsumerRef, "m-dup", "330106");

        var a = await _store.CreateAsync(retrySameOrder, request with { DisputeId = retrySameOrder.State.DisputeId }, Ct);
        var b = await _store.CreateAsync(otherOrder, request with { DisputeId = otherOrder.State.DisputeId }, Ct);

        Assert.Equal(CreateOutcome.DuplicateRequest, a.Outcome);
        Assert.Empty(a.Feed);
        Assert.Null(a.ExistingDisputeId);
        Assert.Equal(CreateOutcome.DuplicateRequest, b.Outcome);
        Assert.Null(await _store.GetAsync(retrySameOrder.State.DisputeId, Ct));
        Assert.Null(await _store.GetAsync(otherOrder.State.DisputeId, Ct));
        Assert.Empty(await _store.ReadEventsAsync(otherOrder.State.DisputeId, 0, 10, Ct));
        Assert.Equal(first.State.DisputeId, (await _store.FindRequestAsync(request.PartyKey, request.RequestId, Ct))!.DisputeId);
    }

    [Fact]
    public async Task CreateAsync_OrderHasActiveDispute_ActiveDisputeExistsWithItsIdUntilClosed()
    {
        var first = Samples.Open("ch-active", Samples.Unique("c"), "m-active", "330106");
        await _store.CreateAsync(first, Samples.OpenRequest(first), Ct);
        var second = Samples.Open("ch-active", Samples.Unique("c"), "m-active", "330106", orderId: first.State.Order.ChannelOrderId);
        var secondRequest = Samples.OpenRequest(second);
        var partition = FeedCursor.PartitionOf(second.State.DisputeId);
        var head = (await _store.ReadFeedHeadAsync(Ct))[partition];

        var blocked = await _store.CreateAsync(second, secondRequest, Ct);

        Assert.Equal(CreateOutcome.ActiveDisputeExists, blocked.Outcome);
        Assert.Equal(first.State.DisputeId, blocked.ExistingDisputeId);
        Assert.Empty(blocked.Feed);
        Assert.Null(await _store.FindRequestAsync(secondRequest.PartyKey, secondRequest.RequestId, Ct));
        Assert.Equal(head, (await _store.ReadFeedHeadAsync(Ct))[partition]);

        // Closing the first frees the order.
        await _store.MutateAsync(first.State.DisputeId, Samples.Request(Samples.Unique("w")), Samples.Withdraw, Ct);
        var third = Samples.Open("ch-active", Samples.Unique("c"), "m-active", "330106", orderId: first.State.Order.ChannelOrderId);
        Assert.Equal(CreateOutcome.Created, (await _store.CreateAsync(third, Samples.OpenRequest(third), Ct)).Outcome);
    }

    [Fact]
    public async Task CreateAsync_RacingOpensOfOneOrder_OneCreatedOthersSeeIt()
    {
        var orderId = Samples.Unique("ord");
        var consumer = Samples.Unique("c");
        var retryRequestId = Samples.Unique("req");
        // 10 different requests and 10 copies of one request, all for the same order, at once.
        var attempts = Enumerable.Range(0, 20).Select(i =>
        {
            var change = Samples.Open("ch-race", consumer, "m-race", "330106", orderId: orderId);
            return (change, request: Samples.OpenRequest(change, i < 10 ? Samples.Unique("req") : retryRequestId));
        }).ToArray();

        var results = await Task.WhenAll(attempts.Select(a => Task.Run(() => _store.CreateAsync(a.change, a.request, Ct))));

        var created = Assert.Single(results, r => r.Outcome == CreateOutcome.Created);
        var winner = attempts[Array.IndexOf(results, created)].change.State.DisputeId;
        Assert.All(results.Where(r => r.Outcome == CreateOutcome.ActiveDisputeExists), r => Assert.Equal(winner, r.ExistingDisputeId));
        // Copies of the winning request (if it was the shared one) are duplicates, everything else sees the active dispute.
        var winnerIsRetry = Array.IndexOf(results, created) >= 10;
        Assert.Equal(winnerIsRetry ? 9 : 0, results.Count(r => r.Outcome == CreateOutcome.DuplicateRequest));
    }

    [Fact]
    public async Task CreateAsync_EventInsertFailsInsideTheBatch_EverythingRolledBack()
    {
        var change = Samples.Open("ch-fail", Samples.Unique("c"), "m-fail", "330106", enrolled: false);
        var request = Samples.OpenRequest(change);
        var partition = FeedCursor.PartitionOf(change.State.DisputeId);
        var head = (await _store.ReadFeedHeadAsync(Ct))[partition];
        await using var c = await fixture.OpenConnectionAsync(Ct);
        // Occupy the key of the create's second event, so its insert fails after the dispute row,
        // the request record, the timer, the outbox and the first event went in.
        const string Block = """
            INSERT INTO dispute_events (dispute_id, seq, event_type, occurred_at, actor_role, actor_id, status_after, feed_partition,
                                        feed_position, channel_id, merchant_id, region_code, payload_json)
            VALUES (@DisputeId, 2, 'opened', 0, 0, '', 0, @Partition, NULL, '', '', '', '{}')
            """;
        await c.ExecuteAsync(Block, new { change.State.DisputeId, Partition = partition });
        try
        {
            var error = await Record.ExceptionAsync(() => _store.CreateAsync(change, request, Ct));

            Assert.True(fixture.IsDuplicateKey(error), $"expected a duplicate key error, got {error}");
            Assert.Equal(head, (await _store.ReadFeedHeadAsync(Ct))[partition]);
            Assert.Null(await _store.GetAsync(change.State.DisputeId, Ct));
            Assert.Null(await _store.FindRequestAsync(request.PartyKey, request.RequestId, Ct));
            // Only the blocker is left: the first event went with the rest.
            Assert.Equal(1, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM dispute_events WHERE dispute_id = @DisputeId", new { change.State.DisputeId }));
            Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM dispute_timers WHERE dispute_id = @DisputeId", new { change.State.DisputeId }));
            Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM webhook_deliveries WHERE dispute_id = @DisputeId", new { change.State.DisputeId }));
        }
        finally
        {
            await c.ExecuteAsync("DELETE FROM dispute_events WHERE dispute_id = @DisputeId", new { change.State.DisputeId });
        }
        Assert.Equal(CreateOutcome.Created, (await _store.CreateAsync(change, request, Ct)).Outcome);
    }

    [Fact]
    public async Task MutateAsync_UnknownDispute_ReturnsNull()
    {
        var called = false;

        var result = await _store.MutateAsync("dsp_00000000000000000000000000", Samples.Request(Samples.Unique("r")),
            d => { called = true; return Samples.Post(d, "x"); }, Ct);

        Assert.Null(result);
        Assert.False(called);
    }

    [Fact]
    public async Task MutateAsync_RequestSeenBefore_DuplicateWithoutDeciding()
    {
        var open = Samples.Open("ch-mut", Samples.Unique("c"), "m-mut", "330106");
        await _store.CreateAsync(open, Samples.OpenRequest(open), Ct);
        var request = Samples.Request(Samples.Unique("r"), party: "merchant:m-mut");
        var applied = await _store.MutateAsync(open.State.DisputeId, request, d => Samples.Post(d, "first"), Ct);
        var called = false;

        var again = await _store.MutateAsync(open.State.DisputeId, request with { CreatedAt = Samples.Now().AddSeconds(1) },
            d => { called = true; return Samples.Post(d, "second"); }, Ct);

        Assert.NotNull(applied?.Applied);
        Assert.Null(applied.Duplicate);
        Assert.Equal(2L, applied.Applied.State.LastSeq);
        var feedEntry = Assert.Single(applied.Feed);
        Assert.Equal(2L, feedEntry.Event.Seq);
        Assert.NotNull(again);
        Assert.False(called);
        Assert.Null(again.Applied);
        Assert.Empty(again.Feed);
        Assert.Equal(request with { DisputeId = open.State.DisputeId, Seq = 2 }, again.Duplicate);
        Assert.Equal(2L, (await _store.GetAsync(open.State.DisputeId, Ct))!.LastSeq);
        Assert.Equal(DisputeStatus.AwaitingMerchant, (await _store.GetAsync(open.State.DisputeId, Ct))!.Status);
        // Request ids belong to a party: another party may reuse one.
        var other = await _store.MutateAsync(open.State.DisputeId, request with { PartyKey = "channel:ch-mut" }, d => Samples.Post(d, "third"), Ct);
        Assert.NotNull(other?.Applied);
    }

    [Fact]
    public async Task MutateAsync_RequestSeenBeforeOnUnknownDispute_DuplicateOfTheFirstDispute()
    {
        var open = Samples.Open("ch-mut2", Samples.Unique("c"), "m-mut2", "330106");
        await _store.CreateAsync(open, Samples.OpenRequest(open), Ct);
        var request = Samples.Request(Samples.Unique("r"));
        await _store.MutateAsync(open.State.DisputeId, request, d => Samples.Post(d, "first"), Ct);

        var result = await _store.MutateAsync("dsp_00000000000000000000000000", request, d => Samples.Post(d, "x"), Ct);

        Assert.Equal(open.State.DisputeId, result?.Duplicate?.DisputeId);
    }

    [Fact]
    public async Task MutateAsync_DecideThrows_NothingWrittenAndExceptionPropagates()
    {
        var open = Samples.Open("ch-throw", Samples.Unique("c"), "m-throw", "330106");
        await _store.CreateAsync(open, Samples.OpenRequest(open), Ct);
        var partition = FeedCursor.PartitionOf(open.State.DisputeId);
        var head = (await _store.ReadFeedHeadAsync(Ct))[partition];
        var request = Samples.Request(Samples.Unique("r"));

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            _store.MutateAsync(open.State.DisputeId, request, _ => throw new InvalidOperationException("no"), Ct));

        Assert.Equal("no", e.Message);
        Assert.Equal(1L, (await _store.GetAsync(open.State.DisputeId, Ct))!.LastSeq);
        Assert.Single(await _store.ReadEventsAsync(open.State.DisputeId, 0, 10, Ct));
        Assert.Null(await _store.FindRequestAsync(request.PartyKey, request.RequestId, Ct));
        Assert.Equal(head, (await _store.ReadFeedHeadAsync(Ct))[partition]);
        // The lock was released: the next change goes through at once.
        var next = await _store.MutateAsync(open.State.DisputeId, request, d => Samples.Post(d, "ok"), Ct).WaitAsync(TimeSpan.FromSeconds(5), Ct);
        Assert.Equal(2L, next!.Applied!.State.LastSeq);
    }

    [Fact]
    public async Task MutateAsync_FiftyConcurrentMessages_SeqsAndPositionsContiguous()
    {
        var open = Samples.Open("ch-conc", Samples.Unique("c"), "m-conc", "330106");
        await _store.CreateAsync(open, Samples.OpenRequest(open), Ct);
        var id = open.State.DisputeId;
        var partition = FeedCursor.PartitionOf(id);

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() =>
            _store.MutateAsync(id, Samples.Request($"conc-{i}-{id}"), d => Samples.Post(d, $"message {i}"), Ct))));

        Assert.All(results, r => Assert.NotNull(r?.Applied));
        Assert.Equal(Enumerable.Range(2, 50).Select(i => (long)i), results.Select(r => r!.Applied!.State.LastSeq).Order());
        var events = await _store.ReadEventsAsync(id, 0, 100, Ct);
        Assert.Equal(Enumerable.Range(1, 51).Select(i => (long)i), events.Select(e => e.Seq));
        Assert.Equal(51L, (await _store.GetAsync(id, Ct))!.LastSeq);
        // Every message made it (no lost update): texts 0..49 each once.
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"message {i}").Order(),
            events.Skip(1).Select(e => ((MessagePosted)e.Detail).Text).Order());
        // Positions, once the sequencer ran: unique, increasing with seq, and the whole partition is
        // gap-free from 1 to head.
        Assert.All(results, r => Assert.Equal(0L, Assert.Single(r!.Feed).Position));
        await SequenceAsync();
        var all = await ReadWholePartitionAsync(partition, VisibilityScope.All, 1000);
        var feed = all.Where(f => f.Event.DisputeId == id && f.Event.Seq > 1).ToArray();
        Assert.Equal(50, feed.Select(f => f.Position).Distinct().Count());
        var bySeq = feed.OrderBy(f => f.Event.Seq).Select(f => f.Position).ToArray();
        Assert.Equal(bySeq.Order(), bySeq);
        var head = (await _store.ReadFeedHeadAsync(Ct))[partition];
        Assert.Equal(Enumerable.Range(1, (int)head).Select(i => (long)i), all.Select(f => f.Position));
    }

    [Fact]
    public async Task MutateAsync_SameRequestIdOnTwoDisputesAtOnce_OneAppliedOneDuplicate()
    {
        var a = Samples.Open("ch-x", Samples.Unique("c"), "m-x", "330106");
        var b = Samples.Open("ch-x", Samples.Unique("c"), "m-x", "330106");
        await _store.CreateAsync(a, Samples.OpenRequest(a), Ct);
        await _store.CreateAsync(b, Samples.OpenRequest(b), Ct);
        for (var round = 0; round < 10; round++)
        {
            var request = Samples.Request(Samples.Unique("shared"));

            var results = await Task.WhenAll(
                Task.Run(() => _store.MutateAsync(a.State.DisputeId, request, d => Samples.Post(d, "a"), Ct)),
                Task.Run(() => _store.MutateAsync(b.State.DisputeId, request, d => Samples.Post(d, "b"), Ct)));

            var applied = Assert.Single(results, r => r!.Applied is not null);
            var duplicate = Assert.Single(results, r => r!.Duplicate is not null);
            Assert.Equal(applied!.Applied!.State.DisputeId, duplicate!.Duplicate!.DisputeId);
        }
    }

    [Fact]
    public async Task ListAsync_ScopeAndFilters_NewestFirstKeysetPaged()
    {
        // Own region prefix 65 so other tests' disputes do not show up in region queries.
        var channel = Samples.Unique("ch");
        var merchant = Samples.Unique("m");
        var consumer = Samples.Unique("c");
        var opened = new List<DisputeChange>();
        foreach (var (ch, cons, m, region) in new[]
        {
            (channel, consumer, merchant, "650102"),
            (channel, consumer, merchant, "650103"),
            (channel, "other-consumer", merchant, "650201"),
            ("other-channel", consumer, merchant, "659001"),
            (channel, consumer, "other-merchant", "650102"),
        })
        {
            var change = Samples.Open(ch, cons, m, region);
            await _store.CreateAsync(change, Samples.OpenRequest(change), Ct);
            opened.Add(change);
            await Task.Delay(2, Ct); // distinct ULID milliseconds: creation order = id order
        }
        await _store.MutateAsync(opened[1].State.DisputeId, Samples.Request(Samples.Unique("w")), Samples.Withdraw, Ct);
        string[] Ids(IEnumerable<int> idx) => idx.Select(i => opened[i].State.DisputeId).ToArray();
        async Task<string[]> ListAsync(VisibilityScope scope, string? consumerRef = null, string? merchantId = null,
            DisputeStatus[]? statuses = null, string? before = null, int limit = 50) =>
            (await _store.ListAsync(new DisputeQuery(scope, consumerRef, merchantId, statuses ?? [], before, limit), Ct)).Select(d => d.DisputeId).ToArray();

        Assert.Equal(Ids([4, 1, 0]), await ListAsync(new VisibilityScope(channel, null, null), consumer));
        Assert.Equal(Ids([4, 2, 1, 0]), await ListAsync(new VisibilityScope(channel, null, null)));
        Assert.Equal(Ids([3, 2, 1, 0]), await ListAsync(new VisibilityScope(null, merchant, null)));
        Assert.Equal(Ids([3, 2, 1, 0]), await ListAsync(VisibilityScope.All, merchantId: merchant));
        Assert.Equal(Ids([2, 1, 0]), await ListAsync(new VisibilityScope(channel, null, null), merchantId: merchant));
        Assert.Empty(await ListAsync(new VisibilityScope(null, merchant, null), merchantId: "other-merchant"));
        Assert.Equal(Ids([2, 1, 0]), await ListAsync(new VisibilityScope(null, null, "65"), before: opened[3].State.DisputeId));
        Assert.Equal(Ids([4, 1, 0]), await ListAsync(new VisibilityScope(null, null, "6501")));
        Assert.Equal(Ids([4, 0]), await ListAsync(new VisibilityScope(null, null, "650102")));
        Assert.Equal(Ids([3]), await ListAsync(new VisibilityScope(null, null, "659")));
        Assert.Equal(Ids([1]), await ListAsync(new VisibilityScope(null, null, "65"), statuses: [DisputeStatus.Withdrawn]));
        Assert.Equal(Ids([4, 3, 2, 1, 0]), await ListAsync(new VisibilityScope(null, null, "65"),
            statuses: [DisputeStatus.Withdrawn, DisputeStatus.AwaitingMerchant]));
        Assert.Empty(await ListAsync(new VisibilityScope(null, null, "65"), statuses: [DisputeStatus.Resolved]));
        // Keyset paging: newest first, two at a time.
        var scope = new VisibilityScope(null, null, "65");
        var page1 = await ListAsync(scope, limit: 2);
        var page2 = await ListAsync(scope, limit: 2, before: page1[^1]);
        var page3 = await ListAsync(scope, limit: 2, before: page2[^1]);
        Assert.Equal(Ids([4, 3, 2, 1, 0]), page1.Concat(page2).Concat(page3));
        Assert.Single(page3);
    }

    [Fact]
    public async Task ReadFeedAsync_PagesAndScopes_ReadUpToCoversHiddenEntries()
    {
        // Put several disputes of two channels into one partition.
        var channel = Samples.Unique("chf");
        var merchant = Samples.Unique("mf");
        var mine = new List<DisputeChange>();
        var others = new List<DisputeChange>();
        var partition = -1;
        while (mine.Count < 5 || others.Count < 3)
        {
            var own = mine.Count < 5;
            var change = Samples.Open(own ? channel : "other-channel", Samples.Unique("c"), own ? merchant : "other-merchant", own ? "640102" : "330106");
            var p = FeedCursor.PartitionOf(change.State.DisputeId);
            if (partition < 0)
            {
                partition = p;
            }
            if (p != partition)
            {
                continue;
            }
            await SequenceAsync(); // what earlier tests committed
            var headBefore = (await _store.ReadFeedHeadAsync(Ct))[partition];
            var created = await _store.CreateAsync(change, Samples.OpenRequest(change), Ct);
            Assert.Single(created.Feed);
            await SequenceAsync();
            Assert.Equal(headBefore + 1, (await _store.ReadFeedHeadAsync(Ct))[partition]);
            (own ? mine : others).Add(change);
        }
        var heads = await _store.ReadFeedHeadAsync(Ct);
        Assert.Equal(FeedCursor.Partitions, heads.Length);
        var head = heads[partition];
        var start = head - 8; // our 8 entries are the last 8 of the partition

        var all = await _store.ReadFeedAsync(partition, start, VisibilityScope.All, 100, Ct);
        var byChannel = await _store.ReadFeedAsync(partition, start, new VisibilityScope(channel, null, null), 100, Ct);
        var byMerchant = await _store.ReadFeedAsync(partition, start, new VisibilityScope(null, merchant, null), 100, Ct);
        var byRegion = await _store.ReadFeedAsync(partition, start, new VisibilityScope(null, null, "64"), 100, Ct);
        var nothing = await _store.ReadFeedAsync(partition, start, new VisibilityScope("nobody", null, null), 100, Ct);
        var atHead = await _store.ReadFeedAsync(partition, head, VisibilityScope.All, 100, Ct);
        var beyond = await _store.ReadFeedAsync(partition, head + 10, VisibilityScope.All, 100, Ct);

        Assert.Equal(Enumerable.Range(1, 8).Select(i => start + i), all.Entries.Select(e => e.Position));
        Assert.Equal(head, all.ReadUpTo);
        var mineIds = mine.Select(m => m.State.DisputeId).ToArray();
        Assert.Equal(mineIds.Order(), byChannel.Entries.Select(e => e.Event.DisputeId).Order());
        Assert.All(byChannel.Entries, e => Assert.Equal((channel, merchant), (e.ChannelId, e.MerchantId)));
        Assert.Equal(head, byChannel.ReadUpTo);
        Assert.Equal(byChannel.Entries.Select(e => e.Position), byMerchant.Entries.Select(e => e.Position));
        Assert.Equal(byChannel.Entries.Select(e => e.Position), byRegion.Entries.Select(e => e.Position));
        Assert.All(byRegion.Entries, e => Assert.StartsWith("64", e.RegionCode));
        Assert.Empty(nothing.Entries);
        Assert.Equal(head, nothing.ReadUpTo);
        Assert.Empty(atHead.Entries);
        Assert.Equal(head, atHead.ReadUpTo);
        Assert.Equal(head + 10, beyond.ReadUpTo);
        var entry = all.Entries[0];
        Assert.Equal(partition, entry.Partition);
        Assert.Equal(1L, entry.Event.Seq);
        Assert.IsType<DisputeOpened>(entry.Event.Detail);

        // Paging by 3 under a scope: a full page ends at its last entry, the last page at the head.
        var pages = new List<FeedPage>();
        var after = start;
        while (true)
        {
            var page = await _store.ReadFeedAsync(partition, after, new VisibilityScope(channel, null, null), 3, Ct);
            pages.Add(page);
            Assert.True(page.ReadUpTo >= after);
            after = page.ReadUpTo;
            if (page.Entries.Count < 3)
            {
                break;
            }
        }
        Assert.Equal([3, 2], pages.Select(p => p.Entries.Count));
        Assert.Equal(pages[0].Entries[^1].Position, pages[0].ReadUpTo);
        Assert.Equal(head, pages[^1].ReadUpTo);
        Assert.Equal(byChannel.Entries.Select(e => e.Position), pages.SelectMany(p => p.Entries).Select(e => e.Position));
    }

    [Fact]
    public async Task ReadFeedAsync_WhileWritersCommit_NeverSkipsAPosition()
    {
        // Writers open and post in every partition while two sequencers position what they commit
        // and a reader tails each partition in small pages.
        using var stop = new CancellationTokenSource();
        using var writing = new CancellationTokenSource();
        var start = await _store.ReadFeedHeadAsync(Ct);
        var sequencers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            while (!writing.IsCancellationRequested)
            {
                await fixture.Sequencer.SequenceAsync(Ct);
                await Task.Yield();
            }
        })).ToArray();
        var writers = Enumerable.Range(0, 16).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 12; i++)
            {
                var change = Samples.Open("ch-tail", Samples.Unique("c"), "m-tail", "330106", enrolled: i % 3 != 0);
                await _store.CreateAsync(change, Samples.OpenRequest(change), Ct);
                await _store.MutateAsync(change.State.DisputeId, Samples.Request(Samples.Unique("t")), d => Samples.Post(d, "hi"), Ct);
            }
        })).ToArray();
        var readers = Enumerable.Range(0, FeedCursor.Partitions).Select(p => Task.Run(async () =>
        {
            var after = start[p];
            var seen = new List<long>();
            var done = false;
            while (!done)
            {
                // Yield between passes: the embedded store's async calls complete synchronously, so
                // sixteen readers that never yield would hold the pool threads the writers need.
                await Task.Yield();
                done = stop.IsCancellationRequested; // one more full pass after the writers finished
                while (true)
                {
                    var page = await _store.ReadFeedAsync(p, after, VisibilityScope.All, 4, Ct);
                    foreach (var e in page.Entries)
                    {
                        Assert.Equal(after + 1, e.Position);
                        after = e.Position;
                        seen.Add(e.Position);
                    }
                    Assert.Equal(after, page.ReadUpTo);
                    if (page.Entries.Count < 4)
                    {
                        break;
                    }
                }
            }
            return (p, seen);
        })).ToArray();

        await Task.WhenAll(writers);
        await writing.CancelAsync();
        await Task.WhenAll(sequencers);
        await SequenceAsync();
        await stop.CancelAsync();
        var results = await Task.WhenAll(readers);

        var end = await _store.ReadFeedHeadAsync(Ct);
        foreach (var (p, seen) in results)
        {
            Assert.Equal(Enumerable.Range(1, (int)(end[p] - start[p])).Select(i => start[p] + i), seen);
        }
        Assert.Equal(16 * 12 * 2 + 16 * 4, end.Sum() - start.Sum());
    }

    [Fact]
    public async Task ReadFeedAsync_WhileAWriteIsInProgress_AnswersWithoutWaitingForIt()
    {
        var open = Samples.Open("ch-busy", Samples.Unique("c"), "m-busy", "330106");
        var id = open.State.DisputeId;
        var partition = FeedCursor.PartitionOf(id);
        await _store.CreateAsync(open, Samples.OpenRequest(open), Ct);
        await SequenceAsync();
        var head = (await _store.ReadFeedHeadAsync(Ct))[partition];
        var deciding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // A writer that has taken its locks and not yet committed (decide runs inside the write).
        var write = Task.Run(() => _store.MutateAsync(id, Samples.Request(Samples.Unique("slow")), d =>
        {
            deciding.SetResult();
            release.Task.Wait(TimeSpan.FromSeconds(30));
            return Samples.Post(d, "slow");
        }, Ct));
        await deciding.Task.WaitAsync(TimeSpan.FromSeconds(5), Ct);
        FeedPage page;
        Dispute? state;
        try
        {
            // Readers see the last committed state at once: a watcher's poll must not queue behind writers.
            page = await WithoutWaitingAsync("ReadFeedAsync", () => _store.ReadFeedAsync(partition, head - 1, VisibilityScope.All, 10, Ct));
            state = await WithoutWaitingAsync("GetAsync", () => _store.GetAsync(id, Ct));
        }
        finally
        {
            release.SetResult();
        }
        var written = await write;

        Assert.Equal([head], page.Entries.Select(e => e.Position));
        Assert.Equal(head, page.ReadUpTo);
        Assert.Equal(1L, state!.LastSeq);
        Assert.Equal(2L, Assert.Single(written!.Feed).Event.Seq);
        await SequenceAsync();
        Assert.Equal([head + 1], (await _store.ReadFeedAsync(partition, head, VisibilityScope.All, 10, Ct)).Entries.Select(e => e.Position));
    }

    // Gives positions to everything committed so far, as the gateway's sequencer worker does.
    private Task<int> SequenceAsync() => fixture.Sequencer.SequenceAllAsync(Ct);

    // Task.Run: Microsoft.Data.Sqlite's async methods run synchronously, so a read that waits would
    // block the calling thread and the timeout could not fire.
    private static async Task<T> WithoutWaitingAsync<T>(string what, Func<Task<T>> read)
    {
        var limit = TimeSpan.FromSeconds(3);
        try
        {
            return await Task.Run(read).WaitAsync(limit, Ct);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{what} waited more than {limit.TotalSeconds} s for a write that had not committed");
            throw;
        }
    }

    private async Task<List<FeedEntry>> ReadWholePartitionAsync(int partition, VisibilityScope scope, int pageSize)
    {
        var all = new List<FeedEntry>();
        long after = 0;
        while (true)
        {
            var page = await _store.ReadFeedAsync(partition, after, scope, pageSize, Ct);
            all.AddRange(page.Entries);
            after = page.ReadUpTo;
            if (page.Entries.Count < pageSize)
            {
                return all;
            }
        }
    }
}
