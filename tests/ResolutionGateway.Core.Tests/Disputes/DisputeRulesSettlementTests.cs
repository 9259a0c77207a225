using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Errors;
using ResolutionGateway.Core.Policies;
using ResolutionGateway.Core.Tests.TestSupport;
using ResolutionGateway.Core.UseCases;
using static ResolutionGateway.Core.Tests.TestSupport.Calendars;
using static ResolutionGateway.Core.Tests.TestSupport.Samples;

namespace ResolutionGateway.Core.Tests.Disputes;

/// <summary>
/// Settlement execution and reopening: RecordSettlementExecution, ConfirmSettlement and ReopenDispute
/// from every state, the execution deadline (warning, overdue) and the reopen window.
/// </summary>
public sealed class DisputeRulesSettlementTests
{
    // Zhejiang on the 2026 calendar with the national defaults for the settlement: 7 days to
    // execute, 15 days to reopen, warnings 12 h ahead.
    private static readonly PolicySet Policies = PolicySets.Zhejiang(DeadlineRule.Hours(96), DeadlineRule.Days(7), 12, China2026);

    private static readonly DateTimeOffset Opened = Local(2026, 9, 28, 9);

    public enum SettlementMove
    {
        RecordExecution,
        ConfirmReceived,
        ConfirmNotReceived,
        ReopenNotExecuted,
        ReopenNotAsAgreed,
    }

    public enum SettlementState
    {
        AwaitingMerchant,
        Negotiating,
        Pending,
        Accepted,
        ResolvedWithMoney,
        ResolvedByMediation,
        ResolvedWithoutMoney,
        Executed,
        ExecutionOverdue,
        Received,
        Unresolved,
        Withdrawn,
        Reopened,
    }

    [Theory]
    [InlineData(SettlementState.ResolvedWithMoney, SettlementMove.RecordExecution, DisputeStatus.Resolved)]
    [InlineData(SettlementState.ResolvedWithMoney, SettlementMove.ConfirmReceived, DisputeStatus.Resolved)]
    [InlineData(SettlementState.ResolvedWithMoney, SettlementMove.ConfirmNotReceived, DisputeStatus.Resolved)]
    [InlineData(SettlementState.ResolvedByMediation, SettlementMove.RecordExecution, DisputeStatus.Resolved)]
    [InlineData(SettlementState.ResolvedByMediation, SettlementMove.ConfirmNotReceived, DisputeStatus.Resolved)]
    [InlineData(SettlementState.Executed, SettlementMove.ConfirmReceived, DisputeStatus.Resolved)]
    [InlineData(SettlementState.Executed, SettlementMove.ConfirmNotReceived, DisputeStatus.Resolved)]
    [InlineData(SettlementState.Executed, SettlementMove.ReopenNotAsAgreed, DisputeStatus.Escalated)]
    [InlineData(SettlementState.ExecutionOverdue, SettlementMove.RecordExecution, DisputeStatus.Resolved)]
    [InlineData(SettlementState.ExecutionOverdue, SettlementMove.ConfirmReceived, DisputeStatus.Resolved)]
    [InlineData(SettlementState.ExecutionOverdue, SettlementMove.ConfirmNotReceived, DisputeStatus.Resolved)]
    [InlineData(SettlementState.ExecutionOverdue, SettlementMove.ReopenNotExecuted, DisputeStatus.Escalated)]
    public void SettlementMove_AllowedState_OneEventReplayable(SettlementState state, SettlementMove move, DisputeStatus status)
    {
        // Arrange
        var s = Build(state);
        var before = s.State;

        // Act
        var change = s.Then(TimeSpan.FromMinutes(1), (d, now) => Apply(move, d, now));

        // Assert
        var e = Assert.Single(change.Events);
        Assert.Equal(before.LastSeq + 1, e.Seq);
        Assert.Equal(status, change.State.Status);
        Assert.Equal(status, e.StatusAfter);
        Assert.Equal(change.State, DisputeEvolution.Replay(s.Events));
    }

    [Theory]
    [InlineData(SettlementState.AwaitingMerchant, "STATE", "STATE", "STATE", "STATE", "STATE")]
    [InlineData(SettlementState.Negotiating, "STATE", "STATE", "STATE", "STATE", "STATE")]
    [InlineData(SettlementState.Pending, "STATE", "STATE", "STATE", "STATE", "STATE")]
    [InlineData(SettlementState.Accepted, "STATE", "STATE", "STATE", "STATE", "STATE")]
    [InlineData(SettlementState.ResolvedWithoutMoney, "STATE", "STATE", "STATE", "STATE", "STATE")]
    [InlineData(SettlementState.Unresolved, "STATE", "STATE", "STATE", "STATE", "STATE")]
    [InlineData(SettlementState.Withdrawn, "STATE", "STATE", "STATE", "STATE", "STATE")]
    [InlineData(SettlementState.Reopened, "STATE", "STATE", "STATE", "STATE", "STATE")]
    [InlineData(SettlementState.ResolvedWithMoney, null, null, null, "EXECUTION_PENDING", "EXECUTION_NOT_RECORDED")]
    [InlineData(SettlementState.Executed, "ALREADY_RECORDED", null, null, "EXECUTION_RECORDED", null)]
    [InlineData(SettlementState.ExecutionOverdue, null, null, null, null, "EXECUTION_NOT_RECORDED")]
    [InlineData(SettlementState.Received, "ALREADY_RECORDED", "ALREADY_CONFIRMED", "ALREADY_CONFIRMED", "SETTLEMENT_RECEIVED", "SETTLEMENT_RECEIVED")]
    public void SettlementMove_EveryMoveFromState_RefusedWithTypeOrAllowed(
        SettlementState state, string? record, string? received, string? notReceived, string? reopenNotExecuted, string? reopenNotAsAgreed)
    {
        // Arrange
        var s = Build(state);
        var expected = new Dictionary<SettlementMove, string?>
        {
            [SettlementMove.RecordExecution] = record,
            [SettlementMove.ConfirmReceived] = received,
            [SettlementMove.ConfirmNotReceived] = notReceived,
            [SettlementMove.ReopenNotExecuted] = reopenNotExecuted,
            [SettlementMove.ReopenNotAsAgreed] = reopenNotAsAgreed,
        };

        foreach (var (move, type) in expected)
        {
            // Act
            var attempt = Record.Exception(() => Apply(move, s.State, s.Now.AddMinutes(1)));

            // Assert
            if (type is null)
            {
                Assert.Null(attempt);
            }
            else
            {
                var ex = Assert.IsType<PreconditionFailedException>(attempt);
                Assert.Equal(type, ex.Type);
            }
        }
    }

    [Fact]
    public void AcceptDemand_MoneyAgreed_ExecutionDueSevenDaysReopenFifteenTimerAtWarning()
    {
        // Act
        var s = Build(SettlementState.ResolvedWithMoney);

        // Assert
        var d = s.State;
        Assert.Equal(d.ClosedAt!.Value.AddDays(7), d.ExecutionDueAt);
        Assert.Equal(d.ExecutionDueAt!.Value.AddHours(-12), d.ExecutionWarnAt);
        Assert.Equal(d.ClosedAt.Value.AddDays(15), d.ReopenUntil);
        Assert.Equal(d.ExecutionWarnAt, d.NextTimerAt);
    }

    [Fact]
    public void Tick_ExecutionDeadline_WarningThenOverdueThenNoTimer()
    {
        // Arrange
        var s = Build(SettlementState.ResolvedWithMoney);
        var due = s.State.ExecutionDueAt!.Value;

        // Act
        var early = s.TickAt(due.AddHours(-13));
        var warning = s.TickAt(due.AddHours(-12));
        var overdue = s.TickAt(due);

        // Assert
        Assert.Null(early);
        Assert.Equal(new DeadlineWarning(DeadlineKind.SettlementExecution, due), Assert.Single(warning!.Events).Detail);
        Assert.Equal(new DeadlineOverdue(DeadlineKind.SettlementExecution, due), Assert.Single(overdue!.Events).Detail);
        Assert.Equal(DisputeStatus.Resolved, overdue.State.Status);
        Assert.Null(overdue.State.NextTimerAt);
        Assert.Equal(overdue.State, DisputeEvolution.Replay(s.Events));
    }

    [Theory]
    [InlineData(SettlementMove.RecordExecution)]
    [InlineData(SettlementMove.ConfirmReceived)]
    public void SettlementMove_ExecutedOrReceived_StopsTheExecutionTimer(SettlementMove move)
    {
        // Arrange
        var s = Build(SettlementState.ResolvedWithMoney);

        // Act
        var change = s.Then(TimeSpan.FromHours(1), (d, now) => Apply(move, d, now));

        // Assert
        Assert.Null(change.State.NextTimerAt);
        Assert.Null(DisputeRules.Tick(change.State, change.State.ExecutionDueAt!.Value.AddDays(1)));
    }

    [Fact]
    public void SettlementTerms_RegionPolicyInWorkingDaysAcrossHoliday_DueAfterNationalDay()
    {
        // Arrange: Zhejiang gives 3 working days to execute and 20 days to reopen.
        var policies = new PolicySet(
        [
            new RegionPolicy
            {
                RegionPrefix = "33",
                FirstResponse = DeadlineRule.Hours(96),
                Negotiation = DeadlineRule.Days(7),
                SettlementExecution = DeadlineRule.WorkingDays(3),
                ReopenWindow = TimeSpan.FromDays(20),
                CalendarId = China2026.CalendarId,
            },
        ], [China2026]);
        var s = DisputeScript.Open(policies: policies, start: Local(2026, 9, 29, 9));

        // Act: the demand accepted on Wednesday 30 September 10:00, the day before the holiday.
        var change = s.Then(Local(2026, 9, 30, 10) - s.Now,
            (d, now) => DisputeRules.AcceptDemand(d, MerchantActor, AcceptDemand(d), now, policies.For(d.RegionCode)));

        // Assert: working days 8, 9 and Saturday 10 October (make-up): due at the end of 10 October.
        Assert.Equal(Local(2026, 10, 11), change.State.ExecutionDueAt);
        Assert.Equal(Local(2026, 10, 20, 10), change.State.ReopenUntil);
    }

    [Fact]
    public void Reopen_NotExecutedAfterDeadline_PendingCaseWithNewAcceptanceDeadlineAndOrderActive()
    {
        // Arrange
        var s = Build(SettlementState.ExecutionOverdue);
        var settled = s.State;

        // Act
        var change = s.Then(TimeSpan.FromHours(1), (d, now) => Reopen(d, now, ReopenReason.NotExecuted));

        // Assert
        var d = change.State;
        Assert.Equal(DisputeStatus.Escalated, d.Status);
        Assert.Equal(CaseStatus.Pending, d.CaseStatus);
        Assert.Equal(EscalationReason.SettlementNotExecuted, d.EscalationReason);
        Assert.Equal(Policies.For(d.CaseRegion).CaseAcceptanceFrom(s.Now).Due, d.CaseAcceptDueAt);
        Assert.Equal(d.CaseAcceptWarnAt, d.NextTimerAt);
        Assert.Null(d.Settlement);
        Assert.Null(d.ClosedAt);
        Assert.Equal(Outcome.Unspecified, d.Outcome);
        Assert.Null(d.ExecutionDueAt);
        Assert.Null(d.ReopenUntil);
        Assert.Equal(1, d.ReopenCount);
        Assert.Equal(ReopenReason.NotExecuted, d.ReopenReason);
        Assert.NotNull(d.ActiveOrderKey);
        Assert.Equal(settled.EscalatedAt is null, d.EscalatedAt == s.Now);
        Assert.Equal(d, DisputeEvolution.Replay(s.Events));
    }

    [Fact]
    public void Reopen_ThenMediatedWithMoney_NewTermsAndReopenableAgain()
    {
        // Arrange
        var s = Build(SettlementState.Executed);
        s.Then(TimeSpan.FromHours(1), (d, now) => Reopen(d, now, ReopenReason.NotAsAgreed));
        s.Then(TimeSpan.FromHours(1), (d, now) => DisputeRules.AcceptCase(d, Regulator, new AcceptCaseCommand(RequestId(), d.DisputeId, ""), now, Policies.For(d.CaseRegion)));

        // Act
        var change = s.Then(TimeSpan.FromDays(2), (d, now) => DisputeRules.RecordMediationOutcome(d, Regulator,
            Mediation(d, Outcome.ResolvedByMediation, new Settlement(Remedy.PartialRefund, Cny(9_000))), now, Policies.For(d.RegionCode)));

        // Assert
        Assert.Equal(DisputeStatus.Resolved, change.State.Status);
        Assert.Equal(s.Now.AddDays(7), change.State.ExecutionDueAt);
        Assert.Equal(s.Now.AddDays(15), change.State.ReopenUntil);
        Assert.Null(change.State.Execution);
        Assert.Equal(1, change.State.ReopenCount);
    }

    [Fact]
    public void Reopen_AfterWindow_PreconditionFailedReopenWindow()
    {
        // Arrange
        var s = Build(SettlementState.ExecutionOverdue);
        var late = s.State.ReopenUntil!.Value.AddSeconds(1);

        // Act
        var ex = Assert.Throws<PreconditionFailedException>(() => Reopen(s.State, late, ReopenReason.NotExecuted));

        // Assert
        Assert.Equal("REOPEN_WINDOW", ex.Type);
    }

    [Fact]
    public void ConfirmSettlement_NotReceivedThenReceived_ReceivedIsFinal()
    {
        // Arrange
        var s = Build(SettlementState.Executed);

        // Act
        s.Then(TimeSpan.FromHours(1), (d, now) => Apply(SettlementMove.ConfirmNotReceived, d, now));
        var received = s.Then(TimeSpan.FromHours(1), (d, now) => Apply(SettlementMove.ConfirmReceived, d, now));

        // Assert
        Assert.Equal(SettlementReceipt.Received, received.State.Receipt);
        Assert.Equal(s.Now, received.State.ReceiptAt);
        Assert.Equal("ALREADY_CONFIRMED",
            Assert.Throws<PreconditionFailedException>(() => Apply(SettlementMove.ConfirmNotReceived, s.State, s.Now)).Type);
    }

    [Fact]
    public void RecordSettlementExecution_OtherCurrencyOrFutureOrBeforeAgreement_ValidationError()
    {
        // Arrange
        var s = Build(SettlementState.ResolvedWithMoney);
        var d = s.State;
        var now = s.Now.AddMinutes(1);

        // Act
        var currency = Assert.Throws<ValidationException>(() => DisputeRules.RecordSettlementExecution(d, MerchantActor,
            new RecordSettlementExecutionCommand(RequestId(), d.DisputeId, "r", new Money("USD", 100), now, ""), now));
        var future = Assert.Throws<ValidationException>(() => DisputeRules.RecordSettlementExecution(d, MerchantActor,
            Execution(d, now.AddHours(1)), now));
        var early = Assert.Throws<ValidationException>(() => DisputeRules.RecordSettlementExecution(d, MerchantActor,
            Execution(d, d.ClosedAt!.Value.AddHours(-1)), now));

        // Assert
        Assert.Equal("amount.currency", Assert.Single(currency.Violations).Field);
        Assert.Equal("execute_time", Assert.Single(future.Violations).Field);
        Assert.Equal("execute_time", Assert.Single(early.Violations).Field);
    }

    [Fact]
    public void RecordSettlementExecution_Recorded_ExecutionOnDisputeWithRecordTime()
    {
        // Arrange
        var s = Build(SettlementState.ResolvedWithMoney);
        var executedAt = s.Now.AddMinutes(30);

        // Act
        var change = s.Then(TimeSpan.FromHours(1), (d, now) => DisputeRules.RecordSettlementExecution(d, MerchantActor, Execution(d, executedAt), now));

        // Assert
        Assert.Equal(new SettlementExecution("alipay-refund-1", Cny(10_000), executedAt, s.Now), change.State.Execution);
    }

    internal static DisputeScript Build(SettlementState state)
    {
        switch (state)
        {
            case SettlementState.AwaitingMerchant:
                return DisputeScript.Open(policies: Policies, start: Opened);
            case SettlementState.Negotiating:
            {
                var s = DisputeScript.Open(policies: Policies, start: Opened);
                s.Then(TimeSpan.FromMinutes(5), (d, now) => DisputeRules.MakeOffer(d, MerchantActor, Offer(d), now));
                return s;
            }
            case SettlementState.Pending:
                return DisputeScript.Open(merchantEnrolled: false, policies: Policies, start: Opened);
            case SettlementState.Accepted:
            {
                var s = Build(SettlementState.Pending);
                s.Then(TimeSpan.FromHours(1), (d, now) => DisputeRules.AcceptCase(d, Regulator, new AcceptCaseCommand(RequestId(), d.DisputeId, ""), now, Policies.For(d.CaseRegion)));
                return s;
            }
            case SettlementState.ResolvedWithMoney:
            {
                var s = DisputeScript.Open(policies: Policies, start: Opened);
                s.Then(TimeSpan.FromHours(1), (d, now) => DisputeRules.AcceptDemand(d, MerchantActor, AcceptDemand(d), now, Policies.For(d.RegionCode)));
                return s;
            }
            case SettlementState.ResolvedByMediation:
            {
                var s = Build(SettlementState.Accepted);
                s.Then(TimeSpan.FromHours(1), (d, now) => DisputeRules.RecordMediationOutcome(d, Regulator,
                    Mediation(d, Outcome.ResolvedByMediation, new Settlement(Remedy.PartialRefund, Cny(5_000))), now, Policies.For(d.RegionCode)));
                return s;
            }
            case SettlementState.ResolvedWithoutMoney:
            {
                var s = DisputeScript.Open(policies: Policies, start: Opened);
                var offer = s.Then(TimeSpan.FromMinutes(5), (d, now) => DisputeRules.MakeOffer(d, MerchantActor, Offer(d, Remedy.Repair), now));
                s.Then(TimeSpan.FromMinutes(5), (d, now) => DisputeRules.RespondToOffer(d, Consumer,
                    Answer(d, offer.State.CurrentOffer!.OfferId, OfferDecision.Accept), now, Policies.For(d.RegionCode)));
                return s;
            }
            case SettlementState.Executed:
            {
                var s = Build(SettlementState.ResolvedWithMoney);
                s.Then(TimeSpan.FromDays(1), (d, now) => DisputeRules.RecordSettlementExecution(d, MerchantActor, Execution(d, now), now));
                return s;
            }
            case SettlementState.ExecutionOverdue:
            {
                var s = Build(SettlementState.ResolvedWithMoney);
                s.TickAt(s.State.ExecutionDueAt!.Value);
                return s;
            }
            case SettlementState.Received:
            {
                var s = Build(SettlementState.Executed);
                s.Then(TimeSpan.FromHours(1), (d, now) => Apply(SettlementMove.ConfirmReceived, d, now));
                return s;
            }
            case SettlementState.Unresolved:
            {
                var s = Build(SettlementState.Accepted);
                s.Then(TimeSpan.FromHours(1), (d, now) => DisputeRules.RecordMediationOutcome(d, Regulator,
                    Mediation(d, Outcome.Unresolved, null), now, Policies.For(d.RegionCode)));
                return s;
            }
            case SettlementState.Withdrawn:
            {
                var s = DisputeScript.Open(policies: Policies, start: Opened);
                s.Then(TimeSpan.FromHours(1), (d, now) => DisputeRules.Withdraw(d, Consumer, Withdraw(d), now));
                return s;
            }
            case SettlementState.Reopened:
            {
                var s = Build(SettlementState.ExecutionOverdue);
                s.Then(TimeSpan.FromHours(1), (d, now) => Reopen(d, now, ReopenReason.NotExecuted));
                return s;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(state), state, null);
        }
    }

    private static DisputeChange Apply(SettlementMove move, Dispute d, DateTimeOffset now) => move switch
    {
        SettlementMove.RecordExecution => DisputeRules.RecordSettlementExecution(d, MerchantActor, Execution(d, now), now),
        SettlementMove.ConfirmReceived => DisputeRules.ConfirmSettlement(d, Consumer,
            new ConfirmSettlementCommand(RequestId(), d.DisputeId, SettlementReceipt.Received, ""), now),
        SettlementMove.ConfirmNotReceived => DisputeRules.ConfirmSettlement(d, Consumer,
            new ConfirmSettlementCommand(RequestId(), d.DisputeId, SettlementReceipt.NotReceived, "nothing on my card"), now),
        SettlementMove.ReopenNotExecuted => Reopen(d, now, ReopenReason.NotExecuted),
        SettlementMove.ReopenNotAsAgreed => Reopen(d, now, ReopenReason.NotAsAgreed),
        _ => throw new ArgumentOutOfRangeException(nameof(move), move, null),
    };

    private static DisputeChange Reopen(Dispute d, DateTimeOffset now, ReopenReason reason) =>
        DisputeRules.Reopen(d, Consumer, new ReopenDisputeCommand(RequestId(), d.DisputeId, reason, "the refund never came"), now, Policies.For(d.CaseRegion));

    private static RecordSettlementExecutionCommand Execution(Dispute d, DateTimeOffset executedAt) =>
        new(RequestId(), d.DisputeId, "alipay-refund-1", d.Settlement?.Amount ?? Cny(10_000), executedAt, "refunded");
}
