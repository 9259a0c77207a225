using System.Data.Common;
using Dapper;
using ResolutionGateway.Core.Directory;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Errors;
using ResolutionGateway.Core.Events;
using ResolutionGateway.Core.Reporting;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Core.UseCases;
using ResolutionGateway.Infrastructure.Persistence;
using ResolutionGateway.Infrastructure.Tests.TestSupport;
using ResolutionGateway.Reporting.Baseline;

namespace ResolutionGateway.Infrastructure.Tests.Storage;

[Collection(SqliteCollection.Name)]
public sealed class ReportingStoreContractTestsSqlite(SqliteStoreFixture fixture) : ReportingStoreContractTests<SqliteStoreFixture>(fixture);

[Collection(MySqlCollection.Name)]
public sealed class ReportingStoreContractTestsMySql(MySqlStoreFixture fixture) : ReportingStoreContractTests<MySqlStoreFixture>(fixture);

/// <summary>
/// The rollups and outcome records the dispute store keeps in each change's transaction, checked
/// against the raw GROUP BY over the dispute table and against the final states themselves. Each
/// test has a region prefix no other test uses (71-74) and, where it filters by time, a year of its own.
/// </summary>
public abstract partial class ReportingStoreContractTests<TFixture>(TFixture fixture) where TFixture : StoreFixture
{
    private readonly IDisputeStore _store = fixture.Disputes;
    private readonly IReportingStore _reporting = fixture.Reporting;
    private readonly RawReporting _raw = new(fixture.OpenConnectionAsync, fixture.Dialect);

    private static CancellationToken Ct => CancellationToken.None;

    private enum Step
    {
        ConsumerMessage, MerchantMessage, Offer, AcceptOffer, RejectOffer, AcceptDemand, Escalate, Withdraw,
        MediationResolved, MediationUnresolved, Rate, Tick,
        AcceptCase, RefuseCase, RecordExecution, ConfirmReceived, ConfirmNotReceived, Reopen,
    }

    // ---- the correctness property ----

    [Fact]
    public async Task SumRollupsAsync_RandomHistoryAndRandomQueries_EqualsRawGroupByAndFinalStates()
    {
        var random = new Random(20261123);
        var start = new DateTimeOffset(2020, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var channels = Enumerable.Range(0, 3).Select(_ => Samples.Unique("ch")).ToArray();
        var merchants = Enumerable.Range(0, 5).Select(_ => Samples.Unique("m")).ToArray();
        string[] regions = ["710101", "710102", "710203", "711101"];
        var finals = new List<Dispute>();
        for (var i = 0; i < 120; i++)
        {
            var at = start.AddMinutes(random.Next(0, 100 * 24 * 60));
            finals.Add(await LiveAsync(random, at, Pick(random, channels), Pick(random, merchants), Pick(random, regions), NegotiationSteps, 10));
        }
        // Then lives through the regulator's case and the settlement's execution (issue 17).
        for (var i = 0; i < 80; i++)
        {
            var at = start.AddMinutes(random.Next(0, 100 * 24 * 60));
            finals.Add(await LiveAsync(random, at, Pick(random, channels), Pick(random, merchants), Pick(random, regions), CaseSteps, 14));
        }

        var firstDay = ReportingCalendar.DayOf(start);
        for (var n = 0; n < 80; n++)
        {
            var query = RandomQuery(random, firstDay, channels, merchants);
            var fromRollups = await _reporting.SumRollupsAsync(RollupSelection.For(query), Ct);
            var fromRaw = await _raw.SumAsync(query, Ct);
            AssertSameRows(query, fromRaw, fromRollups);
        }

        // Third opinion: the whole history, from the final states the store returns.
        foreach (var basis in new[] { PeriodBasis.Opened, PeriodBasis.Closed })
        {
            var all = new StatsQuery(new StatsFilter(firstDay - 1, firstDay + 400, basis, "71", "", "", Category.Unspecified), [], 6);
            var expected = new long[Measures.Count];
            foreach (var d in finals.Where(d => basis == PeriodBasis.Opened || d.Status.IsClosed()))
            {
                var v = Measures.Of(d);
                for (var i = 0; i < v.Length; i++)
                {
                    expected[i] += v[i];
                }
            }
            var rows = await _reporting.SumRollupsAsync(RollupSelection.For(all), Ct);
            Assert.Equal(expected, Assert.Single(rows).Sums);
        }
        // The history must have exercised the figures, or the comparison proves little.
        var total = Measures.Count;
        var sums = (await _reporting.SumRollupsAsync(RollupSelection.For(new StatsQuery(
            new StatsFilter(firstDay - 1, firstDay + 400, PeriodBasis.Opened, "71", "", "", Category.Unspecified), [], 6)), Ct)).Single().Sums;
        var never = new[]
        {
            Measures.StillOpen, Measures.ResolvedByNegotiation, Measures.ResolvedByMediation, Measures.Unresolved, Measures.Withdrawn,
            Measures.AutoEscalated, Measures.FirstResponseOnTime, Measures.FirstResponseLate, Measures.AnsweredSameDay, Measures.ClosedOnTime,
            Measures.Rated, Measures.AgreedFen, Measures.AgreedCompensationFen, Measures.SettlementsOtherCurrency,
            Measures.CasesPending, Measures.CasesAccepted, Measures.CasesRefused, Measures.CasesDecidedLate, Measures.MediationsConcluded,
            Measures.MediationsConcludedOnTime, Measures.MediationsResolved, Measures.SettlementsDue, Measures.SettlementsExecutedOnTime,
            Measures.SettlementsExecutedLate, Measures.ExecutionsRecorded, Measures.SettlementsReceived, Measures.SettlementsNotReceived,
            Measures.Reopened, Measures.ClosedWithSettlement,
        }.Where(m => sums[m.Index] == 0).Select(m => m.Columns[0]);
        Assert.True(!never.Any(), $"the random history never produced {string.Join(", ", never)}");
        Assert.Equal(total, sums.Length);
    }

    [Fact]
    public async Task CreateAndMutate_ConcurrentWritersOnSameRollupRows_CountEveryDispute()
    {
        var at = new DateTimeOffset(2021, 9, 9, 2, 0, 0, TimeSpan.Zero);
        var channel = Samples.Unique("ch");
        var merchant = Samples.Unique("m");
        var opened = await Task.WhenAll(Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
        {
            var mine = new List<Dispute>();
            for (var i = 0; i < 8; i++)
            {
                var change = Samples.OpenAt(at.AddMilliseconds((w * 8) + i), channel, Samples.Unique("c"), merchant, "730101");
                Assert.Equal(CreateOutcome.Created, (await _store.CreateAsync(change, Samples.OpenRequest(change), Ct)).Outcome);
                mine.Add(change.State);
            }
            return mine;
        })));
        var toClose = opened.SelectMany(x => x).Where((_, i) => i % 2 == 0).ToArray();
        await Task.WhenAll(toClose.Chunk(4).Select(chunk => Task.Run(async () =>
        {
            foreach (var d in chunk)
            {
                var result = await _store.MutateAsync(d.DisputeId, Samples.Request(Samples.Unique("req")), before =>
                    DisputeRules.AcceptDemand(before, new Actor(ActorRole.Merchant, merchant), new AcceptDemandCommand(Samples.Unique("r"), d.DisputeId, ""), at.AddHours(1)), Ct);
                Assert.NotNull(result?.Applied);
            }
        })));

        var day = ReportingCalendar.DayOf(at);
        var query = new StatsQuery(new StatsFilter(day, day, PeriodBasis.Opened, "73", channel, "", Category.Unspecified), [GroupDimension.Merchant], 6);
        var row = Assert.Single(await _reporting.SumRollupsAsync(RollupSelection.For(query), Ct));

        Assert.Equal(48, row.Sums[Measures.Opened.Index]);
        Assert.Equal(24, row.Sums[Measures.ResolvedByNegotiation.Index]);
        Assert.Equal(24, row.Sums[Measures.StillOpen.Index]);
        AssertSameRows(query, await _raw.SumAsync(query, Ct), [row]);
    }

    // ---- outcome records ----

    [Fact]
    public async Task ReadOutcomesAsync_ClosedThenRated_OneRecordPerClosingAndPerRating()
    {
        var channel = Samples.Unique("ch");
        var merchant = Samples.Unique("m");
        var now = Samples.Now();
        var settled = await OpenAsync(channel, merchant, "720101", now);
        var withdrawn = await OpenAsync(channel, merchant, "720101", now);
        await OpenAsync(channel, merchant, "720101", now); // stays open: no record
        var merchantActor = new Actor(ActorRole.Merchant, merchant);
        await MutateAsync(settled.DisputeId, d => DisputeRules.AcceptDemand(d, merchantActor, new AcceptDemandCommand(Samples.Unique("r"), d.DisputeId, ""), now.AddMinutes(1)));
        await MutateAsync(settled.DisputeId, d => DisputeRules.Rate(d, Consumer(d), new RateResolutionCommand(Samples.Unique("r"), d.DisputeId, 4, "fine"), now.AddMinutes(2)));
        await MutateAsync(withdrawn.DisputeId, d => DisputeRules.Withdraw(d, Consumer(d), new WithdrawDisputeCommand(Samples.Unique("r"), d.DisputeId, ""), now.AddMinutes(3)));
        var filter = new OutcomeFilter(null, null, "72", channel, "", Category.Unspecified);

        var records = await ReadAllAsync(filter);

        var byDispute = records.GroupBy(r => r.Outcome.DisputeId).ToDictionary(g => g.Key, g => g.ToArray());
        Assert.Equal(2, byDispute.Count);
        var s = byDispute[settled.DisputeId];
        Assert.Equal(2, s.Length);
        Assert.True(s[0].Position < s[1].Position);
        Assert.Equal((Outcome.ResolvedByNegotiation, 0, 2L), (s[0].Outcome.Outcome, s[0].Outcome.SatisfactionRating, s[0].Outcome.Revision));
        Assert.Equal((4, 3L), (s[1].Outcome.SatisfactionRating, s[1].Outcome.Revision));
        Assert.Equal(Remedy.FullRefund, s[1].Outcome.SettlementRemedy);
        Assert.True(s[1].Outcome.FirstResponseOnTime);
        Assert.True(s[1].Outcome.ClosedOnTime);
        Assert.Equal(settled.Order.ChannelOrderId, s[1].Outcome.ChannelOrderId);
        Assert.Equal(Outcome.Withdrawn, Assert.Single(byDispute[withdrawn.DisputeId]).Outcome.Outcome);
        // Resuming after the first record of a partition returns only what follows it.
        var first = s[0];
        var after = await _reporting.ReadOutcomesAsync(first.Partition, first.Position, filter, 100, Ct);
        Assert.Contains(after, r => r.Position == s[1].Position);
        Assert.DoesNotContain(after, r => r.Position <= first.Position);
        // A closing-date filter after today finds nothing.
        var today = ReportingCalendar.DayOf(now.AddMinutes(3));
        Assert.Empty(await ReadAllAsync(filter with { FromDay = today + 1 }));
        Assert.Equal(3, (await ReadAllAsync(filter with { FromDay = today - 1, ToDay = today + 1 })).Count);
    }

    [Fact]
    public async Task ReadOutcomesAsync_RecordJson_HoldsNoPersonalData()
    {
        var channel = Samples.Unique("ch");
        var now = Samples.Now();
        var d = await OpenAsync(channel, Samples.Unique("m"), "720202", now);
        await MutateAsync(d.DisputeId, x => DisputeRules.Withdraw(x, Consumer(x), new WithdrawDisputeCommand(Samples.Unique("r"), x.DisputeId, ""), now.AddMinutes(1)));

        await using var c = await fixture.OpenConnectionAsync(Ct);
        var json = await c.QuerySingleAsync<string>("SELECT record_json FROM dispute_outcomes WHERE dispute_id = @Id", new { Id = d.DisputeId });

        Assert.DoesNotContain(d.Consumer.Mobile, json, StringComparison.Ordinal);
        Assert.DoesNotContain(d.Consumer.Name, json, StringComparison.Ordinal);
        Assert.DoesNotContain(d.Consumer.ConsumerRef, json, StringComparison.Ordinal);
        Assert.DoesNotContain(d.Description, json, StringComparison.Ordinal);
        Assert.Contains(d.DisputeId, json, StringComparison.Ordinal);
    }

    // ---- upgrade ----

    [Fact]
    public async Task InitializeAsync_UpgradeFromVersion2_BackfillsRollupsColumnsAndOutcomes()
    {
        await using var db = await fixture.CreateDatabaseAtVersionAsync(2, Ct);
        var now = Samples.Now();
        var channel = Samples.Unique("ch");
        var open = Samples.OpenAt(now, channel, Samples.Unique("c"), Samples.Unique("m"), "740101");
        var settledOpen = Samples.OpenAt(now, channel, Samples.Unique("c"), Samples.Unique("m"), "740102");
        var settled = DisputeRules.AcceptDemand(settledOpen.State, new Actor(ActorRole.Merchant, settledOpen.State.MerchantId),
            new AcceptDemandCommand(Samples.Unique("r"), settledOpen.State.DisputeId, ""), now.AddHours(30));
        var rated = DisputeRules.Rate(settled.State, Consumer(settled.State), new RateResolutionCommand(Samples.Unique("r"), settled.State.DisputeId, 2, ""), now.AddHours(31));
        var notEnrolled = Samples.OpenAt(now, channel, Samples.Unique("c"), Samples.Unique("m"), "740201", enrolled: false);
        await using (var c = await db.OpenConnectionAsync(Ct))
        {
            await InsertAsOfVersion2Async(c, open.State, open.Events);
            await InsertAsOfVersion2Async(c, rated.State, [.. settledOpen.Events, .. settled.Events, .. rated.Events]);
            await InsertAsOfVersion2Async(c, notEnrolled.State, notEnrolled.Events);
        }

        var applied = await db.MigrateAsync(Ct);

        Assert.Contains(3, applied.Select(m => m.Version));
        var day = ReportingCalendar.DayOf(now);
        var query = new StatsQuery(new StatsFilter(day - 1, day + 2, PeriodBasis.Opened, "74", channel, "", Category.Unspecified), [GroupDimension.Region], 6);
        var expected = new[] { open.State, rated.State, notEnrolled.State }.Select(d => new MeasureRow([d.RegionCode], Measures.Of(d))).ToArray();
        AssertSameRows(query, expected, await db.Reporting.SumRollupsAsync(RollupSelection.For(query), Ct));
        var raw = new RawReporting(db.OpenConnectionAsync, fixture.Dialect);
        AssertSameRows(query, expected, await raw.SumAsync(query, Ct));
        var outcomes = new List<PositionedOutcome>();
        for (var p = 0; p < FeedCursor.Partitions; p++)
        {
            outcomes.AddRange(await db.Reporting.ReadOutcomesAsync(p, 0, new OutcomeFilter(null, null, "74", channel, "", Category.Unspecified), 100, Ct));
        }
        var record = Assert.Single(outcomes).Outcome;
        Assert.Equal((rated.State.DisputeId, rated.State.LastSeq, 2), (record.DisputeId, record.Revision, record.SatisfactionRating));
        // Changes after the upgrade move the backfilled rows as usual.
        var later = now.AddHours(2);
        var result = await db.Disputes.MutateAsync(open.State.DisputeId, Samples.Request(Samples.Unique("req")), d =>
            DisputeRules.Withdraw(d, Consumer(d), new WithdrawDisputeCommand(Samples.Unique("r"), d.DisputeId, ""), later), Ct);
        Assert.NotNull(result?.Applied);
        AssertSameRows(query, await raw.SumAsync(query, Ct), await db.Reporting.SumRollupsAsync(RollupSelection.For(query), Ct));
    }

    // ---- helpers ----

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static Actor Consumer(Dispute d) => new(ActorRole.Consumer, d.Consumer.ConsumerRef);

    private async Task<Dispute> OpenAsync(string channel, string merchant, string region, DateTimeOffset at)
    {
        var change = Samples.OpenAt(at, channel, Samples.Unique("c"), merchant, region);
        Assert.Equal(CreateOutcome.Created, (await _store.CreateAsync(change, Samples.OpenRequest(change), Ct)).Outcome);
        return change.State;
    }

    private async Task MutateAsync(string disputeId, Func<Dispute, DisputeChange> decide) =>
        Assert.NotNull((await _store.MutateAsync(disputeId, Samples.Request(Samples.Unique("req")), decide, Ct))?.Applied);

    // Every record of the filter, once the sequencer has positioned everything committed.
    private async Task<List<PositionedOutcome>> ReadAllAsync(OutcomeFilter filter)
    {
        await fixture.Sequencer.SequenceAllAsync(Ct);
        var all = new List<PositionedOutcome>();
        for (var p = 0; p < FeedCursor.Partitions; p++)
        {
            all.AddRange(await _reporting.ReadOutcomesAsync(p, 0, filter, 1000, Ct));
        }
        return all;
    }

    private static readonly Step[] NegotiationSteps =
    [
        Step.ConsumerMessage, Step.MerchantMessage, Step.Offer, Step.AcceptOffer, Step.RejectOffer, Step.AcceptDemand, Step.Escalate, Step.Withdraw,
        Step.MediationResolved, Step.MediationUnresolved, Step.Rate, Step.Tick,
    ];

    // Repeated entries are likelier: the moves that carry a case or a settlement forward.
    private static readonly Step[] CaseSteps =
    [
        Step.Offer, Step.AcceptDemand, Step.Escalate, Step.Escalate, Step.AcceptCase, Step.AcceptCase, Step.AcceptCase, Step.RefuseCase,
        Step.MediationResolved, Step.MediationResolved, Step.MediationUnresolved, Step.RecordExecution, Step.RecordExecution,
        Step.ConfirmReceived, Step.ConfirmNotReceived, Step.Reopen, Step.Reopen, Step.Tick, Step.Tick,
    ];

    // One dispute's life through the real store: opened at `at`, then up to maxSteps - 1 steps (moves the
    // of `steps` (moves the rules may refuse, and deadline ticks) at random later times. Returns the final state.
    private async Task<Dispute> LiveAsync(Random random, DateTimeOffset at, string channel, string merchant, string region, Step[]? steps = null, int maxSteps = 10)
    {
        steps ??= NegotiationSteps;
        Category[] categories = [Category.AfterSales, Category.AfterSales, Category.Quality, Category.Quality, Category.FalseAdvertising, Category.Price, Category.FoodSafety, Category.Delivery];
        var currency = random.Next(8) == 0 ? "USD" : "CNY";
        var orderFen = random.Next(1_000, 200_000);
        var order = new OrderContext(Samples.Unique("ord"), merchant, "st1", new Money(currency, orderFen), at.AddDays(-random.Next(1, 20)), [],
            "app", "商户", "门店", region, "地址");
        var demand = random.Next(3) switch
        {
            0 => new Demand(Remedy.FullRefund, null),
            1 => new Demand(Remedy.PartialRefund, new Money(currency, Math.Max(1, orderFen / 3))),
            _ => new Demand(Remedy.Exchange, null),
        };
        var command = new OpenDisputeCommand(Samples.Unique("req"), order, new ConsumerInfo(Samples.Unique("c"), "王五", "13900139000"),
            Pick(random, categories), demand, "坏了", []);
        var enrolled = random.Next(12) > 0 ? new MerchantRecord(merchant, "商户", at) : null;
        var opened = DisputeRules.Open(command, channel, enrolled, null, Samples.Policies, at);
        Assert.Equal(CreateOutcome.Created, (await _store.CreateAsync(opened, Samples.OpenRequest(opened), Ct)).Outcome);
        var id = opened.State.DisputeId;
        var now = at;
        for (var s = random.Next(0, maxSteps); s > 0; s--)
        {
            now = now.AddMinutes(random.Next(1, 6 * 24 * 60));
            var step = Pick(random, steps);
            if (step is Step.AcceptCase or Step.RefuseCase && random.Next(3) == 0)
            {
                // Some decisions after the regulator's 7 working days (about 9 days): decided late.
                now = now.AddDays(9);
            }
            var when = now;
            try
            {
                if (step == Step.Tick)
                {
                    await _store.FireTimerAsync(id, when, d => DisputeRules.Tick(d, when), Ct);
                }
                else
                {
                    await _store.MutateAsync(id, Samples.Request(Samples.Unique("req")), d => Apply(random, step, d, when, currency, orderFen), Ct);
                }
            }
            catch (DomainException)
            {
                // Refused in this state: nothing was written.
            }
        }
        return (await _store.GetAsync(id, Ct))!;
    }

    private static DisputeChange Apply(Random random, Step step, Dispute d, DateTimeOffset now, string currency, long orderFen)
    {
        var consumer = Consumer(d);
        var merchant = new Actor(ActorRole.Merchant, d.MerchantId);
        var regulator = new Actor(ActorRole.Regulator, "71");
        var r = Samples.Unique("r");
        var policy = Samples.Policies.For(d.RegionCode);
        return step switch
        {
            Step.ConsumerMessage => DisputeRules.PostMessage(d, consumer, new PostMessageCommand(r, d.DisputeId, "?", []), now),
            Step.MerchantMessage => DisputeRules.PostMessage(d, merchant, new PostMessageCommand(r, d.DisputeId, "!", []), now),
            Step.Offer => DisputeRules.MakeOffer(d, merchant, random.Next(2) == 0
                ? new MakeOfferCommand(r, d.DisputeId, Remedy.PartialRefund, new Money(currency, Math.Max(1, orderFen / 2)), "")
                : new MakeOfferCommand(r, d.DisputeId, Remedy.Compensation, new Money(currency, Math.Max(1, orderFen / 4)), ""), now),
            Step.AcceptOffer or Step.RejectOffer => DisputeRules.RespondToOffer(d, consumer, new RespondToOfferCommand(r, d.DisputeId,
                d.CurrentOffer?.OfferId ?? "off_none", step == Step.AcceptOffer ? OfferDecision.Accept : OfferDecision.Reject, ""), now, policy),
            Step.AcceptDemand => DisputeRules.AcceptDemand(d, merchant, new AcceptDemandCommand(r, d.DisputeId, ""), now, policy),
            Step.Escalate => DisputeRules.Escalate(d, consumer, new EscalateDisputeCommand(r, d.DisputeId, ""), now),
            Step.Withdraw => DisputeRules.Withdraw(d, consumer, new WithdrawDisputeCommand(r, d.DisputeId, ""), now),
            Step.MediationResolved => DisputeRules.RecordMediationOutcome(d, regulator, new RecordMediationOutcomeCommand(r, d.DisputeId,
                Outcome.ResolvedByMediation, random.Next(2) == 0 ? new Settlement(Remedy.Compensation, new Money(currency, Math.Max(1, orderFen / 5))) : new Settlement(Remedy.Apology, null), ""), now, policy),
            Step.MediationUnresolved => DisputeRules.RecordMediationOutcome(d, regulator, new RecordMediationOutcomeCommand(r, d.DisputeId, Outcome.Unresolved, null, ""), now),
            Step.Rate => DisputeRules.Rate(d, consumer, new RateResolutionCommand(r, d.DisputeId, random.Next(1, 6), ""), now),
            Step.AcceptCase => DisputeRules.AcceptCase(d, regulator, new AcceptCaseCommand(r, d.DisputeId, ""), now, policy),
            Step.RefuseCase => DisputeRules.RefuseCase(d, regulator, new RefuseCaseCommand(r, d.DisputeId, RefusalReason.OutsideRemit, ""), now),
            // Recorded at any time since the agreement (on time or late, as the random clock falls).
            Step.RecordExecution => DisputeRules.RecordSettlementExecution(d, merchant, new RecordSettlementExecutionCommand(r, d.DisputeId, "ref",
                d.Settlement?.Amount ?? new Money(currency, 1), now, ""), now),
            Step.ConfirmReceived or Step.ConfirmNotReceived => DisputeRules.ConfirmSettlement(d, consumer, new ConfirmSettlementCommand(r, d.DisputeId,
                step == Step.ConfirmReceived ? SettlementReceipt.Received : SettlementReceipt.NotReceived, ""), now),
            Step.Reopen => DisputeRules.Reopen(d, consumer, new ReopenDisputeCommand(r, d.DisputeId,
                d.Execution is null ? ReopenReason.NotExecuted : ReopenReason.NotAsAgreed, ""), now, Samples.Policies.For(d.CaseRegion)),
            _ => throw new ArgumentOutOfRangeException(nameof(step), step, null),
        };
    }

    private static StatsQuery RandomQuery(Random random, int firstDay, string[] channels, string[] merchants)
    {
        var from = firstDay - 5 + random.Next(0, 70);
        if (random.Next(4) == 0)
        {
            from = ReportingCalendar.NextMonthStart(from);
        }
        var to = from + random.Next(0, 150);
        string[] prefixes = ["", "", "71", "7101", "710102", "7111"];
        var dimensions = Enum.GetValues<GroupDimension>().Where(g => g != GroupDimension.Unspecified).OrderBy(_ => random.Next()).Take(random.Next(0, 4)).ToArray();
        var filter = new StatsFilter(from, to, random.Next(2) == 0 ? PeriodBasis.Opened : PeriodBasis.Closed,
            Pick(random, prefixes),
            random.Next(5) == 0 ? Pick(random, channels) : "",
            random.Next(5) == 0 ? Pick(random, merchants) : "",
            random.Next(5) == 0 ? Pick(random, [Category.AfterSales, Category.Quality, Category.Price]) : Category.Unspecified);
        return new StatsQuery(filter, dimensions, Pick(random, [2, 4, 6]));
    }

    private static void AssertSameRows(StatsQuery query, IReadOnlyList<MeasureRow> expected, IReadOnlyList<MeasureRow> actual)
    {
        static string Key(MeasureRow r) => string.Join("|", r.Keys);
        var e = expected.OrderBy(Key, StringComparer.Ordinal).ToArray();
        var a = actual.OrderBy(Key, StringComparer.Ordinal).ToArray();
        var what = $"{query.Filter} grouped by [{string.Join(", ", query.GroupBy)}] level {query.RegionLevel}";
        Assert.True(e.Select(Key).SequenceEqual(a.Select(Key)),
            $"groups differ for {what}: expected [{string.Join("; ", e.Select(Key))}], got [{string.Join("; ", a.Select(Key))}]");
        for (var i = 0; i < e.Length; i++)
        {
            for (var m = 0; m < Measures.Count; m++)
            {
                Assert.True(e[i].Sums[m] == a[i].Sums[m],
                    $"{Measures.Columns[m]} of group {Key(e[i])} for {what}: expected {e[i].Sums[m]}, got {a[i].Sums[m]}");
            }
        }
    }

    // What the store wrote before migration 3: the rows of migration 1 and the timer, no rollups or outcome records.
    private static async Task InsertAsOfVersion2Async(DbConnection c, Dispute d, IReadOnlyList<DisputeEvent> events)
    {
        await LegacyRows.InsertStateAndEventsAsync(c, d, events);
        if (d.NextTimerAt is not null)
        {
            foreach (var (sql, parameters) in ChangeWriter.SyncTimer(d).Statements)
            {
                await c.ExecuteAsync(sql, parameters);
            }
        }
    }
}
