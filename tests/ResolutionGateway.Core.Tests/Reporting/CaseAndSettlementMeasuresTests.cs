using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Policies;
using ResolutionGateway.Core.Reporting;
using ResolutionGateway.Core.Tests.Disputes;
using ResolutionGateway.Core.Tests.TestSupport;
using ResolutionGateway.Core.UseCases;
using static ResolutionGateway.Core.Tests.Disputes.DisputeRulesSettlementTests;
using static ResolutionGateway.Core.Tests.TestSupport.Calendars;
using static ResolutionGateway.Core.Tests.TestSupport.Samples;

namespace ResolutionGateway.Core.Tests.Reporting;

/// <summary>
/// The case, settlement and reopening measures (issue 17) of a dispute after each move: the states
/// of <see cref="DisputeRulesSettlementTests.Build"/> (Zhejiang on the 2026 calendar, opened 28
/// September 2026, so the regulator's deadlines cross the National Day holiday), and the figures
/// computed from them.
/// </summary>
public sealed class CaseAndSettlementMeasuresTests
{
    // The same policy the settlement rule tests build their states with.
    private static readonly PolicySet Policies = PolicySets.Zhejiang(DeadlineRule.Hours(96), DeadlineRule.Days(7), 12, China2026);

    private static readonly Measure[] New =
    [
        Measures.CasesPending, Measures.CasesAccepted, Measures.CasesRefused, Measures.CasesDecidedLate,
        Measures.MediationsConcluded, Measures.MediationsConcludedOnTime, Measures.MediationsResolved,
        Measures.SettlementsDue, Measures.SettlementsExecutedOnTime, Measures.SettlementsExecutedLate, Measures.ExecutionsRecorded,
        Measures.SettlementsReceived, Measures.SettlementsNotReceived, Measures.Reopened, Measures.ClosedWithSettlement,
    ];

    // Expected values in the order of New: pending accepted refused late | concluded onTime resolved |
    // due execOnTime execLate recorded received notReceived | reopened closedWithSettlement.
    [Theory]
    [InlineData(SettlementState.AwaitingMerchant, "0000|000|000000|00")]
    [InlineData(SettlementState.Negotiating, "0000|000|000000|00")]
    [InlineData(SettlementState.Pending, "1000|000|000000|00")]
    [InlineData(SettlementState.Accepted, "0100|000|000000|00")]
    [InlineData(SettlementState.ResolvedWithMoney, "0000|000|100000|01")]
    [InlineData(SettlementState.ResolvedByMediation, "0100|111|100000|01")]
    [InlineData(SettlementState.ResolvedWithoutMoney, "0000|000|000000|00")]
    [InlineData(SettlementState.Executed, "0000|000|110100|01")]
    [InlineData(SettlementState.ExecutionOverdue, "0000|000|101000|01")]
    [InlineData(SettlementState.Received, "0000|000|110110|01")]
    [InlineData(SettlementState.Unresolved, "0100|110|000000|00")]
    [InlineData(SettlementState.Withdrawn, "0000|000|000000|00")]
    [InlineData(SettlementState.Reopened, "1000|000|000000|11")]
    public void Of_EachCaseAndSettlementState_CountsItsMeasures(SettlementState state, string expected)
    {
        // Arrange
        var s = Build(state);

        // Act
        var v = Measures.Of(s.State);

        // Assert
        Assert.Equal(Expected(expected), Actual(v));
    }

    [Fact]
    public void Of_RefusedWithinDeadline_CountsRefusedNotLate()
    {
        // Arrange
        var s = Build(SettlementState.Pending);

        // Act
        s.Then(TimeSpan.FromHours(2), (d, now) => DisputeRules.RefuseCase(d, Regulator, Refuse(d), now));

        // Assert
        Assert.Equal(Expected("0010|000|000000|00"), Actual(Measures.Of(s.State)));
    }

    [Fact]
    public void Of_RefusedAfterAcceptanceDeadline_CountsRefusedAndLate()
    {
        // Arrange
        var s = Build(SettlementState.Pending);
        var due = s.State.CaseAcceptDueAt!.Value;

        // Act
        s.Then(due.AddMinutes(1) - s.Now, (d, now) => DisputeRules.RefuseCase(d, Regulator, Refuse(d), now));

        // Assert
        Assert.Equal(Expected("0011|000|000000|00"), Actual(Measures.Of(s.State)));
    }

    [Fact]
    public void Of_AcceptedAfterDeadlineAndMediatedPastItsDeadline_CountsLateAndNotOnTime()
    {
        // Arrange
        var s = Build(SettlementState.Pending);
        var acceptBy = s.State.CaseAcceptDueAt!.Value;
        s.Then(acceptBy.AddHours(1) - s.Now, (d, now) => DisputeRules.AcceptCase(d, Regulator, new AcceptCaseCommand(RequestId(), d.DisputeId, ""), now, Policies.For(d.CaseRegion)));
        var mediateBy = s.State.MediationDueAt!.Value;

        // Act
        s.Then(mediateBy.AddHours(1) - s.Now, (d, now) => DisputeRules.RecordMediationOutcome(d, Regulator, Mediation(d, Outcome.ResolvedByMediation, new Settlement(Remedy.Apology, null)), now, Policies.For(d.RegionCode)));

        // Assert: resolved by mediation, late both ways, an apology moves no money.
        Assert.Equal(Expected("0101|101|000000|00"), Actual(Measures.Of(s.State)));
    }

    [Fact]
    public void Of_ExecutionRecordedAfterDeadline_CountsLateNotOnTime()
    {
        // Arrange
        var s = Build(SettlementState.ExecutionOverdue);

        // Act
        s.Then(TimeSpan.FromHours(1), (d, now) => DisputeRules.RecordSettlementExecution(d, MerchantActor,
            new RecordSettlementExecutionCommand(RequestId(), d.DisputeId, "alipay-refund-late", d.Settlement!.Amount, now, ""), now));

        // Assert
        Assert.Equal(Expected("0000|000|101100|01"), Actual(Measures.Of(s.State)));
    }

    [Fact]
    public void Of_ExecutedThenNotReceived_CountsNotReceived()
    {
        // Arrange
        var s = Build(SettlementState.Executed);

        // Act
        s.Then(TimeSpan.FromHours(1), (d, now) => DisputeRules.ConfirmSettlement(d, Consumer,
            new ConfirmSettlementCommand(RequestId(), d.DisputeId, SettlementReceipt.NotReceived, ""), now));

        // Assert
        Assert.Equal(Expected("0000|000|110101|01"), Actual(Measures.Of(s.State)));
    }

    [Fact]
    public void Of_ReopenedAcceptedAndMediatedWithMoney_OneDisputeReopenedOnceWithItsNewSettlement()
    {
        // Arrange
        var s = Build(SettlementState.Reopened);
        s.Then(TimeSpan.FromHours(1), (d, now) => DisputeRules.AcceptCase(d, Regulator, new AcceptCaseCommand(RequestId(), d.DisputeId, ""), now, Policies.For(d.CaseRegion)));

        // Act
        s.Then(TimeSpan.FromDays(1), (d, now) => DisputeRules.RecordMediationOutcome(d, Regulator,
            Mediation(d, Outcome.ResolvedByMediation, new Settlement(Remedy.PartialRefund, Cny(6_000))), now, Policies.For(d.RegionCode)));

        // Assert: the new settlement is due; reopened and closed_with_settlement count the dispute once.
        Assert.Equal(Expected("0100|111|100000|11"), Actual(Measures.Of(s.State)));
    }

    [Fact]
    public void Figures_SummedStates_RatesOfTheirCounts()
    {
        // Arrange: refused late, refused, accepted and resolved, accepted and unresolved (on time),
        // reopened, executed, overdue.
        var refusedLate = Build(SettlementState.Pending);
        refusedLate.Then(refusedLate.State.CaseAcceptDueAt!.Value.AddMinutes(1) - refusedLate.Now, (d, now) => DisputeRules.RefuseCase(d, Regulator, Refuse(d), now));
        var refused = Build(SettlementState.Pending);
        refused.Then(TimeSpan.FromHours(1), (d, now) => DisputeRules.RefuseCase(d, Regulator, Refuse(d), now));
        Dispute[] disputes =
        [
            refusedLate.State, refused.State, Build(SettlementState.ResolvedByMediation).State, Build(SettlementState.Unresolved).State,
            Build(SettlementState.Reopened).State, Build(SettlementState.Executed).State, Build(SettlementState.ExecutionOverdue).State,
        ];
        var sums = new long[Measures.Count];
        foreach (var v in disputes.Select(Measures.Of))
        {
            for (var i = 0; i < v.Length; i++)
            {
                sums[i] += v[i];
            }
        }

        // Act
        var row = new StatsRow([], sums);

        // Assert
        Assert.Equal(4, Figures.CasesDecided.Of(row));
        Assert.Equal(0.5, Figures.CaseAcceptanceRate.Of(row));
        Assert.Equal(1.0, Figures.MediationOnTimeRate.Of(row));
        Assert.Equal(0.5, Figures.AcceptedMediationSuccessRate.Of(row));
        Assert.Equal(0.5, Figures.SettlementOnTimeRate.Of(row)); // executed on time, overdue; the mediated one still due
        Assert.Equal(0.25, Figures.ReopenRate.Of(row)); // 1 reopened of 4 settled with money
    }

    [Fact]
    public void Figures_NoCasesOrSettlements_RatesAreZero()
    {
        // Act
        var row = new StatsRow([], Measures.Of(Build(SettlementState.AwaitingMerchant).State));

        // Assert
        Assert.All(new[] { Figures.CaseAcceptanceRate, Figures.MediationOnTimeRate, Figures.AcceptedMediationSuccessRate, Figures.SettlementOnTimeRate, Figures.ReopenRate },
            f => Assert.Equal(0.0, f.Of(row)));
    }

    private static RefuseCaseCommand Refuse(Dispute d) => new(RequestId(), d.DisputeId, RefusalReason.OutsideRemit, "not ours");

    private static long[] Expected(string digits) => digits.Where(char.IsDigit).Select(c => (long)(c - '0')).ToArray();

    private static long[] Actual(long[] v) => New.Select(m => v[m.Index]).ToArray();
}
