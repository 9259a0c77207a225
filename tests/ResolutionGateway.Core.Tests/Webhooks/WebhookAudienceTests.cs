using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Policies;
using ResolutionGateway.Core.Tests.TestSupport;
using ResolutionGateway.Core.Webhooks;
using static ResolutionGateway.Core.Tests.TestSupport.Samples;

namespace ResolutionGateway.Core.Tests.Webhooks;

/// <summary>The regulator hears of a dispute from its escalation on, never before.</summary>
public sealed class WebhookAudienceTests
{
    private static bool[] Audience(DisputeChange change) => WebhookAudience.ToRegulator(change.State, change.Events);

    [Fact]
    public void ToRegulator_MerchantMessageOnNeverEscalatedDispute_AllFalse()
    {
        // Arrange
        var s = DisputeScript.Open();

        // Act
        var flags = Audience(s.Then(TimeSpan.FromHours(1), (d, now) => DisputeRules.PostMessage(d, MerchantActor, Message(d), now)));

        // Assert
        Assert.Equal([false], flags);
    }

    [Fact]
    public void ToRegulator_OpenedForEnrolledMerchant_False()
    {
        // Arrange
        var command = OpenCommand(Order(Start.AddDays(-1), RegionCode));

        // Act
        var flags = Audience(DisputeRules.Open(command, ChannelId, Merchant, Store, NationalPolicies, Start));

        // Assert
        Assert.Equal([false], flags);
    }

    [Fact]
    public void ToRegulator_OpenedAndEscalatedForUnenrolledMerchant_OnlyEscalation()
    {
        // Arrange
        var command = OpenCommand(Order(Start.AddDays(-1), RegionCode));

        // Act
        var flags = Audience(DisputeRules.Open(command, ChannelId, merchant: null, store: null, NationalPolicies, Start));

        // Assert
        Assert.Equal([false, true], flags);
    }

    [Fact]
    public void ToRegulator_MessageOnEscalatedDispute_True()
    {
        // Arrange
        var s = Scenarios.Build(Scenario.EscalatedByConsumer);

        // Act
        var flags = Audience(s.Then(TimeSpan.FromHours(1), (d, now) => DisputeRules.PostMessage(d, Consumer, Message(d), now)));

        // Assert
        Assert.Equal([true], flags);
    }

    [Fact]
    public void ToRegulator_ConsumerEscalates_True()
    {
        // Arrange
        var s = Scenarios.Build(Scenario.NegotiatingWithPendingOffer);

        // Act
        var flags = Audience(s.Then(TimeSpan.FromHours(1), (d, now) => DisputeRules.Escalate(d, Consumer, Escalate(d), now)));

        // Assert
        Assert.Equal([true], flags);
    }

    [Fact]
    public void ToRegulator_MediationOutcomeOnEscalatedDispute_True()
    {
        // Arrange: the dispute is closed by the change, but was escalated before it.
        var s = Scenarios.Build(Scenario.EscalatedMerchantNotEnrolled);

        // Act
        var flags = Audience(s.Then(TimeSpan.FromDays(1), (d, now) => DisputeRules.RecordMediationOutcome(d, Regulator,
            Mediation(d, Outcome.Unresolved, null), now)));

        // Assert
        Assert.Equal([true], flags);
    }

    [Fact]
    public void ToRegulator_RatingOfNegotiatedResolution_False()
    {
        // Arrange: resolved without the regulator.
        var s = Scenarios.Build(Scenario.ResolvedByAcceptedOffer);

        // Act
        var flags = Audience(s.Then(TimeSpan.FromDays(1), (d, now) => DisputeRules.Rate(d, Consumer, Rate(d), now)));

        // Assert
        Assert.Equal([false], flags);
    }

    [Fact]
    public void ToRegulator_DeadlineWarningsBeforeEscalation_False()
    {
        // Arrange: both warnings due at +36 h under 48 h / 2 days.
        var s = DisputeScript.Open(policies: PolicySets.Zhejiang(DeadlineRule.Hours(48), DeadlineRule.Days(2)));

        // Act
        var flags = Audience(s.TickAt(Start.AddHours(36))!);

        // Assert
        Assert.Equal([false, false], flags);
    }

    [Fact]
    public void ToRegulator_SystemEscalationForMissedFirstResponse_True()
    {
        // Arrange
        var s = DisputeScript.Open();

        // Act
        var flags = Audience(s.TickAt(s.State.FirstResponseDueAt)!);

        // Assert
        Assert.Equal([true], flags);
    }

    [Fact]
    public void ToRegulator_NoEvents_Empty()
    {
        // Arrange
        var d = Scenarios.Build(Scenario.EscalatedByConsumer).State;

        // Act
        var flags = WebhookAudience.ToRegulator(d, []);

        // Assert
        Assert.Empty(flags);
    }
}
