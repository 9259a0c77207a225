using System.Text.Json;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Policies;
using ResolutionGateway.Core.Tests.TestSupport;
using static ResolutionGateway.Core.Tests.TestSupport.Samples;

namespace ResolutionGateway.Core.Tests.Disputes;

/// <summary>
/// <see cref="DisputeRules.Tick"/>, the deadline worker's decision. National default from
/// <see cref="Samples.Start"/>: first-response warning at +84 h, deadline at +96 h; negotiation
/// warning at +6 d 12 h, deadline at +7 d.
/// </summary>
public sealed class DisputeRulesTickTests
{
    private static readonly DateTimeOffset FirstWarn = Start.AddHours(84);
    private static readonly DateTimeOffset FirstDue = Start.AddHours(96);
    private static readonly DateTimeOffset NegotiationWarn = Start.AddDays(6).AddHours(12);
    private static readonly DateTimeOffset NegotiationDue = Start.AddDays(7);

    private static DisputeScript Negotiating()
    {
        var s = DisputeScript.Open();
        s.Then(TimeSpan.FromHours(1), (d, now) => DisputeRules.MakeOffer(d, MerchantActor, Offer(d), now));
        return s;
    }

    [Fact]
    public void Tick_RightAfterOpening_Null()
    {
        // Arrange
        var d = DisputeScript.Open().State;

        // Act
        var change = DisputeRules.Tick(d, Start);

        // Assert
        Assert.Null(change);
    }

    [Fact]
    public void Tick_OneSecondBeforeFirstWarning_Null()
    {
        // Arrange
        var d = DisputeScript.Open().State;

        // Act
        var change = DisputeRules.Tick(d, FirstWarn.AddSeconds(-1));

        // Assert
        Assert.Null(change);
    }

    [Fact]
    public void Tick_AtFirstResponseWarnAt_FirstResponseWarningBySystem()
    {
        // Arrange
        var d = DisputeScript.Open().State;

        // Act
        var change = DisputeRules.Tick(d, FirstWarn);

        // Assert
        Assert.NotNull(change);
        var e = Assert.Single(change.Events);
        Assert.Equal(new DeadlineWarning(DeadlineKind.FirstResponse, FirstDue), e.Detail);
        Assert.Equal(Actor.System, e.Actor);
        Assert.Equal(d.LastSeq + 1, e.Seq);
        Assert.Equal(FirstWarn, e.OccurredAt);
        Assert.Equal(DisputeStatus.AwaitingMerchant, e.StatusAfter);
        Assert.Equal(d.DisputeId, e.DisputeId);
        Assert.True(change.State.FirstResponseWarned);
        Assert.False(change.State.NegotiationWarned);
        Assert.Equal(DisputeStatus.AwaitingMerchant, change.State.Status);
        Assert.Equal(e.Seq, change.State.LastSeq);
        Assert.Equal(FirstWarn, change.State.UpdatedAt);
    }

    [Fact]
    public void Tick_LateAfterWarnAtButBeforeDeadline_WarningAtTickTime()
    {
        // Arrange: the worker was down for 5 hours around the warning time.
        var d = DisputeScript.Open().State;
        var late = FirstWarn.AddHours(5);

        // Act
        var change = DisputeRules.Tick(d, late);

        // Assert
        Assert.NotNull(change);
        var e = Assert.Single(change.Events);
        Assert.Equal(new DeadlineWarning(DeadlineKind.FirstResponse, FirstDue), e.Detail);
        Assert.Equal(late, e.OccurredAt);
    }

    [Fact]
    public void Tick_SameTimeAfterWarningApplied_Null()
    {
        // Arrange: a second worker looks at the dispute after the first committed the warning.
        var s = DisputeScript.Open();
        s.TickAt(FirstWarn);

        // Act
        var change = DisputeRules.Tick(s.State, FirstWarn);

        // Assert
        Assert.Null(change);
    }

    [Fact]
    public void Tick_WarnedAndOneSecondBeforeDeadline_Null()
    {
        // Arrange
        var s = DisputeScript.Open();
        s.TickAt(FirstWarn);

        // Act
        var change = DisputeRules.Tick(s.State, FirstDue.AddSeconds(-1));

        // Assert
        Assert.Null(change);
    }

    [Fact]
    public void Tick_AtFirstResponseDueAt_EscalatedFirstResponseOverdueBySystem()
    {
        // Arrange
        var s = DisputeScript.Open();
        s.TickAt(FirstWarn);
        var before = s.State;

        // Act
        var change = DisputeRules.Tick(before, FirstDue);

        // Assert
        Assert.NotNull(change);
        var e = Assert.Single(change.Events);
        var escalated = Assert.IsType<DisputeEscalated>(e.Detail);
        Assert.Equal(EscalationReason.FirstResponseOverdue, escalated.Reason);
        Assert.Contains("2025-11-15T02:00:00Z", escalated.Note, StringComparison.Ordinal);
        Assert.Equal(Actor.System, e.Actor);
        Assert.Equal(before.LastSeq + 1, e.Seq);
        Assert.Equal(DisputeStatus.Escalated, e.StatusAfter);
        Assert.Equal(DisputeStatus.Escalated, change.State.Status);
        Assert.Equal(EscalationReason.FirstResponseOverdue, change.State.EscalationReason);
        Assert.Equal(FirstDue, change.State.EscalatedAt);
        Assert.Null(change.State.NextTimerAt);
    }

    [Fact]
    public void Tick_LongDowntimePastBothDeadlines_OnlyFirstResponseEscalation()
    {
        // Arrange: nothing was warned; the worker comes back 10 days after the opening.
        var d = DisputeScript.Open().State;

        // Act
        var change = DisputeRules.Tick(d, Start.AddDays(10));

        // Assert: a missed deadline makes the pending warnings pointless.
        Assert.NotNull(change);
        var e = Assert.Single(change.Events);
        Assert.Equal(EscalationReason.FirstResponseOverdue, Assert.IsType<DisputeEscalated>(e.Detail).Reason);
        Assert.DoesNotContain(change.Events, x => x.Detail is DeadlineWarning);
        Assert.False(change.State.FirstResponseWarned);
        Assert.Equal(DisputeStatus.Escalated, change.State.Status);
    }

    [Fact]
    public void Tick_NoWarningLead_EscalatesWithoutEverWarning()
    {
        // Arrange
        var s = DisputeScript.Open(policies: PolicySets.Zhejiang(DeadlineRule.Hours(96), DeadlineRule.Days(7), warningLeadHours: 0));

        // Act
        var atWarnTime = s.TickAt(FirstWarn);
        var atDeadline = s.TickAt(FirstDue);

        // Assert
        Assert.Null(atWarnTime);
        Assert.NotNull(atDeadline);
        Assert.Equal(EscalationReason.FirstResponseOverdue, Assert.IsType<DisputeEscalated>(Assert.Single(atDeadline.Events).Detail).Reason);
    }

    [Fact]
    public void Tick_AwaitingBothWarningsDue_TwoWarningsInOneChangeFirstResponseFirst()
    {
        // Arrange: 48 h to respond and 2 days to settle: both warnings fall at +36 h.
        var s = DisputeScript.Open(policies: PolicySets.Zhejiang(DeadlineRule.Hours(48), DeadlineRule.Days(2)));
        var before = s.State;
        var at = Start.AddHours(36);

        // Act
        var change = DisputeRules.Tick(before, at);

        // Assert
        Assert.NotNull(change);
        Assert.Collection(change.Events,
            e =>
            {
                Assert.Equal(new DeadlineWarning(DeadlineKind.FirstResponse, Start.AddHours(48)), e.Detail);
                Assert.Equal(before.LastSeq + 1, e.Seq);
            },
            e =>
            {
                Assert.Equal(new DeadlineWarning(DeadlineKind.Negotiation, Start.AddDays(2)), e.Detail);
                Assert.Equal(before.LastSeq + 2, e.Seq);
            });
        Assert.All(change.Events, e => Assert.Equal(Actor.System, e.Actor));
        Assert.True(change.State.FirstResponseWarned);
        Assert.True(change.State.NegotiationWarned);
        Assert.Equal(before.LastSeq + 2, change.State.LastSeq);
    }

    [Fact]
    public void Tick_AwaitingNegotiationWarningOnlyDue_NegotiationWarning()
    {
        // Arrange: 96 h to respond, 2 days to settle: at +36 h only the negotiation warning is due.
        var d = DisputeScript.Open(policies: PolicySets.Zhejiang(DeadlineRule.Hours(96), DeadlineRule.Days(2))).State;

        // Act
        var change = DisputeRules.Tick(d, Start.AddHours(36));

        // Assert
        Assert.NotNull(change);
        Assert.Equal(new DeadlineWarning(DeadlineKind.Negotiation, Start.AddDays(2)), Assert.Single(change.Events).Detail);
        Assert.False(change.State.FirstResponseWarned);
        Assert.True(change.State.NegotiationWarned);
    }

    [Fact]
    public void Tick_AwaitingNegotiationEndsBeforeFirstResponse_EscalatedNegotiationExpired()
    {
        // Arrange: 100 h to respond but only 3 days to settle.
        var d = DisputeScript.Open(policies: PolicySets.Zhejiang(DeadlineRule.Hours(100), DeadlineRule.Days(3))).State;

        // Act
        var change = DisputeRules.Tick(d, Start.AddDays(3));

        // Assert
        Assert.NotNull(change);
        Assert.Equal(EscalationReason.NegotiationExpired, Assert.IsType<DisputeEscalated>(Assert.Single(change.Events).Detail).Reason);
        Assert.Equal(DisputeStatus.Escalated, change.State.Status);
    }

    [Theory]
    [InlineData(84)]
    [InlineData(96)]
    [InlineData(120)]
    public void Tick_NegotiatingPastFirstResponseTimes_Null(int hours)
    {
        // Arrange: the merchant answered within the hour; the first-response timers no longer apply.
        var d = Negotiating().State;

        // Act
        var change = DisputeRules.Tick(d, Start.AddHours(hours));

        // Assert
        Assert.Null(change);
    }

    [Fact]
    public void Tick_NegotiatingAtNegotiationWarnAt_NegotiationWarning()
    {
        // Arrange
        var d = Negotiating().State;

        // Act
        var change = DisputeRules.Tick(d, NegotiationWarn);

        // Assert
        Assert.NotNull(change);
        var e = Assert.Single(change.Events);
        Assert.Equal(new DeadlineWarning(DeadlineKind.Negotiation, NegotiationDue), e.Detail);
        Assert.Equal(Actor.System, e.Actor);
        Assert.Equal(DisputeStatus.Negotiating, e.StatusAfter);
        Assert.True(change.State.NegotiationWarned);
        Assert.False(change.State.FirstResponseWarned);
    }

    [Fact]
    public void Tick_NegotiatingWarnedSameTime_Null()
    {
        // Arrange
        var s = Negotiating();
        s.TickAt(NegotiationWarn);

        // Act
        var change = DisputeRules.Tick(s.State, NegotiationWarn);

        // Assert
        Assert.Null(change);
    }

    [Fact]
    public void Tick_NegotiatingAtNegotiationDueAt_EscalatedNegotiationExpiredPendingOfferSuperseded()
    {
        // Arrange
        var s = Negotiating();
        s.TickAt(NegotiationWarn);
        var before = s.State;

        // Act
        var change = DisputeRules.Tick(before, NegotiationDue);

        // Assert
        Assert.NotNull(change);
        var e = Assert.Single(change.Events);
        var escalated = Assert.IsType<DisputeEscalated>(e.Detail);
        Assert.Equal(EscalationReason.NegotiationExpired, escalated.Reason);
        Assert.Contains("2025-11-18T02:00:00Z", escalated.Note, StringComparison.Ordinal);
        Assert.Equal(Actor.System, e.Actor);
        Assert.Equal(DisputeStatus.Escalated, e.StatusAfter);
        Assert.Equal(DisputeStatus.Escalated, change.State.Status);
        Assert.Equal(EscalationReason.NegotiationExpired, change.State.EscalationReason);
        Assert.Equal(NegotiationDue, change.State.EscalatedAt);
        Assert.Equal(OfferStatus.Superseded, change.State.CurrentOffer!.Status);
    }

    [Fact]
    public void Tick_NegotiatingLongDowntime_OnlyNegotiationEscalation()
    {
        // Arrange
        var d = Negotiating().State;

        // Act
        var change = DisputeRules.Tick(d, Start.AddDays(20));

        // Assert
        Assert.NotNull(change);
        var e = Assert.Single(change.Events);
        Assert.Equal(EscalationReason.NegotiationExpired, Assert.IsType<DisputeEscalated>(e.Detail).Reason);
        Assert.False(change.State.NegotiationWarned);
    }

    [Theory]
    [MemberData(nameof(DisputeNextTimerTests.WithoutTimers), MemberType = typeof(DisputeNextTimerTests))]
    public void Tick_EscalatedOrClosed_NeverTicks(Scenario scenario)
    {
        // Arrange
        var s = Scenarios.Build(scenario);

        // Act
        var changes = new[] { s.Now, FirstWarn, FirstDue, NegotiationWarn, NegotiationDue, Start.AddDays(30) }
            .Where(t => t >= s.Now)
            .Select(t => DisputeRules.Tick(s.State, t))
            .ToList();

        // Assert
        Assert.NotEmpty(changes);
        Assert.All(changes, Assert.Null);
    }

    [Fact]
    public void Replay_LogWithWarningsAndSystemEscalation_EqualsState()
    {
        // Arrange: both warnings and an escalation recorded by ticks, with moves in between.
        var s = DisputeScript.Open();
        s.Then(TimeSpan.FromHours(2), (d, now) => DisputeRules.PostMessage(d, Consumer, Message(d), now));
        s.TickAt(FirstWarn);
        s.Then(TimeSpan.FromHours(1), (d, now) => DisputeRules.MakeOffer(d, MerchantActor, Offer(d), now));
        s.TickAt(NegotiationWarn);
        s.TickAt(NegotiationDue);

        // Act
        var replayed = DisputeEvolution.Replay(s.Events);
        var roundTripped = DisputeEvolution.Replay(s.Events
            .Select(e => e with { Detail = JsonSerializer.Deserialize<EventDetail>(JsonSerializer.Serialize(e.Detail))! }));

        // Assert
        Assert.Equal(["opened", "message_posted", "deadline_warning", "offer_made", "deadline_warning", "escalated"],
            s.Events.Select(e => e.Detail.Type));
        Assert.Equal(JsonSerializer.Serialize(s.State), JsonSerializer.Serialize(replayed));
        Assert.Equal(JsonSerializer.Serialize(s.State), JsonSerializer.Serialize(roundTripped));
        Assert.True(replayed.FirstResponseWarned);
        Assert.True(replayed.NegotiationWarned);
    }

    [Fact]
    public void Apply_DeadlineWarning_SetsOnlyItsFlag()
    {
        // Arrange
        var d = DisputeScript.Open().State;
        var e = new DisputeEvent(d.DisputeId, d.LastSeq + 1, FirstWarn, Actor.System, DisputeStatus.AwaitingMerchant,
            new DeadlineWarning(DeadlineKind.Negotiation, NegotiationDue));

        // Act
        var after = DisputeEvolution.Apply(d, e);

        // Assert
        Assert.True(after.NegotiationWarned);
        Assert.False(after.FirstResponseWarned);
        Assert.Equal(d.Status, after.Status);
        Assert.Equal(e.Seq, after.LastSeq);
    }
}
