using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Policies;
using ResolutionGateway.Core.Tests.TestSupport;
using static ResolutionGateway.Core.Tests.TestSupport.Samples;

namespace ResolutionGateway.Core.Tests.Disputes;

/// <summary>
/// <see cref="Dispute.NextTimerAt"/>: when the deadline worker must next look at a dispute. National
/// default from <see cref="Samples.Start"/>: first-response warning at +84 h, deadline at +96 h;
/// negotiation warning at +6 d 12 h, deadline at +7 d.
/// </summary>
public sealed class DisputeNextTimerTests
{
    // Escalations decided without a region policy, so their cases carry no regulator deadline (the
    // escalation at opening always has one: see DisputeRulesCaseTests).
    public static TheoryData<Scenario> WithoutTimers() =>
    [
        Scenario.EscalatedByConsumer, Scenario.EscalatedFirstResponseOverdue,
        Scenario.EscalatedNegotiationExpired, Scenario.ResolvedByAcceptedOffer, Scenario.ResolvedByAcceptedDemand,
        Scenario.ResolvedByMediation, Scenario.Unresolved, Scenario.Withdrawn, Scenario.RatedAfterResolution,
    ];

    [Theory]
    [MemberData(nameof(WithoutTimers))]
    public void NextTimerAt_EscalatedOrClosed_Null(Scenario scenario)
    {
        // Arrange
        var d = Scenarios.Build(scenario).State;

        // Act
        var next = d.NextTimerAt;

        // Assert
        Assert.Null(next);
    }

    [Fact]
    public void NextTimerAt_EscalatedWithUnsentWarnings_Null()
    {
        // Arrange: escalated by the consumer right after the first-response deadline, nothing warned.
        var s = DisputeScript.Open();
        s.Then(TimeSpan.FromHours(97), (d, now) => DisputeRules.Escalate(d, Consumer, Escalate(d), now));

        // Act
        var next = s.State.NextTimerAt;

        // Assert
        Assert.False(s.State.NegotiationWarned);
        Assert.Null(next);
    }

    [Fact]
    public void NextTimerAt_AwaitingNothingWarned_FirstResponseWarning()
    {
        // Arrange
        var d = DisputeScript.Open().State;

        // Act
        var next = d.NextTimerAt;

        // Assert
        Assert.Equal(Start.AddHours(84), next);
    }

    [Fact]
    public void NextTimerAt_AwaitingFirstResponseWarned_FirstResponseDeadline()
    {
        // Arrange
        var d = DisputeScript.Open().State with { FirstResponseWarned = true };

        // Act
        var next = d.NextTimerAt;

        // Assert
        Assert.Equal(Start.AddHours(96), next);
    }

    [Fact]
    public void NextTimerAt_AwaitingNoWarnings_EarlierOfTheTwoDeadlines()
    {
        // Arrange: no warning lead; negotiation (3 days) ends before the first response is due (100 h).
        var d = DisputeScript.Open(policies: PolicySets.Zhejiang(DeadlineRule.Hours(100), DeadlineRule.Days(3), warningLeadHours: 0)).State;

        // Act
        var next = d.NextTimerAt;

        // Assert
        Assert.Null(d.FirstResponseWarnAt);
        Assert.Null(d.NegotiationWarnAt);
        Assert.Equal(Start.AddDays(3), next);
    }

    [Fact]
    public void NextTimerAt_AwaitingNegotiationWarningFirst_NegotiationWarning()
    {
        // Arrange: 96 h to respond, 2 days to settle: the negotiation warning (+36 h) comes first.
        var d = DisputeScript.Open(policies: PolicySets.Zhejiang(DeadlineRule.Hours(96), DeadlineRule.Days(2))).State;

        // Act
        var next = d.NextTimerAt;

        // Assert
        Assert.Equal(Start.AddHours(36), next);
    }

    [Fact]
    public void NextTimerAt_AwaitingNegotiationWarned_FirstResponseWarningNext()
    {
        // Arrange: as above, with the negotiation warning sent.
        var d = DisputeScript.Open(policies: PolicySets.Zhejiang(DeadlineRule.Hours(96), DeadlineRule.Days(2))).State
            with { NegotiationWarned = true };

        // Act
        var next = d.NextTimerAt;

        // Assert: the negotiation deadline (+48 h) precedes the first-response warning (+84 h).
        Assert.Equal(Start.AddHours(48), next);
    }

    [Fact]
    public void NextTimerAt_AwaitingBothWarned_EarlierDeadline()
    {
        // Arrange
        var d = DisputeScript.Open().State with { FirstResponseWarned = true, NegotiationWarned = true };

        // Act
        var next = d.NextTimerAt;

        // Assert
        Assert.Equal(d.FirstResponseDueAt, next);
    }

    [Fact]
    public void NextTimerAt_NegotiatingNotWarned_NegotiationWarningIgnoringFirstResponse()
    {
        // Arrange: the merchant answered within an hour; the first-response timers no longer matter.
        var s = DisputeScript.Open();
        s.Then(TimeSpan.FromHours(1), (d, now) => DisputeRules.PostMessage(d, MerchantActor, Message(d), now));

        // Act
        var next = s.State.NextTimerAt;

        // Assert
        Assert.Equal(DisputeStatus.Negotiating, s.State.Status);
        Assert.False(s.State.FirstResponseWarned);
        Assert.Equal(Start.AddDays(6).AddHours(12), next);
    }

    [Fact]
    public void NextTimerAt_NegotiatingWarned_NegotiationDeadline()
    {
        // Arrange
        var s = DisputeScript.Open();
        s.Then(TimeSpan.FromHours(1), (d, now) => DisputeRules.MakeOffer(d, MerchantActor, Offer(d), now));
        var d = s.State with { NegotiationWarned = true };

        // Act
        var next = d.NextTimerAt;

        // Assert
        Assert.Equal(Start.AddDays(7), next);
    }

    [Fact]
    public void NextTimerAt_NegotiatingWithoutWarning_NegotiationDeadline()
    {
        // Arrange: no warning lead.
        var s = DisputeScript.Open(policies: PolicySets.Zhejiang(DeadlineRule.Hours(96), DeadlineRule.Days(7), warningLeadHours: 0));
        s.Then(TimeSpan.FromHours(1), (d, now) => DisputeRules.PostMessage(d, MerchantActor, Message(d), now));

        // Act
        var next = s.State.NextTimerAt;

        // Assert
        Assert.Equal(Start.AddDays(7), next);
    }
}
