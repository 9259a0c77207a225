using System.Text.Json.Serialization;

namespace ResolutionGateway.Core.Disputes;

/// <summary>One entry of a dispute's append-only log.</summary>
public sealed record DisputeEvent(
    string DisputeId,
    long Seq,
    DateTimeOffset OccurredAt,
    Actor Actor,
    DisputeStatus StatusAfter,
    EventDetail Detail);

/// <summary>What happened. Stored as JSON with a "type" discriminator; never rename a discriminator.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(DisputeOpened), "opened")]
[JsonDerivedType(typeof(MessagePosted), "message_posted")]
[JsonDerivedType(typeof(OfferMade), "offer_made")]
[JsonDerivedType(typeof(OfferAnswered), "offer_answered")]
[JsonDerivedType(typeof(DemandAccepted), "demand_accepted")]
[JsonDerivedType(typeof(DisputeEscalated), "escalated")]
[JsonDerivedType(typeof(DisputeWithdrawn), "withdrawn")]
[JsonDerivedType(typeof(MediationOutcomeRecorded), "mediation_outcome_recorded")]
[JsonDerivedType(typeof(ResolutionRated), "resolution_rated")]
public abstract record EventDetail
{
    /// <summary>The discriminator, also stored in its own column for queries.</summary>
    [JsonIgnore]
    public abstract string Type { get; }
}

/// <summary>The dispute was opened; carries the whole initial state.</summary>
public sealed record DisputeOpened(Dispute Initial) : EventDetail
{
    /// <inheritdoc />
    public override string Type => "opened";
}

/// <summary>A message was posted.</summary>
public sealed record MessagePosted(string Text, IReadOnlyList<EvidenceRef> Evidence) : EventDetail
{
    /// <inheritdoc />
    public override string Type => "message_posted";
}

/// <summary>The merchant made an offer.</summary>
public sealed record OfferMade(Offer Offer, string SupersededOfferId) : EventDetail
{
    /// <inheritdoc />
    public override string Type => "offer_made";
}

/// <summary>The consumer answered the pending offer.</summary>
public sealed record OfferAnswered(string OfferId, bool Accepted, string Note) : EventDetail
{
    /// <inheritdoc />
    public override string Type => "offer_answered";
}

/// <summary>The merchant accepted the demand as stated.</summary>
public sealed record DemandAccepted(Settlement Settlement, string Note) : EventDetail
{
    /// <inheritdoc />
    public override string Type => "demand_accepted";
}

/// <summary>The dispute went to the regulator.</summary>
public sealed record DisputeEscalated(EscalationReason Reason, string Note) : EventDetail
{
    /// <inheritdoc />
    public override string Type => "escalated";
}

/// <summary>The consumer withdrew.</summary>
public sealed record DisputeWithdrawn(string Note) : EventDetail
{
    /// <inheritdoc />
    public override string Type => "withdrawn";
}

/// <summary>The regulator recorded a mediation outcome.</summary>
public sealed record MediationOutcomeRecorded(Outcome Outcome, Settlement? Settlement, string Note) : EventDetail
{
    /// <inheritdoc />
    public override string Type => "mediation_outcome_recorded";
}

/// <summary>The consumer rated the resolution.</summary>
public sealed record ResolutionRated(int Rating, string Comment) : EventDetail
{
    /// <inheritdoc />
    public override string Type => "resolution_rated";
}

/// <summary>A decision: the new state and the events that lead to it from the old one.</summary>
public sealed record DisputeChange(Dispute State, IReadOnlyList<DisputeEvent> Events);
