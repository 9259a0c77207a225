using System.Collections.Concurrent;
using Dapper;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Events;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Core.UseCases;
using ResolutionGateway.Infrastructure.Tests.TestSupport;

namespace ResolutionGateway.Infrastructure.Tests.Storage;

[Collection(SqliteCollection.Name)]
public sealed class TimerStoreContractTestsSqlite(SqliteStoreFixture fixture) : TimerStoreContractTests<SqliteStoreFixture>(fixture);

[Collection(MySqlCollection.Name)]
public sealed class TimerStoreContractTestsMySql(MySqlStoreFixture fixture) : TimerStoreContractTests<MySqlStoreFixture>(fixture);

/// <summary>
/// The deadline timers every <see cref="IDisputeStore"/> keeps beside the state (dispute_timers),
/// and how <see cref="IDisputeStore.FireTimerAsync"/> fires them once. Tests that ask what is due
/// work in a moment of their own far in the past (<see cref="Samples.PastBand"/>), so other tests'
/// disputes (opened now, due days from now) are never due for them.
/// </summary>
public abstract class TimerStoreContractTests<TFixture>(TFixture fixture) where TFixture : StoreFixture
{
    private readonly IDisputeStore _store = fixture.Disputes;

    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task CreateAsync_EnrolledMerchant_WritesTimerDueAtNextTimerAt()
    {
        var change = Samples.Open(Samples.Unique("ch"), Samples.Unique("c"), Samples.Unique("m"), "330106");

        await _store.CreateAsync(change, Samples.OpenRequest(change), Ct);

        // National default: 96 h to respond, warned 12 h ahead, so the first timer is the warning.
        var state = change.State;
        Assert.Equal(state.CreatedAt.AddHours(84), state.FirstResponseWarnAt);
        Assert.Equal(state.FirstResponseWarnAt, state.NextTimerAt);
        Assert.Equal(state.NextTimerAt!.Value.ToUnixTimeMilliseconds(), await DueAtAsync(state.DisputeId));
    }

    [Fact]
    public async Task CreateAsync_MerchantNotEnrolled_TimerRowAtCaseAcceptanceWarning()
    {
        var change = Samples.Open(Samples.Unique("ch"), Samples.Unique("c"), Samples.Unique("m"), "330106", enrolled: false);

        await _store.CreateAsync(change, Samples.OpenRequest(change), Ct);

        // Escalated at opening: the regulator's acceptance deadline is the only timer left.
        Assert.Equal(DisputeStatus.Escalated, change.State.Status);
        Assert.NotNull(change.State.CaseAcceptWarnAt);
        Assert.Equal(change.State.CaseAcceptWarnAt, change.State.NextTimerAt);
        Assert.Equal(change.State.CaseAcceptWarnAt!.Value.ToUnixTimeMilliseconds(), await DueAtAsync(change.State.DisputeId));
        Assert.NotNull(await _store.GetAsync(change.State.DisputeId, Ct));
    }

    [Fact]
    public async Task FindDueTimersAsync_SeveralDisputes_DueOnesMostOverdueFirstWithinLimit()
    {
        var t = Samples.PastBand();
        // Created in another order than they fall due: b, then c, then a.
        var a = await CreateAtAsync(t.AddMinutes(2));
        var b = await CreateAtAsync(t);
        var c = await CreateAtAsync(t.AddMinutes(1));
        var mine = new[] { a, b, c }.Select(x => x.DisputeId).ToArray();
        async Task<string[]> DueAsync(DateTimeOffset now, int limit = 100) => [.. await _store.FindDueTimersAsync(now, limit, Ct)];

        var beforeAny = await DueAsync(b.NextTimerAt!.Value.AddMilliseconds(-1));
        var firstDue = await DueAsync(b.NextTimerAt!.Value);
        var allDue = await DueAsync(a.NextTimerAt!.Value);
        var limited = await DueAsync(a.NextTimerAt!.Value, 2);

        Assert.Empty(beforeAny.Intersect(mine));
        Assert.Equal([b.DisputeId], firstDue.Intersect(mine));
        Assert.Equal([b.DisputeId, c.DisputeId, a.DisputeId], allDue.Intersect(mine));
        // Nothing else in the database is due that long ago: the most overdue are ours, and the limit holds.
        Assert.Equal([b.DisputeId, c.DisputeId, a.DisputeId], allDue);
        Assert.Equal([b.DisputeId, c.DisputeId], limited);
    }

    [Fact]
    public async Task FireTimerAsync_AtWarningTime_RecordsOneWarningAndMovesTimerToTheDeadline()
    {
        var d = await CreateAtAsync(Samples.PastBand());
        var warnAt = d.FirstResponseWarnAt!.Value;

        var result = await _store.FireTimerAsync(d.DisputeId, warnAt, x => DisputeRules.Tick(x, warnAt), Ct);
        var again = await _store.FireTimerAsync(d.DisputeId, warnAt, x => DisputeRules.Tick(x, warnAt), Ct);

        var applied = result?.Applied;
        Assert.NotNull(applied);
        var warning = Assert.Single(applied.Events);
        Assert.Equal(2L, warning.Seq);
        Assert.Equal(new DeadlineWarning(DeadlineKind.FirstResponse, d.FirstResponseDueAt), warning.Detail);
        Assert.Equal(Actor.System, warning.Actor);
        Assert.Equal(DisputeStatus.AwaitingMerchant, warning.StatusAfter);
        var events = await _store.ReadEventsAsync(d.DisputeId, 0, 10, Ct);
        Assert.Equal([1L, 2L], events.Select(e => e.Seq));
        Assert.Equal(warning.Detail, events[1].Detail);
        Assert.Equal((warning.Actor, warning.OccurredAt), (events[1].Actor, events[1].OccurredAt));
        var stored = await _store.GetAsync(d.DisputeId, Ct);
        Assert.True(stored!.FirstResponseWarned);
        Assert.Equal(d.FirstResponseDueAt, stored.NextTimerAt);
        Assert.Equal(d.FirstResponseDueAt.ToUnixTimeMilliseconds(), await DueAtAsync(d.DisputeId));
        await AssertFeedMatchesAsync(result!.Feed, applied);
        // The warning is recorded once: the timer has moved on, a second look finds nothing due.
        Assert.NotNull(again);
        Assert.Null(again.Applied);
        Assert.Empty(again.Feed);
        Assert.Equal(2, (await _store.ReadEventsAsync(d.DisputeId, 0, 10, Ct)).Count);
    }

    [Fact]
    public async Task FireTimerAsync_AtFirstResponseDeadline_EscalatesBySystemAndDeletesTimer()
    {
        var d = await CreateAtAsync(Samples.PastBand());
        var warnAt = d.FirstResponseWarnAt!.Value;
        var dueAt = d.FirstResponseDueAt;
        await _store.FireTimerAsync(d.DisputeId, warnAt, x => DisputeRules.Tick(x, warnAt), Ct);

        var result = await _store.FireTimerAsync(d.DisputeId, dueAt, x => DisputeRules.Tick(x, dueAt), Ct);

        var applied = result?.Applied;
        Assert.NotNull(applied);
        var escalation = Assert.Single(applied.Events);
        Assert.Equal(3L, escalation.Seq);
        Assert.Equal(EscalationReason.FirstResponseOverdue, Assert.IsType<DisputeEscalated>(escalation.Detail).Reason);
        Assert.Equal(Actor.System, escalation.Actor);
        Assert.Equal(DisputeStatus.Escalated, escalation.StatusAfter);
        var stored = await _store.GetAsync(d.DisputeId, Ct);
        Assert.Equal(DisputeStatus.Escalated, stored!.Status);
        Assert.Equal(EscalationReason.FirstResponseOverdue, stored.EscalationReason);
        Assert.Equal(dueAt, stored.EscalatedAt);
        Assert.Null(stored.NextTimerAt);
        Assert.Null(await DueAtAsync(d.DisputeId));
        Assert.DoesNotContain(d.DisputeId, await _store.FindDueTimersAsync(d.NegotiationDueAt.AddDays(1), 1000, Ct));
        var events = await _store.ReadEventsAsync(d.DisputeId, 0, 10, Ct);
        Assert.Equal(["opened", "deadline_warning", "escalated"], events.Select(e => e.Detail.Type));
        Assert.Equal((escalation.Actor, escalation.StatusAfter, escalation.OccurredAt), (events[2].Actor, events[2].StatusAfter, events[2].OccurredAt));
        await AssertFeedMatchesAsync(result!.Feed, applied);
    }

    [Fact]
    public async Task FireTimerAsync_NotDueYet_NothingAppliedAndNothingWritten()
    {
        var d = await CreateAtAsync(Samples.PastBand());
        var partition = FeedCursor.PartitionOf(d.DisputeId);
        var head = (await _store.ReadFeedHeadAsync(Ct))[partition];
        var early = d.NextTimerAt!.Value.AddMilliseconds(-1);
        var decided = 0;

        var result = await _store.FireTimerAsync(d.DisputeId, early, x => { decided++; return DisputeRules.Tick(x, early); }, Ct);

        Assert.NotNull(result);
        Assert.Null(result.Applied);
        Assert.Empty(result.Feed);
        Assert.Equal(0, decided);
        Assert.Single(await _store.ReadEventsAsync(d.DisputeId, 0, 10, Ct));
        Assert.Equal(Samples.Json(d), Samples.Json((await _store.GetAsync(d.DisputeId, Ct))!));
        Assert.Equal(d.NextTimerAt!.Value.ToUnixTimeMilliseconds(), await DueAtAsync(d.DisputeId));
        Assert.Equal(head, (await _store.ReadFeedHeadAsync(Ct))[partition]);
    }

    [Fact]
    public async Task FireTimerAsync_StaleTimerRow_RewritesItFromTheState()
    {
        // Rows the migration back-filled (due at 0) for disputes opened before timers existed.
        var open = await CreateAtAsync(Samples.PastBand());
        var escalatedChange = Samples.Open(Samples.Unique("ch"), Samples.Unique("c"), Samples.Unique("m"), "330106", enrolled: false);
        await _store.CreateAsync(escalatedChange, Samples.OpenRequest(escalatedChange), Ct);
        var escalated = escalatedChange.State;
        await using (var c = await fixture.OpenConnectionAsync(Ct))
        {
            await c.ExecuteAsync("UPDATE dispute_timers SET due_at = 0 WHERE dispute_id = @Id", new { Id = open.DisputeId });
            await c.ExecuteAsync("UPDATE dispute_timers SET due_at = 0 WHERE dispute_id = @Id", new { Id = escalated.DisputeId });
        }
        var now = open.CreatedAt.AddHours(1);
        Assert.Equal([open.DisputeId, escalated.DisputeId], (await _store.FindDueTimersAsync(now, 1000, Ct)).Intersect([open.DisputeId, escalated.DisputeId]).Order());

        var first = await _store.FireTimerAsync(open.DisputeId, now, x => DisputeRules.Tick(x, now), Ct);
        var second = await _store.FireTimerAsync(escalated.DisputeId, now, x => DisputeRules.Tick(x, now), Ct);

        Assert.Null(first?.Applied);
        Assert.NotNull(first);
        Assert.Null(second?.Applied);
        Assert.NotNull(second);
        Assert.Equal(open.NextTimerAt!.Value.ToUnixTimeMilliseconds(), await DueAtAsync(open.DisputeId));
        Assert.Equal(escalated.NextTimerAt!.Value.ToUnixTimeMilliseconds(), await DueAtAsync(escalated.DisputeId));
        Assert.Single(await _store.ReadEventsAsync(open.DisputeId, 0, 10, Ct));
        Assert.Equal(2, (await _store.ReadEventsAsync(escalated.DisputeId, 0, 10, Ct)).Count);
        Assert.Empty((await _store.FindDueTimersAsync(now, 1000, Ct)).Intersect([open.DisputeId, escalated.DisputeId]));
    }

    [Fact]
    public async Task FireTimerAsync_EightAtOnceAtTheDeadline_EscalatesExactlyOnce()
    {
        var t = Samples.PastBand();
        for (var round = 0; round < 5; round++)
        {
            var d = await CreateAtAsync(t.AddMinutes(round));
            var dueAt = d.FirstResponseDueAt;
            var decided = 0;

            var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
                _store.FireTimerAsync(d.DisputeId, dueAt, x => { Interlocked.Increment(ref decided); return DisputeRules.Tick(x, dueAt); }, Ct))));

            var applied = Assert.Single(results, r => r?.Applied is not null);
            Assert.Equal(DisputeStatus.Escalated, applied!.Applied!.State.Status);
            Assert.All(results.Where(r => r?.Applied is null), r => Assert.Empty(r?.Feed ?? []));
            Assert.Equal(1, decided);
            var events = await _store.ReadEventsAsync(d.DisputeId, 0, 10, Ct);
            Assert.Equal(["opened", "escalated"], events.Select(e => e.Detail.Type));
            Assert.Null(await DueAtAsync(d.DisputeId));
        }
    }

    [Fact]
    public async Task FireTimerAsync_TwoWorkersOverTwentyDueDisputes_EachEscalatedOnce()
    {
        var t = Samples.PastBand();
        var disputes = new List<Dispute>();
        for (var i = 0; i < 20; i++)
        {
            disputes.Add(await CreateAtAsync(t.AddSeconds(i)));
        }
        var now = disputes[^1].FirstResponseDueAt;
        var applied = new ConcurrentBag<(int Worker, string DisputeId)>();

        // What DeadlineEnforcer does on every node: read candidates, fire each.
        var workers = Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
        {
            for (var pass = 0; pass < 500; pass++)
            {
                var due = await _store.FindDueTimersAsync(now, 5, Ct);
                if (due.Count == 0)
                {
                    return pass;
                }
                foreach (var id in due)
                {
                    var r = await _store.FireTimerAsync(id, now, x => DisputeRules.Tick(x, now), Ct);
                    if (r?.Applied is not null)
                    {
                        applied.Add((w, id));
                    }
                }
            }
            throw new InvalidOperationException("the workers never ran out of due timers");
        })).ToArray();
        await Task.WhenAll(workers);

        var ids = disputes.Select(d => d.DisputeId).ToArray();
        Assert.Equal(ids.Order(), applied.Select(a => a.DisputeId).Where(ids.Contains).Order());
        foreach (var id in ids)
        {
            var events = await _store.ReadEventsAsync(id, 0, 10, Ct);
            Assert.Equal(1, events.Count(e => e.Detail is DisputeEscalated));
            Assert.Equal(2, events.Count);
            Assert.Equal(DisputeStatus.Escalated, (await _store.GetAsync(id, Ct))!.Status);
            Assert.Null(await DueAtAsync(id));
        }
    }

    [Fact]
    public async Task MutateAsync_ConsumerWithdraws_DeletesTimerWithTheChange()
    {
        var open = Samples.Open(Samples.Unique("ch"), Samples.Unique("c"), Samples.Unique("m"), "330106");
        var id = open.State.DisputeId;
        await _store.CreateAsync(open, Samples.OpenRequest(open), Ct);
        var dueAt = await DueAtAsync(id);
        // A change that throws after deciding is rolled back, timer included.
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            _store.MutateAsync(id, Samples.Request(Samples.Unique("w")), d => { Samples.Withdraw(d); throw new InvalidOperationException("no"); }, Ct));
        var afterFailure = await DueAtAsync(id);

        var result = await _store.MutateAsync(id, Samples.Request(Samples.Unique("w")), Samples.Withdraw, Ct);

        Assert.NotNull(dueAt);
        Assert.Equal(dueAt, afterFailure);
        Assert.Equal(DisputeStatus.Withdrawn, result?.Applied?.State.Status);
        Assert.Null(await DueAtAsync(id));
    }

    [Fact]
    public async Task MutateAsync_MerchantFirstResponse_MovesTimerToNegotiationWarning()
    {
        var d = await CreateAtAsync(Samples.PastBand());
        var at = d.CreatedAt.AddHours(1);
        var consumerMessage = await _store.MutateAsync(d.DisputeId, Samples.Request(Samples.Unique("p")), x => Samples.PostAt(x, "hello?", at), Ct);
        var unchanged = await DueAtAsync(d.DisputeId);

        var merchantMessage = await _store.MutateAsync(d.DisputeId, Samples.Request(Samples.Unique("p")), x =>
            DisputeRules.PostMessage(x, new Actor(ActorRole.Merchant, x.MerchantId), new PostMessageCommand(Samples.Unique("r"), x.DisputeId, "sorry", []), at.AddMinutes(1)), Ct);

        Assert.NotNull(consumerMessage?.Applied);
        Assert.Equal(d.NextTimerAt!.Value.ToUnixTimeMilliseconds(), unchanged);
        var state = merchantMessage?.Applied?.State;
        Assert.Equal(DisputeStatus.Negotiating, state?.Status);
        Assert.Equal(d.NegotiationWarnAt, state!.NextTimerAt);
        Assert.Equal(d.NegotiationWarnAt!.Value.ToUnixTimeMilliseconds(), await DueAtAsync(d.DisputeId));
    }

    [Fact]
    public async Task InitializeAsync_UpgradeFromVersion1_BackfillsTimersOfOpenDisputesThatFiringThenAligns()
    {
        await using var db = await fixture.CreateDatabaseAtVersionAsync(1, Ct);
        // Disputes written before timers existed: waiting for the merchant, negotiating, escalated, withdrawn.
        var awaiting = Samples.Open(Samples.Unique("ch"), Samples.Unique("c"), Samples.Unique("m"), "330106");
        var negotiatingOpen = Samples.Open(Samples.Unique("ch"), Samples.Unique("c"), Samples.Unique("m"), "330106");
        var negotiating = DisputeRules.PostMessage(negotiatingOpen.State, new Actor(ActorRole.Merchant, negotiatingOpen.State.MerchantId),
            new PostMessageCommand(Samples.Unique("r"), negotiatingOpen.State.DisputeId, "let us talk", []), Samples.Now());
        var escalated = Samples.Open(Samples.Unique("ch"), Samples.Unique("c"), Samples.Unique("m"), "330106", enrolled: false);
        var withdrawnOpen = Samples.Open(Samples.Unique("ch"), Samples.Unique("c"), Samples.Unique("m"), "330106");
        var withdrawn = Samples.Withdraw(withdrawnOpen.State);
        await using (var c = await db.OpenConnectionAsync(Ct))
        {
            await LegacyRows.InsertStateAndEventsAsync(c, awaiting.State, awaiting.Events);
            await LegacyRows.InsertStateAndEventsAsync(c, negotiating.State, [.. negotiatingOpen.Events, .. negotiating.Events]);
            await LegacyRows.InsertStateAndEventsAsync(c, escalated.State, escalated.Events);
            await LegacyRows.InsertStateAndEventsAsync(c, withdrawn.State, [.. withdrawnOpen.Events, .. withdrawn.Events]);
        }
        var open = new[] { awaiting.State, negotiating.State }.OrderBy(d => d.DisputeId, StringComparer.Ordinal).ToArray();
        var now = Samples.Now();

        var applied = await db.MigrateAsync(Ct);
        var dueAfterUpgrade = await db.Disputes.FindDueTimersAsync(now, 100, Ct);
        var fired = await Task.WhenAll(open.Select(d => db.Disputes.FireTimerAsync(d.DisputeId, now, x => DisputeRules.Tick(x, now), Ct)));
        var dueAfterFiring = await db.Disputes.FindDueTimersAsync(now, 100, Ct);

        Assert.Contains(2, applied.Select(m => m.Version));
        Assert.Equal(fixture.AllMigrations.Where(m => m.Version > 1).Select(m => m.Version), applied.Select(m => m.Version));
        // Open disputes are due at once (0), so the first pass derives their timers; closed and escalated ones have none.
        Assert.Equal(open.Select(d => d.DisputeId), dueAfterUpgrade);
        Assert.All(fired, r => Assert.Null(Assert.IsType<TimerResult>(r).Applied));
        Assert.Empty(dueAfterFiring);
        await using (var c = await db.OpenConnectionAsync(Ct))
        {
            var timers = (await c.QueryAsync<(string, long)>("SELECT dispute_id, due_at FROM dispute_timers ORDER BY dispute_id")).ToArray();
            Assert.Equal(open.Select(d => (d.DisputeId, d.NextTimerAt!.Value.ToUnixTimeMilliseconds())), timers);
        }
        Assert.Equal(awaiting.State.FirstResponseWarnAt, awaiting.State.NextTimerAt);
        Assert.Equal(negotiating.State.NegotiationWarnAt, negotiating.State.NextTimerAt);
        // The upgraded database takes new disputes as usual.
        var fresh = Samples.Open(Samples.Unique("ch"), Samples.Unique("c"), Samples.Unique("m"), "330106");
        Assert.Equal(CreateOutcome.Created, (await db.Disputes.CreateAsync(fresh, Samples.OpenRequest(fresh), Ct)).Outcome);
    }

    private async Task<Dispute> CreateAtAsync(DateTimeOffset at)
    {
        var change = Samples.OpenAt(at, Samples.Unique("ch"), Samples.Unique("c"), Samples.Unique("m"), "330106");
        var result = await _store.CreateAsync(change, Samples.OpenRequest(change), Ct);
        Assert.Equal(CreateOutcome.Created, result.Outcome);
        return change.State;
    }

    private async Task<long?> DueAtAsync(string disputeId)
    {
        await using var c = await fixture.OpenConnectionAsync(Ct);
        return await c.QuerySingleOrDefaultAsync<long?>("SELECT due_at FROM dispute_timers WHERE dispute_id = @Id", new { Id = disputeId });
    }

    // The entries a change returned are the ones the feed holds, at consecutive positions once the
    // sequencer has given them (a change commits without positions).
    private async Task AssertFeedMatchesAsync(IReadOnlyList<FeedEntry> feed, DisputeChange applied)
    {
        Assert.Equal(applied.Events.Select(e => e.Seq), feed.Select(f => f.Event.Seq));
        Assert.All(feed, f => Assert.Equal(0L, f.Position));
        await fixture.Sequencer.SequenceAllAsync(Ct);
        var partition = FeedCursor.PartitionOf(applied.State.DisputeId);
        var seqs = feed.Select(f => f.Event.Seq).ToHashSet();
        var stored = new List<FeedEntry>();
        long after = 0;
        while (true)
        {
            var page = await _store.ReadFeedAsync(partition, after, VisibilityScope.All, 1000, Ct);
            stored.AddRange(page.Entries.Where(e => e.Event.DisputeId == applied.State.DisputeId && seqs.Contains(e.Event.Seq)));
            after = page.ReadUpTo;
            if (page.Entries.Count < 1000)
            {
                break;
            }
        }
        var first = stored[0].Position;
        Assert.Equal(Enumerable.Range(0, feed.Count).Select(i => first + i), stored.Select(f => f.Position));
        Assert.Equal(feed.Select(f => (f.Partition, f.Event.DisputeId, f.Event.Seq, f.Event.Detail.Type)),
            stored.Select(f => (f.Partition, f.Event.DisputeId, f.Event.Seq, f.Event.Detail.Type)));
        Assert.Equal(feed.Select(f => (f.ChannelId, f.MerchantId, f.RegionCode)), stored.Select(f => (f.ChannelId, f.MerchantId, f.RegionCode)));
    }
}
