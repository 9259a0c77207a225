using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Errors;
using ResolutionGateway.Core.Tests.TestSupport;

namespace ResolutionGateway.Core.Tests.Disputes;

/// <summary>The state machine as a table: every command from every open state, before any deadline passed.</summary>
public sealed class DisputeRulesTransitionTableTests
{
    [Theory]
    [InlineData(Scenario.AwaitingMerchant, Move.ConsumerMessage, DisputeStatus.AwaitingMerchant)]
    [InlineData(Scenario.AwaitingMerchant, Move.MerchantMessage, DisputeStatus.Negotiating)]
    [InlineData(Scenario.AwaitingMerchant, Move.MakeOffer, DisputeStatus.Negotiating)]
    [InlineData(Scenario.AwaitingMerchant, Move.AcceptDemand, DisputeStatus.Resolved)]
    [InlineData(Scenario.AwaitingMerchant, Move.Withdraw, DisputeStatus.Withdrawn)]
    [InlineData(Scenario.NegotiatingWithPendingOffer, Move.ConsumerMessage, DisputeStatus.Negotiating)]
    [InlineData(Scenario.NegotiatingWithPendingOffer, Move.MerchantMessage, DisputeStatus.Negotiating)]
    [InlineData(Scenario.NegotiatingWithPendingOffer, Move.MakeOffer, DisputeStatus.Negotiating)]
    [InlineData(Scenario.NegotiatingWithPendingOffer, Move.AcceptCurrentOffer, DisputeStatus.Resolved)]
    [InlineData(Scenario.NegotiatingWithPendingOffer, Move.RejectCurrentOffer, DisputeStatus.Negotiating)]
    [InlineData(Scenario.NegotiatingWithPendingOffer, Move.AcceptDemand, DisputeStatus.Resolved)]
    [InlineData(Scenario.NegotiatingWithPendingOffer, Move.Escalate, DisputeStatus.Escalated)]
    [InlineData(Scenario.NegotiatingWithPendingOffer, Move.Withdraw, DisputeStatus.Withdrawn)]
    [InlineData(Scenario.EscalatedByConsumer, Move.ConsumerMessage, DisputeStatus.Escalated)]
    [InlineData(Scenario.EscalatedByConsumer, Move.MerchantMessage, DisputeStatus.Escalated)]
    [InlineData(Scenario.EscalatedByConsumer, Move.RegulatorMessage, DisputeStatus.Escalated)]
    [InlineData(Scenario.EscalatedByConsumer, Move.Withdraw, DisputeStatus.Withdrawn)]
    [InlineData(Scenario.EscalatedByConsumer, Move.MediationResolved, DisputeStatus.Resolved)]
    [InlineData(Scenario.EscalatedByConsumer, Move.MediationUnresolved, DisputeStatus.Unresolved)]
    [InlineData(Scenario.EscalatedMerchantNotEnrolled, Move.ConsumerMessage, DisputeStatus.Escalated)]
    [InlineData(Scenario.EscalatedMerchantNotEnrolled, Move.RegulatorMessage, DisputeStatus.Escalated)]
    [InlineData(Scenario.EscalatedMerchantNotEnrolled, Move.Withdraw, DisputeStatus.Withdrawn)]
    [InlineData(Scenario.EscalatedMerchantNotEnrolled, Move.MediationResolved, DisputeStatus.Resolved)]
    [InlineData(Scenario.EscalatedMerchantNotEnrolled, Move.MediationUnresolved, DisputeStatus.Unresolved)]
    public void Move_AllowedFromOpenState_OneEventWithNextSeqAndStatusAfter(Scenario scenario, Move move, DisputeStatus expected)
    {
        // Arrange
        var s = Scenarios.Build(scenario);
        var before = s.State;

        // Act
        var change = s.Then(TimeSpan.FromMinutes(1), (d, now) => Moves.Apply(move, d, now));

        // Assert
        Assert.Equal(expected, change.State.Status);
        var e = Assert.Single(change.Events);
        Assert.Equal(before.LastSeq + 1, e.Seq);
        Assert.Equal(e.Seq, change.State.LastSeq);
        Assert.Equal(change.State.Status, e.StatusAfter);
        Assert.Equal(before.DisputeId, e.DisputeId);
        Assert.Equal(s.Now, e.OccurredAt);
        Assert.Equal(s.Now, change.State.UpdatedAt);
    }

    [Theory]
    [InlineData(Scenario.AwaitingMerchant, Move.RegulatorMessage, "STATE")]
    [InlineData(Scenario.AwaitingMerchant, Move.AcceptCurrentOffer, "STATE")]
    [InlineData(Scenario.AwaitingMerchant, Move.RejectCurrentOffer, "STATE")]
    [InlineData(Scenario.AwaitingMerchant, Move.Escalate, "FIRST_RESPONSE_PENDING")]
    [InlineData(Scenario.AwaitingMerchant, Move.MediationResolved, "STATE")]
    [InlineData(Scenario.AwaitingMerchant, Move.MediationUnresolved, "STATE")]
    [InlineData(Scenario.AwaitingMerchant, Move.Rate, "STATE")]
    [InlineData(Scenario.NegotiatingWithPendingOffer, Move.RegulatorMessage, "STATE")]
    [InlineData(Scenario.NegotiatingWithPendingOffer, Move.MediationResolved, "STATE")]
    [InlineData(Scenario.NegotiatingWithPendingOffer, Move.MediationUnresolved, "STATE")]
    [InlineData(Scenario.NegotiatingWithPendingOffer, Move.Rate, "STATE")]
    [InlineData(Scenario.EscalatedByConsumer, Move.MakeOffer, "STATE")]
    [InlineData(Scenario.EscalatedByConsumer, Move.AcceptCurrentOffer, "STATE")]
    [InlineData(Scenario.EscalatedByConsumer, Move.RejectCurrentOffer, "STATE")]
    [InlineData(Scenario.EscalatedByConsumer, Move.AcceptDemand, "STATE")]
    [InlineData(Scenario.EscalatedByConsumer, Move.Escalate, "STATE")]
    [InlineData(Scenario.EscalatedByConsumer, Move.Rate, "STATE")]
    [InlineData(Scenario.EscalatedMerchantNotEnrolled, Move.MakeOffer, "STATE")]
    [InlineData(Scenario.EscalatedMerchantNotEnrolled, Move.AcceptDemand, "STATE")]
    [InlineData(Scenario.EscalatedMerchantNotEnrolled, Move.Escalate, "STATE")]
    [InlineData(Scenario.EscalatedMerchantNotEnrolled, Move.Rate, "STATE")]
    public void Move_RefusedFromOpenState_PreconditionFailed(Scenario scenario, Move move, string type)
    {
        // Arrange
        var s = Scenarios.Build(scenario);

        // Act
        var ex = Assert.Throws<PreconditionFailedException>(() => Moves.Apply(move, s.State, s.Now.AddMinutes(1)));

        // Assert
        Assert.Equal(type, ex.Type);
    }
}
