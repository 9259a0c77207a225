using System.Text.Json;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Tests.TestSupport;

namespace ResolutionGateway.Core.Tests.Disputes;

/// <summary>
/// The log is the truth: folding it must rebuild exactly the state the rules returned, at the end and
/// after every change. States are compared as JSON because records compare lists by reference.
/// </summary>
public sealed class DisputeEvolutionTests
{
    public static TheoryData<Scenario> AllScenarios() => [.. Enum.GetValues<Scenario>()];

    private static string Json(Dispute d) => JsonSerializer.Serialize(d);

    private static string? Discriminator(EventDetail detail)
    {
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(detail));
        return json.RootElement.GetProperty("type").GetString();
    }

    [Theory]
    [MemberData(nameof(AllScenarios))]
    public void Replay_WholeLog_EqualsFinalStateFromRules(Scenario scenario)
    {
        // Arrange
        var s = Scenarios.Build(scenario);

        // Act
        var replayed = DisputeEvolution.Replay(s.Events);

        // Assert
        Assert.Equal(Json(s.State), Json(replayed));
    }

    [Theory]
    [MemberData(nameof(AllScenarios))]
    public void Replay_EveryPrefix_EqualsIntermediateStateFromRules(Scenario scenario)
    {
        // Arrange
        var s = Scenarios.Build(scenario);

        // Act
        var replayed = s.Checkpoints.Select(c => Json(DisputeEvolution.Replay(s.Events.Take(c.EventCount)))).ToList();

        // Assert
        Assert.Equal(s.Checkpoints.Select(c => Json(c.State)), replayed);
    }

    [Theory]
    [MemberData(nameof(AllScenarios))]
    public void Replay_EveryEvent_SeqFromOneWithoutGapsAndStatusAfterMatchesFold(Scenario scenario)
    {
        // Arrange
        var s = Scenarios.Build(scenario);

        // Act
        var folded = new List<Dispute>();
        Dispute? d = null;
        foreach (var e in s.Events)
        {
            d = DisputeEvolution.Apply(d, e);
            folded.Add(d);
        }

        // Assert
        Assert.Equal(Enumerable.Range(1, s.Events.Count).Select(i => (long)i), s.Events.Select(e => e.Seq));
        Assert.All(s.Events, e => Assert.Equal(s.State.DisputeId, e.DisputeId));
        Assert.Equal(folded.Select(x => x.Status), s.Events.Select(e => e.StatusAfter));
        Assert.Equal(folded.Select(x => x.LastSeq), s.Events.Select(e => e.Seq));
        Assert.Equal(s.Events.Count, s.State.LastSeq);
    }

    [Theory]
    [MemberData(nameof(AllScenarios))]
    public void Replay_EventsRoundTrippedThroughJson_EqualsFinalState(Scenario scenario)
    {
        // Arrange: the store keeps each detail as JSON with its "type" discriminator.
        var s = Scenarios.Build(scenario);
        var stored = s.Events
            .Select(e => e with { Detail = JsonSerializer.Deserialize<EventDetail>(JsonSerializer.Serialize(e.Detail))! })
            .ToList();

        // Act
        var replayed = DisputeEvolution.Replay(stored);

        // Assert
        Assert.Equal(Json(s.State), Json(replayed));
    }

    [Fact]
    public void Replay_ScriptedNegotiation_OffersAndTimesAsExpected()
    {
        // Arrange
        var s = Scenarios.Build(Scenario.RatedAfterResolution);

        // Act
        var d = DisputeEvolution.Replay(s.Events);

        // Assert: 1 opened, 2-3 messages, 4-5 offers, 6 rejected, 7 offer, 8 accepted, 9 rated.
        Assert.Equal(9, d.LastSeq);
        Assert.Equal(DisputeStatus.Resolved, d.Status);
        Assert.Equal(4, d.SatisfactionRating);
        Assert.Equal(Samples.Start.AddHours(2), d.FirstResponseAt);
        Assert.Equal(Samples.Start.AddHours(7), d.ClosedAt);
        Assert.Equal(new Settlement(Remedy.PartialRefund, Samples.Cny(9_000)), d.Settlement);
        Assert.Equal(OfferStatus.Accepted, d.CurrentOffer!.Status);
        var made = s.Events.Select(e => e.Detail).OfType<OfferMade>().ToList();
        Assert.Equal(["", made[0].Offer.OfferId, ""], made.Select(m => m.SupersededOfferId));
    }

    [Fact]
    public void Apply_EventBeforeOpened_InvalidOperation()
    {
        // Arrange
        var s = Scenarios.Build(Scenario.NegotiatingWithPendingOffer);

        // Act
        var ex = Record.Exception(() => DisputeEvolution.Apply(null, s.Events[1]));

        // Assert
        Assert.IsType<InvalidOperationException>(ex);
    }

    [Fact]
    public void Replay_EmptyLog_InvalidOperation()
    {
        // Arrange
        DisputeEvent[] none = [];

        // Act
        var ex = Record.Exception(() => DisputeEvolution.Replay(none));

        // Assert
        Assert.IsType<InvalidOperationException>(ex);
    }

    [Fact]
    public void EventDetail_EveryKind_TypeEqualsStableJsonDiscriminator()
    {
        // Arrange: the scenarios between them produce every kind of event.
        var details = Enum.GetValues<Scenario>().SelectMany(x => Scenarios.Build(x).Events).Select(e => e.Detail).ToList();

        // Act
        var pairs = details
            .Select(d => (d.Type, Json: Discriminator(d)))
            .Distinct()
            .OrderBy(p => p.Type, StringComparer.Ordinal)
            .ToList();

        // Assert: stored discriminators never change.
        Assert.All(pairs, p => Assert.Equal(p.Type, p.Json));
        Assert.Equal(
            ["deadline_warning", "demand_accepted", "escalated", "mediation_outcome_recorded", "message_posted", "offer_answered",
                "offer_made", "opened", "resolution_rated", "withdrawn"],
            pairs.Select(p => p.Type));
    }
}
