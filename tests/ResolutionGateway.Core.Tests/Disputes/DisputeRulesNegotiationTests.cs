using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Errors;
using ResolutionGateway.Core.Tests.TestSupport;
using ResolutionGateway.Core.UseCases;
using static ResolutionGateway.Core.Tests.TestSupport.Samples;

namespace ResolutionGateway.Core.Tests.Disputes;

public sealed class DisputeRulesNegotiationTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public void PostMessage_MerchantWhileAwaitingMerchant_NegotiatingWithFirstResponseTime()
    {
        // Arrange
        var s = DisputeScript.Open();

        // Act
        var change = s.Then(3 * Hour, (d, now) => DisputeRules.PostMessage(d, MerchantActor, Message(d), now));

        // Assert
        Assert.Equal(DisputeStatus.Negotiating, change.State.Status);
        Assert.Equal(Start.AddHours(3), change.State.FirstResponseAt);
        Assert.Equal(Start.AddHours(3), change.State.UpdatedAt);
        var e = Assert.Single(change.Events);
        Assert.Equal(2, e.Seq);
        Assert.Equal(DisputeStatus.Negotiating, e.StatusAfter);
        Assert.Equal(MerchantActor, e.Actor);
        Assert.Equal("Please look at the photo.", Assert.IsType<MessagePosted>(e.Detail).Text);
    }

    [Fact]
    public void PostMessage_SecondMerchantMessage_KeepsFirstResponseTime()
    {
        // Arrange
        var s = DisputeScript.Open();
        s.Then(Hour, (d, now) => DisputeRules.PostMessage(d, MerchantActor, Message(d), now));

        // Act
        var change = s.Then(Hour, (d, now) => DisputeRules.PostMessage(d, MerchantActor, Message(d), now));

        // Assert
        Assert.Equal(Start.AddHours(1), change.State.FirstResponseAt);
        Assert.Equal(Start.AddHours(2), change.State.UpdatedAt);
        Assert.Equal(3, change.State.LastSeq);
    }

    [Fact]
    public void PostMessage_ConsumerWhileAwaitingMerchant_StatusUnchanged()
    {
        // Arrange
        var s = DisputeScript.Open();

        // Act
        var change = s.Then(Hour, (d, now) => DisputeRules.PostMessage(d, Consumer, Message(d), now));

        // Assert
        Assert.Equal(DisputeStatus.AwaitingMerchant, change.State.Status);
        Assert.Null(change.State.FirstResponseAt);
        Assert.Equal(2, change.State.LastSeq);
        Assert.Equal(DisputeStatus.AwaitingMerchant, Assert.Single(change.Events).StatusAfter);
    }

    [Theory]
    [InlineData(Scenario.AwaitingMerchant)]
    [InlineData(Scenario.NegotiatingWithPendingOffer)]
    public void PostMessage_RegulatorBeforeEscalation_PreconditionFailed(Scenario scenario)
    {
        // Arrange
        var d = Scenarios.Build(scenario).State;

        // Act
        var ex = Assert.Throws<PreconditionFailedException>(
            () => DisputeRules.PostMessage(d, Regulator, Message(d), Start.AddDays(1)));

        // Assert
        Assert.Equal("STATE", ex.Type);
        Assert.Equal($"disputes/{d.DisputeId}", ex.Subject);
    }

    [Fact]
    public void PostMessage_RegulatorWhenEscalated_Recorded()
    {
        // Arrange
        var s = Scenarios.Build(Scenario.EscalatedMerchantNotEnrolled);

        // Act
        var change = s.Then(Hour, (d, now) => DisputeRules.PostMessage(d, Regulator, Message(d, "We are on it."), now));

        // Assert
        Assert.Equal(DisputeStatus.Escalated, change.State.Status);
        var e = Assert.Single(change.Events);
        Assert.Equal(Regulator, e.Actor);
        Assert.Equal(3, e.Seq);
    }

    [Fact]
    public void MakeOffer_WhileAwaitingMerchant_PendingOfferAndNegotiating()
    {
        // Arrange
        var s = DisputeScript.Open();

        // Act
        var change = s.Then(Hour, (d, now) => DisputeRules.MakeOffer(d, MerchantActor, Offer(d, Remedy.PartialRefund, Cny(8_000)), now));

        // Assert
        var d = change.State;
        Assert.Equal(DisputeStatus.Negotiating, d.Status);
        Assert.Equal(s.Now, d.FirstResponseAt);
        var offer = Assert.IsType<Offer>(d.PendingOffer);
        Assert.True(Ids.IsValid(offer.OfferId, "off"));
        Assert.Equal(Remedy.PartialRefund, offer.Remedy);
        Assert.Equal(Cny(8_000), offer.Amount);
        Assert.Equal(OfferStatus.Pending, offer.Status);
        Assert.Equal(s.Now, offer.CreatedAt);
        var made = Assert.IsType<OfferMade>(Assert.Single(change.Events).Detail);
        Assert.Equal(offer, made.Offer);
        Assert.Equal("", made.SupersededOfferId);
    }

    [Fact]
    public void MakeOffer_WithPendingOffer_SupersedesIt()
    {
        // Arrange
        var s = Scenarios.Build(Scenario.NegotiatingWithPendingOffer);
        var first = s.State.PendingOffer!;

        // Act
        var change = s.Then(Hour, (d, now) => DisputeRules.MakeOffer(d, MerchantActor, Offer(d, Remedy.PartialRefund, Cny(12_000)), now));

        // Assert
        var made = Assert.IsType<OfferMade>(Assert.Single(change.Events).Detail);
        Assert.Equal(first.OfferId, made.SupersededOfferId);
        Assert.NotEqual(first.OfferId, made.Offer.OfferId);
        Assert.Equal(made.Offer, change.State.CurrentOffer);
        Assert.Equal(OfferStatus.Pending, change.State.CurrentOffer!.Status);
        Assert.Equal(DisputeStatus.Negotiating, change.State.Status);
    }

    [Fact]
    public void MakeOffer_AfterRejectedOffer_NothingSuperseded()
    {
        // Arrange
        var s = Scenarios.Build(Scenario.NegotiatingWithPendingOffer);
        s.Then(Hour, (d, now) => DisputeRules.RespondToOffer(d, Consumer, Answer(d, d.PendingOffer!.OfferId, OfferDecision.Reject), now));

        // Act
        var change = s.Then(Hour, (d, now) => DisputeRules.MakeOffer(d, MerchantActor, Offer(d), now));

        // Assert
        Assert.Equal("", Assert.IsType<OfferMade>(Assert.Single(change.Events).Detail).SupersededOfferId);
    }

    [Fact]
    public void MakeOffer_FullRefundWithoutAmount_OfferCarriesOrderAmount()
    {
        // Arrange
        var s = DisputeScript.Open();

        // Act
        var change = s.Then(Hour, (d, now) => DisputeRules.MakeOffer(d, MerchantActor, Offer(d, Remedy.FullRefund), now));

        // Assert
        Assert.Equal(Cny(OrderFen), change.State.PendingOffer!.Amount);
    }

    [Fact]
    public void MakeOffer_PartialRefundAboveOrderAmount_ValidationOnAmount()
    {
        // Arrange
        var d = DisputeScript.Open().State;

        // Act
        var ex = Assert.Throws<ValidationException>(
            () => DisputeRules.MakeOffer(d, MerchantActor, Offer(d, Remedy.PartialRefund, Cny(OrderFen + 1)), Start.AddHours(1)));

        // Assert
        Assert.Equal("amount", Assert.Single(ex.Violations).Field);
    }

    [Fact]
    public void MakeOffer_CurrencyOtherThanOrder_ValidationOnCurrency()
    {
        // Arrange
        var d = DisputeScript.Open().State;

        // Act
        var ex = Assert.Throws<ValidationException>(
            () => DisputeRules.MakeOffer(d, MerchantActor, Offer(d, Remedy.PartialRefund, new Money("USD", 1_000)), Start.AddHours(1)));

        // Assert
        Assert.Equal("amount.currency_code", Assert.Single(ex.Violations).Field);
    }

    [Fact]
    public void RespondToOffer_Accept_ResolvedByNegotiationWithOfferAsSettlement()
    {
        // Arrange
        var s = Scenarios.Build(Scenario.NegotiatingWithPendingOffer);
        var offer = s.State.PendingOffer!;

        // Act
        var change = s.Then(Hour, (d, now) => DisputeRules.RespondToOffer(d, Consumer, Answer(d, offer.OfferId, OfferDecision.Accept), now));

        // Assert
        var d = change.State;
        Assert.Equal(DisputeStatus.Resolved, d.Status);
        Assert.Equal(Outcome.ResolvedByNegotiation, d.Outcome);
        Assert.Equal(new Settlement(offer.Remedy, offer.Amount), d.Settlement);
        Assert.Equal(offer with { Status = OfferStatus.Accepted }, d.CurrentOffer);
        Assert.Null(d.PendingOffer);
        Assert.Equal(s.Now, d.ClosedAt);
        Assert.Null(d.ActiveOrderKey);
        var e = Assert.Single(change.Events);
        Assert.Equal(new OfferAnswered(offer.OfferId, true, ""), e.Detail);
        Assert.Equal(DisputeStatus.Resolved, e.StatusAfter);
    }

    [Fact]
    public void RespondToOffer_Reject_OfferRejectedAndStillNegotiating()
    {
        // Arrange
        var s = Scenarios.Build(Scenario.NegotiatingWithPendingOffer);
        var offer = s.State.PendingOffer!;

        // Act
        var change = s.Then(Hour, (d, now) => DisputeRules.RespondToOffer(d, Consumer, Answer(d, offer.OfferId, OfferDecision.Reject), now));

        // Assert
        var d = change.State;
        Assert.Equal(DisputeStatus.Negotiating, d.Status);
        Assert.Equal(OfferStatus.Rejected, d.CurrentOffer!.Status);
        Assert.Null(d.PendingOffer);
        Assert.Null(d.ClosedAt);
        Assert.Null(d.Settlement);
        Assert.Equal(Outcome.Unspecified, d.Outcome);
        Assert.False(Assert.IsType<OfferAnswered>(Assert.Single(change.Events).Detail).Accepted);
    }

    [Fact]
    public void RespondToOffer_SupersededOffer_OfferPreconditionFailed()
    {
        // Arrange
        var s = Scenarios.Build(Scenario.NegotiatingWithPendingOffer);
        var first = s.State.PendingOffer!;
        s.Then(Hour, (d, now) => DisputeRules.MakeOffer(d, MerchantActor, Offer(d, Remedy.Repair), now));

        // Act
        var ex = Assert.Throws<PreconditionFailedException>(
            () => DisputeRules.RespondToOffer(s.State, Consumer, Answer(s.State, first.OfferId, OfferDecision.Accept), s.Now));

        // Assert
        Assert.Equal("OFFER", ex.Type);
        Assert.Equal($"disputes/{s.State.DisputeId}/offers/{first.OfferId}", ex.Subject);
    }

    [Fact]
    public void RespondToOffer_RejectedOffer_OfferPreconditionFailed()
    {
        // Arrange
        var s = Scenarios.Build(Scenario.NegotiatingWithPendingOffer);
        var offer = s.State.PendingOffer!;
        s.Then(Hour, (d, now) => DisputeRules.RespondToOffer(d, Consumer, Answer(d, offer.OfferId, OfferDecision.Reject), now));

        // Act
        var ex = Assert.Throws<PreconditionFailedException>(
            () => DisputeRules.RespondToOffer(s.State, Consumer, Answer(s.State, offer.OfferId, OfferDecision.Accept), s.Now));

        // Assert
        Assert.Equal("OFFER", ex.Type);
    }

    [Fact]
    public void RespondToOffer_UnknownOfferId_OfferPreconditionFailed()
    {
        // Arrange
        var d = Scenarios.Build(Scenario.NegotiatingWithPendingOffer).State;
        var unknown = Ids.New("off", Start);

        // Act
        var ex = Assert.Throws<PreconditionFailedException>(
            () => DisputeRules.RespondToOffer(d, Consumer, Answer(d, unknown, OfferDecision.Accept), Start.AddDays(1)));

        // Assert
        Assert.Equal("OFFER", ex.Type);
    }

    [Fact]
    public void RespondToOffer_NegotiatingWithoutOffer_OfferPreconditionFailed()
    {
        // Arrange
        var s = DisputeScript.Open();
        s.Then(Hour, (d, now) => DisputeRules.PostMessage(d, MerchantActor, Message(d), now));

        // Act
        var ex = Assert.Throws<PreconditionFailedException>(
            () => DisputeRules.RespondToOffer(s.State, Consumer, Answer(s.State, Ids.New("off", s.Now), OfferDecision.Accept), s.Now));

        // Assert
        Assert.Equal("OFFER", ex.Type);
    }

    [Fact]
    public void AcceptDemand_PartialRefundDemand_ResolvedWithDemandAsSettlement()
    {
        // Arrange
        var s = DisputeScript.Open(demand: new Demand(Remedy.PartialRefund, Cny(10_000)));

        // Act
        var change = s.Then(TimeSpan.FromMinutes(1), (d, now) => DisputeRules.AcceptDemand(d, MerchantActor, AcceptDemand(d), now));

        // Assert
        var d = change.State;
        Assert.Equal(DisputeStatus.Resolved, d.Status);
        Assert.Equal(Outcome.ResolvedByNegotiation, d.Outcome);
        Assert.Equal(new Settlement(Remedy.PartialRefund, Cny(10_000)), d.Settlement);
        Assert.Equal(s.Now, d.ClosedAt);
        Assert.Equal(s.Now, d.FirstResponseAt);
        var accepted = Assert.IsType<DemandAccepted>(Assert.Single(change.Events).Detail);
        Assert.Equal(d.Settlement, accepted.Settlement);
    }

    [Fact]
    public void AcceptDemand_FullRefundWithoutAmount_SettlementIsOrderAmount()
    {
        // Arrange
        var s = DisputeScript.Open(demand: new Demand(Remedy.FullRefund, null));

        // Act
        var change = s.Then(TimeSpan.FromMinutes(1), (d, now) => DisputeRules.AcceptDemand(d, MerchantActor, AcceptDemand(d), now));

        // Assert
        Assert.Equal(new Settlement(Remedy.FullRefund, Cny(OrderFen)), change.State.Settlement);
    }

    [Fact]
    public void AcceptDemand_WithPendingOffer_OfferSuperseded()
    {
        // Arrange
        var s = Scenarios.Build(Scenario.NegotiatingWithPendingOffer);
        var offer = s.State.PendingOffer!;

        // Act
        var change = s.Then(Hour, (d, now) => DisputeRules.AcceptDemand(d, MerchantActor, AcceptDemand(d), now));

        // Assert
        Assert.Equal(offer with { Status = OfferStatus.Superseded }, change.State.CurrentOffer);
        Assert.Equal(DisputeStatus.Resolved, change.State.Status);
    }

    [Fact]
    public void Escalate_AwaitingMerchantBeforeFirstResponseDeadline_FirstResponsePending()
    {
        // Arrange
        var s = DisputeScript.Open();
        s.Clock.Advance(TimeSpan.FromHours(95));

        // Act
        var ex = Assert.Throws<PreconditionFailedException>(
            () => DisputeRules.Escalate(s.State, Consumer, Escalate(s.State), s.Now));

        // Assert
        Assert.Equal("FIRST_RESPONSE_PENDING", ex.Type);
        Assert.Equal($"disputes/{s.State.DisputeId}", ex.Subject);
    }

    [Fact]
    public void Escalate_AwaitingMerchantAfterFirstResponseDeadline_EscalatedOnConsumerRequest()
    {
        // Arrange
        var s = DisputeScript.Open();
        s.Clock.Advance(TimeSpan.FromHours(95));
        Assert.Throws<PreconditionFailedException>(() => DisputeRules.Escalate(s.State, Consumer, Escalate(s.State), s.Now));

        // Act: the deadline (96 h) passes.
        var change = s.Then(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1),
            (d, now) => DisputeRules.Escalate(d, Consumer, Escalate(d), now));

        // Assert
        var d = change.State;
        Assert.Equal(DisputeStatus.Escalated, d.Status);
        Assert.Equal(EscalationReason.ConsumerRequest, d.EscalationReason);
        Assert.Equal(s.Now, d.EscalatedAt);
        Assert.Null(d.ClosedAt);
        var e = Assert.Single(change.Events);
        Assert.Equal(new DisputeEscalated(EscalationReason.ConsumerRequest, "no answer"), e.Detail);
        Assert.Equal(DisputeStatus.Escalated, e.StatusAfter);
    }

    [Fact]
    public void Escalate_NegotiatingBeforeDeadline_EscalatedAndPendingOfferSuperseded()
    {
        // Arrange
        var s = Scenarios.Build(Scenario.NegotiatingWithPendingOffer);
        var offer = s.State.PendingOffer!;

        // Act
        var change = s.Then(TimeSpan.FromMinutes(5), (d, now) => DisputeRules.Escalate(d, Consumer, Escalate(d), now));

        // Assert
        Assert.True(s.Now < change.State.FirstResponseDueAt);
        Assert.Equal(DisputeStatus.Escalated, change.State.Status);
        Assert.Equal(offer with { Status = OfferStatus.Superseded }, change.State.CurrentOffer);
        Assert.Null(change.State.PendingOffer);
    }

    [Fact]
    public void Escalate_AlreadyEscalated_StatePreconditionFailed()
    {
        // Arrange
        var d = Scenarios.Build(Scenario.EscalatedByConsumer).State;

        // Act
        var ex = Assert.Throws<PreconditionFailedException>(
            () => DisputeRules.Escalate(d, Consumer, Escalate(d), Start.AddDays(10)));

        // Assert
        Assert.Equal("STATE", ex.Type);
    }
}
