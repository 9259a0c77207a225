using System.Data.Common;
using Dapper;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Reporting;
using ResolutionGateway.Core.UseCases;
using ResolutionGateway.Infrastructure.Persistence;
using ResolutionGateway.Infrastructure.Tests.TestSupport;
using ResolutionGateway.Reporting.Baseline;

namespace ResolutionGateway.Infrastructure.Tests.Storage;

// Migration 0013 (case and settlement statistics) on a store that already holds cases and settlements.
public abstract partial class ReportingStoreContractTests<TFixture>
{
    [Fact]
    public async Task InitializeAsync_UpgradeFromVersion12_BackfillsCaseAndSettlementColumnsAndRollups()
    {
        // Arrange: a version-12 store with a refused case, a mediated settlement executed on time,
        // and a settlement reopened as not executed (a pending case again).
        await using var db = await fixture.CreateDatabaseAtVersionAsync(12, Ct);
        var now = Samples.Now().AddDays(-30);
        var channel = Samples.Unique("ch");
        var regulator = new Actor(ActorRole.Regulator, "75");
        var histories = new List<List<DisputeChange>>();
        foreach (var region in new[] { "750101", "750102", "750201" })
        {
            histories.Add([Samples.OpenAt(now, channel, Samples.Unique("c"), Samples.Unique("m"), region, enrolled: false)]);
        }
        Then(histories[0], d => DisputeRules.RefuseCase(d, regulator, new RefuseCaseCommand(Samples.Unique("r"), d.DisputeId, RefusalReason.OutsideRemit, ""), now.AddHours(1)));
        Then(histories[1], d => DisputeRules.AcceptCase(d, regulator, new AcceptCaseCommand(Samples.Unique("r"), d.DisputeId, ""), now.AddHours(1), Samples.Policies.For(d.CaseRegion)));
        Then(histories[1], d => DisputeRules.RecordMediationOutcome(d, regulator, new RecordMediationOutcomeCommand(Samples.Unique("r"), d.DisputeId,
            Outcome.ResolvedByMediation, new Settlement(Remedy.PartialRefund, new Money("CNY", 3_000)), ""), now.AddHours(2), Samples.Policies.For(d.RegionCode)));
        Then(histories[1], d => DisputeRules.RecordSettlementExecution(d, new Actor(ActorRole.Merchant, d.MerchantId),
            new RecordSettlementExecutionCommand(Samples.Unique("r"), d.DisputeId, "ref", d.Settlement!.Amount, now.AddHours(3), ""), now.AddHours(3)));
        Then(histories[2], d => DisputeRules.AcceptCase(d, regulator, new AcceptCaseCommand(Samples.Unique("r"), d.DisputeId, ""), now.AddHours(1), Samples.Policies.For(d.CaseRegion)));
        Then(histories[2], d => DisputeRules.RecordMediationOutcome(d, regulator, new RecordMediationOutcomeCommand(Samples.Unique("r"), d.DisputeId,
            Outcome.ResolvedByMediation, new Settlement(Remedy.Compensation, new Money("CNY", 2_000)), ""), now.AddHours(2), Samples.Policies.For(d.RegionCode)));
        Then(histories[2], d => DisputeRules.Tick(d, d.ExecutionDueAt!.Value)!);
        Then(histories[2], d => DisputeRules.Reopen(d, Consumer(d), new ReopenDisputeCommand(Samples.Unique("r"), d.DisputeId, ReopenReason.NotExecuted, ""),
            d.ExecutionDueAt!.Value.AddHours(1), Samples.Policies.For(d.CaseRegion)));
        var finals = histories.Select(h => h[^1].State).ToArray();
        await using (var c = await db.OpenConnectionAsync(Ct))
        {
            foreach (var h in histories)
            {
                await InsertAsOfVersion12Async(c, fixture.Dialect, h[^1].State, [.. h.SelectMany(x => x.Events)]);
            }
        }

        // Act
        var applied = await db.MigrateAsync(Ct);

        // Assert: rollups and the raw GROUP BY both give the final states' vectors, new columns included.
        Assert.Contains(13, applied.Select(m => m.Version));
        Assert.DoesNotContain(3, applied.Select(m => m.Version));
        var day = ReportingCalendar.DayOf(now);
        var query = new StatsQuery(new StatsFilter(day - 1, day + 2, PeriodBasis.Opened, "75", channel, "", Category.Unspecified), [GroupDimension.Region], 6);
        var expected = finals.Select(d => new MeasureRow([d.RegionCode], Measures.Of(d))).ToArray();
        foreach (var measure in new[] { Measures.CasesRefused, Measures.ExecutionsRecorded, Measures.SettlementsExecutedOnTime, Measures.Reopened, Measures.CasesPending })
        {
            Assert.Equal(1, expected.Sum(r => r.Sums[measure.Index]));
        }
        AssertSameRows(query, expected, await db.Reporting.SumRollupsAsync(RollupSelection.For(query), Ct));
        AssertSameRows(query, expected, await new RawReporting(db.OpenConnectionAsync, fixture.Dialect).SumAsync(query, Ct));
    }

    private static void Then(List<DisputeChange> history, Func<Dispute, DisputeChange> decide) => history.Add(decide(history[^1].State));

    // What the store wrote at version 12: the dispute row with the typed columns of migrations 3 and
    // 11 (not those of 0013), its events and timer, and rollups without the 0013 columns.
    private static async Task InsertAsOfVersion12Async(DbConnection c, SqlDialect dialect, Dispute d, IReadOnlyList<DisputeEvent> events)
    {
        const string TypedColumns = """
            UPDATE disputes
            SET merchant_enrolled = @MerchantEnrolled, outcome = @Outcome, escalation_reason = @EscalationReason,
                first_response_due_at = @FirstResponseDueAt, negotiation_due_at = @NegotiationDueAt, first_response_at = @FirstResponseAt,
                escalated_at = @EscalatedAt, closed_at = @ClosedAt, satisfaction = @Satisfaction, settlement_remedy = @SettlementRemedy,
                settlement_currency = @SettlementCurrency, settlement_minor = @SettlementMinor, next_deadline_at = @NextDeadlineAt
            WHERE dispute_id = @DisputeId
            """;
        await InsertAsOfVersion2Async(c, d, events);
        await c.ExecuteAsync(TypedColumns, ChangeWriter.RowParameters(d));
        var rows = new SortedDictionary<RollupKey, long[]>(RollupKey.Order);
        Rollups.AddContribution(rows, d, +1);
        var first = Measures.CasesPending.Index;
        await ReportingSql.UpsertRollupsAsync(c, null, dialect, rows.Select(r =>
        {
            Array.Clear(r.Value, first, r.Value.Length - first);
            return new RollupChange(r.Key, r.Value);
        }), Ct);
    }
}
