using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Errors;
using ResolutionGateway.Core.Tests.TestSupport;
using static ResolutionGateway.Core.Tests.TestSupport.Samples;

namespace ResolutionGateway.Core.Tests.Disputes;

public sealed class DisputeRulesClosingTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private static readonly Scenario[] ClosedScenarios =
    [
        Scenario.ResolvedByAcceptedOffer, Scenario.ResolvedByAcceptedDemand, Scenario.ResolvedByMediation,
        Scenario.Unresolved, Scenario.Withdrawn,
    ];

    public static TheoryData<Scenario, Move> ClosedTimesEveryMoveButRate()
    {
        var data = new TheoryData<Scenario, Move>();
        foreach (var scenario in ClosedScenarios)
        {
            foreach (var move in Enum.GetValues<Move>().Where(m => m != Move.Rate))
            {
                data.Add(scenario, move);
            }
        }
        return data;
    }

    public static TheoryData<Scenario> Closed() => [.. ClosedScenarios];

    [Theory]
    [InlineData(Scenario.AwaitingMerchant)]
    [InlineData(Scenario.NegotiatingWithPendingOffer)]
    [InlineData(Scenario.EscalatedByConsumer)]
    [InlineData(Scenario.EscalatedMerchantNotEnrolled)]
    public void Withdraw_OpenDispute_WithdrawnAndClosed(Scenario scenario)
    {
        // Arrange
        var s = Scenarios.Build(scenario);

        // Act
        var change = s.Then(Hour, (d, now) => DisputeRules.Withdraw(d, Consumer, Withdraw(d), now));

        // Assert
        var d = change.State;
        Assert.Equal(DisputeStatus.Withdrawn, d.Status);
        Assert.Equal(Outcome.Withdrawn, d.Outcome);
        Assert.Null(d.Settlement);
        Assert.Equal(s.Now, d.ClosedAt);
        Assert.Null(d.PendingOffer);
        Assert.Null(d.ActiveOrderKey);
        var e = Assert.Single(change.Events);
        Assert.Equal(new DisputeWithdrawn("sorted it out myself"), e.Detail);
        Assert.Equal(DisputeStatus.Withdrawn, e.StatusAfter);
    }

    [Fact]
    public void Withdraw_WithPendingOffer_OfferSuperseded()
    {
        // Arrange
        var s = Scenarios.Build(Scenario.NegotiatingWithPendingOffer);
        var offer = s.State.PendingOffer!;

        // Act
        var change = s.Then(Hour, (d, now) => DisputeRules.Withdraw(d, Consumer, Withdraw(d), now));

        // Assert
        Assert.Equal(offer with { Status = OfferStatus.Superseded }, change.State.CurrentOffer);
    }

    [Theory]
    [InlineData(Scenario.AwaitingMerchant)]
    [InlineData(Scenario.NegotiatingWithPendingOffer)]
    public void RecordMediationOutcome_NotEscalated_StatePreconditionFailed(Scenario scenario)
    {
        // Arrange
        var d = Scenarios.Build(scenario).State;

        // Act
        var ex = Assert.Throws<PreconditionFailedException>(() => DisputeRules.RecordMediationOutcome(d, Regulator,
            Mediation(d, Outcome.ResolvedByMediation, new Settlement(Remedy.Apology, null)), Start.AddDays(1)));

        // Assert
        Assert.Equal("STATE", ex.Type);
    }

    [Fact]
    public void RecordMediationOutcome_ResolvedWithSettlement_ResolvedByMediation()
    {
        // Arrange
        var s = Scenarios.Build(Scenario.EscalatedByConsumer);
        var settlement = new Settlement(Remedy.Compensation, Cny(50_000));

        // Act
        var change = s.Then(TimeSpan.FromDays(1), (d, now) => DisputeRules.RecordMediationOutcome(d, Regulator,
            Mediation(d, Outcome.ResolvedByMediation, settlement), now));

        // Assert
        var d = change.State;
        Assert.Equal(DisputeStatus.Resolved, d.Status);
        Assert.Equal(Outcome.ResolvedByMediation, d.Outcome);
        Assert.Equal(settlement, d.Settlement);
        Assert.Equal(s.Now, d.ClosedAt);
        var e = Assert.Single(change.Events);
        Assert.Equal(Regulator, e.Actor);
        Assert.Equal(DisputeStatus.Resolved, e.StatusAfter);
    }

    [Fact]
    public void RecordMediationOutcome_FullRefundWithoutAmount_SettlementNormalisedToOrderAmount()
    {
        // Arrange
        var s = Scenarios.Build(Scenario.EscalatedMerchantNotEnrolled);

        // Act
        var change = s.Then(TimeSpan.FromDays(1), (d, now) => DisputeRules.RecordMediationOutcome(d, Regulator,
            Mediation(d, Outcome.ResolvedByMediation, new Settlement(Remedy.FullRefund, null)), now));

        // Assert
        Assert.Equal(new Settlement(Remedy.FullRefund, Cny(OrderFen)), change.State.Settlement);
        var recorded = Assert.IsType<MediationOutcomeRecorded>(Assert.Single(change.Events).Detail);
        Assert.Equal(change.State.Settlement, recorded.Settlement);
    }

    [Fact]
    public void RecordMediationOutcome_CompensationAboveStatutoryCeiling_ValidationOnSettlementAmount()
    {
        // Arrange: CNY 258 order, quality complaint: the ceiling is max(3 x 258, 500) = CNY 774.
        var d = Scenarios.Build(Scenario.EscalatedByConsumer).State;
        var settlement = new Settlement(Remedy.Compensation, Cny(3 * OrderFen + 1));

        // Act
        var ex = Assert.Throws<ValidationException>(() => DisputeRules.RecordMediationOutcome(d, Regulator,
            Mediation(d, Outcome.ResolvedByMediation, settlement), Start.AddDays(10)));

        // Assert
        Assert.Equal("settlement.amount", Assert.Single(ex.Violations).Field);
    }

    [Fact]
    public void RecordMediationOutcome_Unresolved_UnresolvedWithoutSettlement()
    {
        // Arrange
        var s = Scenarios.Build(Scenario.EscalatedMerchantNotEnrolled);

        // Act
        var change = s.Then(TimeSpan.FromDays(1), (d, now) => DisputeRules.RecordMediationOutcome(d, Regulator,
            Mediation(d, Outcome.Unresolved, null), now));

        // Assert
        Assert.Equal(DisputeStatus.Unresolved, change.State.Status);
        Assert.Equal(Outcome.Unresolved, change.State.Outcome);
        Assert.Null(change.State.Settlement);
        Assert.Equal(s.Now, change.State.ClosedAt);
    }

    [Theory]
    [InlineData(Scenario.AwaitingMerchant)]
    [InlineData(Scenario.NegotiatingWithPendingOffer)]
    [InlineData(Scenario.EscalatedByConsumer)]
    public void Rate_OpenDispute_StatePreconditionFailed(Scenario scenario)
    {
        // Arrange
        var d = Scenarios.Build(scenario).State;

        // Act
        var ex = Assert.Throws<PreconditionFailedException>(() => DisputeRules.Rate(d, Consumer, Rate(d), Start.AddDays(1)));

        // Assert
        Assert.Equal("STATE", ex.Type);
    }

    [Theory]
    [MemberData(nameof(Closed))]
    public void Rate_ClosedDispute_RatingRecordedStatusKept(Scenario scenario)
    {
        // Arrange
        var s = Scenarios.Build(scenario);
        var before = s.State;

        // Act
        var change = s.Then(Hour, (d, now) => DisputeRules.Rate(d, Consumer, Rate(d, 2), now));

        // Assert
        Assert.Equal(2, change.State.SatisfactionRating);
        Assert.Equal(before.Status, change.State.Status);
        Assert.Equal(before.ClosedAt, change.State.ClosedAt);
        Assert.Equal(before.LastSeq + 1, change.State.LastSeq);
        var e = Assert.Single(change.Events);
        Assert.Equal(new ResolutionRated(2, ""), e.Detail);
        Assert.Equal(before.Status, e.StatusAfter);
    }

    [Fact]
    public void Rate_AlreadyRated_AlreadyRatedPreconditionFailed()
    {
        // Arrange
        var d = Scenarios.Build(Scenario.RatedAfterResolution).State;

        // Act
        var ex = Assert.Throws<PreconditionFailedException>(() => DisputeRules.Rate(d, Consumer, Rate(d, 1), Start.AddDays(30)));

        // Assert
        Assert.Equal("ALREADY_RATED", ex.Type);
    }

    [Theory]
    [MemberData(nameof(ClosedTimesEveryMoveButRate))]
    public void AnyMove_ClosedDispute_StatePreconditionFailed(Scenario scenario, Move move)
    {
        // Arrange
        var d = Scenarios.Build(scenario).State;
        Assert.True(d.Status.IsClosed());

        // Act
        var ex = Assert.Throws<PreconditionFailedException>(() => Moves.Apply(move, d, Start.AddDays(20)));

        // Assert
        Assert.Equal("STATE", ex.Type);
        Assert.Equal($"disputes/{d.DisputeId}", ex.Subject);
    }

    [Theory]
    [MemberData(nameof(Closed))]
    public void AnyMove_RatedClosedDispute_StatePreconditionFailed(Scenario scenario)
    {
        // Arrange
        var s = Scenarios.Build(scenario);
        s.Then(Hour, (d, now) => DisputeRules.Rate(d, Consumer, Rate(d), now));

        // Act
        var refusals = Enum.GetValues<Move>().Where(m => m != Move.Rate)
            .Select(m => Record.Exception(() => Moves.Apply(m, s.State, s.Now)))
            .ToList();

        // Assert
        Assert.All(refusals, ex => Assert.Equal("STATE", Assert.IsType<PreconditionFailedException>(ex).Type));
    }
}
