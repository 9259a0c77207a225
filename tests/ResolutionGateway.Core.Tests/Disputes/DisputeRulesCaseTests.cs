using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Errors;
using ResolutionGateway.Core.Policies;
using ResolutionGateway.Core.Tests.TestSupport;
using ResolutionGateway.Core.UseCases;
using static ResolutionGateway.Core.Tests.TestSupport.Calendars;
using static ResolutionGateway.Core.Tests.TestSupport.Samples;

namespace ResolutionGateway.Core.Tests.Disputes;

/// <summary>
/// The regulator's case handling: accept, refuse, assign, transfer from every state, and the
/// acceptance and mediation deadlines counted in working days on the region's calendar.
/// </summary>
public sealed class DisputeRulesCaseTests
{
    // Zhejiang on the 2026 National Day calendar; the case deadlines are the national defaults
    // (7 working days to accept, 45 to mediate), warnings 12 h ahead.
    private static readonly PolicySet Policies = PolicySets.Zhejiang(DeadlineRule.Hours(96), DeadlineRule.Days(7), 12, China2026);

    // Escalated at opening (merchant not enrolled) on Wednesday 30 September 2026, 15:00 local, the
    // day before the National Day holiday.
    private static readonly DateTimeOffset EscalatedAt = Local(2026, 9, 30, 15);

    // 7 working days after that: 8, 9 Oct, Saturday 10 (make-up), 12, 13, 14, 15 Oct; the end of
    // Thursday 15 October local time.
    private static readonly DateTimeOffset AcceptDue = Local(2026, 10, 16);

    private static readonly Actor OtherRegulator = new(ActorRole.Regulator, "44");

    public enum CaseMove
    {
        Accept,
        Refuse,
        Assign,
        Transfer,
    }

    public enum CaseState
    {
        AwaitingMerchant,
        Negotiating,
        Pending,
        Accepted,
        Refused,
        Resolved,
        Withdrawn,
    }

    [Theory]
    [InlineData(CaseState.Pending, CaseMove.Accept, DisputeStatus.Escalated, CaseStatus.Accepted)]
    [InlineData(CaseState.Pending, CaseMove.Refuse, DisputeStatus.Unresolved, CaseStatus.Refused)]
    [InlineData(CaseState.Pending, CaseMove.Assign, DisputeStatus.Escalated, CaseStatus.Pending)]
    [InlineData(CaseState.Pending, CaseMove.Transfer, DisputeStatus.Escalated, CaseStatus.Pending)]
    [InlineData(CaseState.Accepted, CaseMove.Assign, DisputeStatus.Escalated, CaseStatus.Accepted)]
    public void CaseMove_AllowedState_OneEventAndNewCaseStatus(CaseState state, CaseMove move, DisputeStatus status, CaseStatus caseStatus)
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
        Assert.Equal(caseStatus, change.State.CaseStatus);
        Assert.Equal(change.State, DisputeEvolution.Replay(s.Events));
    }

    [Theory]
    [InlineData(CaseState.AwaitingMerchant, CaseMove.Accept)]
    [InlineData(CaseState.AwaitingMerchant, CaseMove.Refuse)]
    [InlineData(CaseState.AwaitingMerchant, CaseMove.Assign)]
    [InlineData(CaseState.AwaitingMerchant, CaseMove.Transfer)]
    [InlineData(CaseState.Negotiating, CaseMove.Accept)]
    [InlineData(CaseState.Negotiating, CaseMove.Refuse)]
    [InlineData(CaseState.Negotiating, CaseMove.Assign)]
    [InlineData(CaseState.Negotiating, CaseMove.Transfer)]
    [InlineData(CaseState.Accepted, CaseMove.Accept)]
    [InlineData(CaseState.Accepted, CaseMove.Refuse)]
    [InlineData(CaseState.Accepted, CaseMove.Transfer)]
    [InlineData(CaseState.Refused, CaseMove.Accept)]
    [InlineData(CaseState.Refused, CaseMove.Refuse)]
    [InlineData(CaseState.Refused, CaseMove.Assign)]
    [InlineData(CaseState.Refused, CaseMove.Transfer)]
    [InlineData(CaseState.Resolved, CaseMove.Accept)]
    [InlineData(CaseState.Resolved, CaseMove.Refuse)]
    [InlineData(CaseState.Resolved, CaseMove.Assign)]
    [InlineData(CaseState.Resolved, CaseMove.Transfer)]
    [InlineData(CaseState.Withdrawn, CaseMove.Accept)]
    [InlineData(CaseState.Withdrawn, CaseMove.Refuse)]
    [InlineData(CaseState.Withdrawn, CaseMove.Assign)]
    [InlineData(CaseState.Withdrawn, CaseMove.Transfer)]
    public void CaseMove_OtherState_PreconditionFailedState(CaseState state, CaseMove move)
    {
        // Arrange
        var s = Build(state);

        // Act
        var ex = Assert.Throws<PreconditionFailedException>(() => Apply(move, s.State, s.Now.AddMinutes(1)));

        // Assert
        Assert.Equal("STATE", ex.Type);
    }

    [Fact]
    public void Open_MerchantNotEnrolledBeforeHoliday_AcceptanceDueSevenWorkingDaysLater()
    {
        // Act
        var s = Build(CaseState.Pending);

        // Assert
        Assert.Equal(CaseStatus.Pending, s.State.CaseStatus);
        Assert.Equal(AcceptDue, s.State.CaseAcceptDueAt);
        Assert.Equal(AcceptDue.AddHours(-12), s.State.CaseAcceptWarnAt);
        Assert.Equal(AcceptDue.AddHours(-12), s.State.NextTimerAt);
        var escalated = Assert.IsType<DisputeEscalated>(s.Events[^1].Detail);
        Assert.Equal(AcceptDue, escalated.AcceptDueAt);
    }

    [Fact]
    public void Tick_AcceptanceUndecidedAcrossHoliday_WarnsThenOverdueOnceAndStaysEscalated()
    {
        // Arrange
        var s = Build(CaseState.Pending);

        // Act: nothing during the holiday week, the warning 12 h before, the overdue event at the
        // deadline, then nothing more.
        var inHoliday = s.TickAt(Local(2026, 10, 7, 12));
        var warning = s.TickAt(AcceptDue.AddHours(-12));
        var overdue = s.TickAt(AcceptDue);
        var after = DisputeRules.Tick(s.State, AcceptDue.AddDays(30));

        // Assert
        Assert.Null(inHoliday);
        var w = Assert.IsType<DeadlineWarning>(Assert.Single(warning!.Events).Detail);
        Assert.Equal(new DeadlineWarning(DeadlineKind.CaseAcceptance, AcceptDue), w);
        var o = Assert.IsType<DeadlineOverdue>(Assert.Single(overdue!.Events).Detail);
        Assert.Equal(new DeadlineOverdue(DeadlineKind.CaseAcceptance, AcceptDue), o);
        Assert.Equal(DisputeStatus.Escalated, s.State.Status);
        Assert.True(s.State.CaseAcceptOverdue);
        Assert.Null(s.State.NextTimerAt);
        Assert.Null(after);
    }

    [Fact]
    public void Tick_DeadlinePassedWithoutWarning_OverdueOnlyNoLateWarning()
    {
        // Arrange
        var s = Build(CaseState.Pending);

        // Act
        var change = s.TickAt(AcceptDue.AddHours(1));

        // Assert
        Assert.IsType<DeadlineOverdue>(Assert.Single(change!.Events).Detail);
        Assert.Null(s.State.NextTimerAt);
    }

    [Fact]
    public void AcceptCase_Pending_MediationDueFortyFiveWorkingDaysLaterAndAcceptanceTimerGone()
    {
        // Arrange
        var s = Build(CaseState.Pending);
        var acceptedAt = Local(2026, 10, 8, 10);

        // Act
        var change = s.Then(acceptedAt - s.Now, (d, now) => DisputeRules.AcceptCase(d, Regulator, Accept(d), now, Policies.For(d.CaseRegion)));

        // Assert: 45 working days from Thursday 8 October (Saturday 10 October worked) end with
        // Wednesday 9 December 2026.
        Assert.Equal(acceptedAt, change.State.CaseAcceptedAt);
        Assert.Equal(Local(2026, 12, 10), change.State.MediationDueAt);
        Assert.Equal(Local(2026, 12, 10).AddHours(-12), change.State.NextTimerAt);
        Assert.Null(s.TickAt(AcceptDue.AddDays(1)));
    }

    [Fact]
    public void Tick_MediationPastDeadline_MediationOverdue()
    {
        // Arrange
        var s = Build(CaseState.Accepted);
        var due = s.State.MediationDueAt!.Value;

        // Act
        var change = s.TickAt(due);

        // Assert
        Assert.Equal(new DeadlineOverdue(DeadlineKind.Mediation, due), Assert.Single(change!.Events).Detail);
        Assert.True(s.State.MediationOverdue);
        Assert.Null(s.State.NextTimerAt);
    }

    [Fact]
    public void RefuseCase_Pending_ClosedUnresolvedWithReasonAndNoTimer()
    {
        // Arrange
        var s = Build(CaseState.Pending);

        // Act
        var change = s.Then(TimeSpan.FromHours(1), (d, now) => DisputeRules.RefuseCase(d, Regulator, Refuse(d), now));

        // Assert
        Assert.Equal(DisputeStatus.Unresolved, change.State.Status);
        Assert.Equal(Outcome.Unresolved, change.State.Outcome);
        Assert.Equal(RefusalReason.AlreadyHandled, change.State.RefusalReason);
        Assert.Equal(s.Now, change.State.ClosedAt);
        Assert.Null(change.State.NextTimerAt);
    }

    [Fact]
    public void TransferCase_Pending_NewRegionNewDeadlineOfficerCleared()
    {
        // Arrange
        var s = Build(CaseState.Pending);
        s.Then(TimeSpan.FromMinutes(1), (d, now) => DisputeRules.AssignCase(d, Regulator, Assign(d), now));
        var transferredAt = Local(2026, 10, 12, 9);

        // Act
        var change = s.Then(transferredAt - s.Now, (d, now) => DisputeRules.TransferCase(d, Regulator, Transfer(d, "330110"), now, Policies.For("330110")));

        // Assert: 7 working days from Monday 12 October end with Wednesday 21 October.
        Assert.Equal("330110", change.State.CaseRegionPrefix);
        Assert.Equal("330110", change.State.CaseRegion);
        Assert.Equal("", change.State.AssignedOfficer);
        Assert.Equal(Local(2026, 10, 22), change.State.CaseAcceptDueAt);
        var t = Assert.IsType<CaseTransferred>(Assert.Single(change.Events).Detail);
        Assert.Equal(RegionCode, t.FromPrefix);
    }

    [Fact]
    public void TransferCase_ToRegionItIsIn_PreconditionFailedSameRegion()
    {
        // Arrange
        var s = Build(CaseState.Pending);

        // Act
        var ex = Assert.Throws<PreconditionFailedException>(
            () => DisputeRules.TransferCase(s.State, Regulator, Transfer(s.State, RegionCode), s.Now, Policies.For(RegionCode)));

        // Assert
        Assert.Equal("SAME_REGION", ex.Type);
    }

    [Theory]
    [InlineData(CaseMove.Accept)]
    [InlineData(CaseMove.Refuse)]
    [InlineData(CaseMove.Assign)]
    [InlineData(CaseMove.Transfer)]
    public void CaseMove_RegulatorOutsideCaseRegion_PermissionDenied(CaseMove move)
    {
        // Arrange: the case went from Zhejiang (33) to Guangdong (44); Zhejiang no longer acts on it.
        var s = Build(CaseState.Pending);
        s.Then(TimeSpan.FromMinutes(1), (d, now) => DisputeRules.TransferCase(d, Regulator, Transfer(d, "44"), now, Policies.For("44")));

        // Act + Assert
        Assert.Throws<PermissionDeniedException>(() => Apply(move, s.State, s.Now.AddMinutes(1)));
        Assert.Throws<PermissionDeniedException>(() => DisputeRules.RecordMediationOutcome(
            s.State, Regulator, Mediation(s.State, Outcome.Unresolved, null), s.Now.AddMinutes(1)));
    }

    [Fact]
    public void AcceptCase_ReceivingRegulatorAfterTransfer_Accepted()
    {
        // Arrange
        var s = Build(CaseState.Pending);
        s.Then(TimeSpan.FromMinutes(1), (d, now) => DisputeRules.TransferCase(d, Regulator, Transfer(d, "44"), now, Policies.For("44")));

        // Act
        var change = s.Then(TimeSpan.FromMinutes(1), (d, now) => DisputeRules.AcceptCase(d, OtherRegulator, Accept(d), now, Policies.For(d.CaseRegion)));

        // Assert
        Assert.Equal(CaseStatus.Accepted, change.State.CaseStatus);
    }

    [Fact]
    public void AssignCase_SameOfficerAgain_PreconditionFailedAlreadyAssigned()
    {
        // Arrange
        var s = Build(CaseState.Pending);
        s.Then(TimeSpan.FromMinutes(1), (d, now) => DisputeRules.AssignCase(d, Regulator, Assign(d), now));

        // Act
        var ex = Assert.Throws<PreconditionFailedException>(() => DisputeRules.AssignCase(s.State, Regulator, Assign(s.State), s.Now));

        // Assert
        Assert.Equal("ALREADY_ASSIGNED", ex.Type);
    }

    [Fact]
    public void Escalate_WithPolicy_AcceptanceDeadlineFromEscalationTime()
    {
        // Arrange
        var s = DisputeScript.Open(policies: Policies, start: Local(2026, 9, 28, 9));
        s.Then(TimeSpan.FromMinutes(5), (d, now) => DisputeRules.MakeOffer(d, MerchantActor, Offer(d), now));

        // Act: escalated Tuesday 29 September; working days 30 Sep, 8, 9, 10 (Sat), 12, 13, 14 Oct.
        var change = s.Then(Local(2026, 9, 29, 9) - s.Now, (d, now) => DisputeRules.Escalate(d, Consumer, Escalate(d), now, Policies.For(d.RegionCode)));

        // Assert
        Assert.Equal(Local(2026, 10, 15), change.State.CaseAcceptDueAt);
    }

    internal static DisputeScript Build(CaseState state)
    {
        switch (state)
        {
            case CaseState.AwaitingMerchant:
                return DisputeScript.Open(policies: Policies, start: EscalatedAt);
            case CaseState.Negotiating:
            {
                var s = DisputeScript.Open(policies: Policies, start: EscalatedAt);
                s.Then(TimeSpan.FromMinutes(5), (d, now) => DisputeRules.MakeOffer(d, MerchantActor, Offer(d), now));
                return s;
            }
            case CaseState.Pending:
                return DisputeScript.Open(merchantEnrolled: false, policies: Policies, start: EscalatedAt);
            case CaseState.Accepted:
            {
                var s = Build(CaseState.Pending);
                s.Then(TimeSpan.FromHours(1), (d, now) => DisputeRules.AcceptCase(d, Regulator, Accept(d), now, Policies.For(d.CaseRegion)));
                return s;
            }
            case CaseState.Refused:
            {
                var s = Build(CaseState.Pending);
                s.Then(TimeSpan.FromHours(1), (d, now) => DisputeRules.RefuseCase(d, Regulator, Refuse(d), now));
                return s;
            }
            case CaseState.Resolved:
            {
                var s = Build(CaseState.Accepted);
                s.Then(TimeSpan.FromHours(1), (d, now) => DisputeRules.RecordMediationOutcome(d, Regulator,
                    Mediation(d, Outcome.ResolvedByMediation, new Settlement(Remedy.PartialRefund, Cny(5_000))), now));
                return s;
            }
            case CaseState.Withdrawn:
            {
                var s = Build(CaseState.Pending);
                s.Then(TimeSpan.FromHours(1), (d, now) => DisputeRules.Withdraw(d, Consumer, Withdraw(d), now));
                return s;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(state), state, null);
        }
    }

    private static DisputeChange Apply(CaseMove move, Dispute d, DateTimeOffset now) => move switch
    {
        CaseMove.Accept => DisputeRules.AcceptCase(d, Regulator, Accept(d), now, Policies.For(d.CaseRegion)),
        CaseMove.Refuse => DisputeRules.RefuseCase(d, Regulator, Refuse(d), now),
        CaseMove.Assign => DisputeRules.AssignCase(d, Regulator, Assign(d), now),
        CaseMove.Transfer => DisputeRules.TransferCase(d, Regulator, Transfer(d, "330110"), now, Policies.For("330110")),
        _ => throw new ArgumentOutOfRangeException(nameof(move), move, null),
    };

    private static AcceptCaseCommand Accept(Dispute d) => new(RequestId(), d.DisputeId, "accepted");

    private static RefuseCaseCommand Refuse(Dispute d) => new(RequestId(), d.DisputeId, RefusalReason.AlreadyHandled, "a court has ruled on it");

    private static AssignCaseCommand Assign(Dispute d) => new(RequestId(), d.DisputeId, "Officer Wang", "");

    private static TransferCaseCommand Transfer(Dispute d, string prefix) => new(RequestId(), d.DisputeId, prefix, "merchant operates there");
}
