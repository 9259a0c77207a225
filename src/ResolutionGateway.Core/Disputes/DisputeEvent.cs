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
[JsonDerivedType(typeof(DeadlineWarning), "deadline_warning")]
[JsonDerivedType(typeof(CaseAccepted), "case_accepted")]
[JsonDerivedType(typeof(CaseRefused), "case_refused")]
[JsonDerivedType(typeof(CaseAssigned), "case_assigned")]
[JsonDerivedType(typeof(CaseTransferred), "case_transferred")]
[JsonDerivedType(typeof(DeadlineOverdue), "deadline_overdue")]
[JsonDerivedType(typeof(SettlementExecutionRecorded), "settlement_execution_recorded")]
[JsonDerivedType(typeof(SettlementConfirmed), "settlement_confirmed")]
[JsonDerivedType(typeof(DisputeReopened), "reopened")]
public abstract record EventDetail
{
    /// <summary>The discriminator (as in the attributes above), also stored in its own column for queries.</summary>
    [JsonIgnore]
    public string Type => this switch
    {
        DisputeOpened => "opened",
        MessagePosted => "message_posted",
        OfferMade => "offer_made",
        OfferAnswered => "offer_answered",
        DemandAccepted => "demand_accepted",
        DisputeEscalated => "escalated",
        DisputeWithdrawn => "withdrawn",
        MediationOutcomeRecorded => "mediation_outcome_recorded",
        ResolutionRated => "resolution_rated",
        DeadlineWarning => "deadline_warning",
        CaseAccepted => "case_accepted",
        CaseRefused => "case_refused",
        CaseAssigned => "case_assigned",
        CaseTransferred => "case_transferred",
        DeadlineOverdue => "deadline_overdue",
        SettlementExecutionRecorded => "settlement_execution_recorded",
        SettlementConfirmed => "settlement_confirmed",
        DisputeReopened => "reopened",
        _ => throw new InvalidOperationException($"unknown event detail {GetType().Name}"),
    };
}

/// <summary>The dispute was opened; carries the whole initial state.</summary>
public sealed record DisputeOpened(Dispute Initial) : EventDetail;

/// <summary>A message was posted.</summary>
public sealed record MessagePosted(string Text, IReadOnlyList<EvidenceRef> Evidence) : EventDetail;

/// <summary>The merchant made an offer.</summary>
public sealed record OfferMade(Offer Offer, string SupersededOfferId) : EventDetail;

/// <summary>The consumer answered the pending offer.</summary>
public sealed record OfferAnswered(string OfferId, bool Accepted, string Note) : EventDetail
{
    /// <summary>The execution deadline and reopen window of an accepted offer that moves money; null otherwise (and in events recorded before execution tracking).</summary>
    public SettlementTerms? Terms { get; init; }
}

/// <summary>The merchant accepted the demand as stated.</summary>
public sealed record DemandAccepted(Settlement Settlement, string Note) : EventDetail
{
    /// <summary>As <see cref="OfferAnswered.Terms"/>.</summary>
    public SettlementTerms? Terms { get; init; }
}

/// <summary>The dispute went to the regulator.</summary>
public sealed record DisputeEscalated(EscalationReason Reason, string Note) : EventDetail
{
    /// <summary>
    /// The regulator's deadline to accept or refuse the case, fixed at escalation from the region's
    /// policy; null in events recorded before case handling existed (no deadline).
    /// </summary>
    public DateTimeOffset? AcceptDueAt { get; init; }
    /// <summary>When to warn that <see cref="AcceptDueAt"/> is close; null for no warning.</summary>
    public DateTimeOffset? AcceptWarnAt { get; init; }
}

/// <summary>The consumer withdrew.</summary>
public sealed record DisputeWithdrawn(string Note) : EventDetail;

/// <summary>The regulator recorded a mediation outcome.</summary>
public sealed record MediationOutcomeRecorded(Outcome Outcome, Settlement? Settlement, string Note) : EventDetail
{
    /// <summary>As <see cref="OfferAnswered.Terms"/>.</summary>
    public SettlementTerms? Terms { get; init; }
}

/// <summary>The consumer rated the resolution.</summary>
public sealed record ResolutionRated(int Rating, string Comment) : EventDetail;

/// <summary>A deadline is close (recorded by the system at the policy's warning lead).</summary>
public sealed record DeadlineWarning(DeadlineKind Deadline, DateTimeOffset DueAt) : EventDetail;

/// <summary>The regulator accepted the case (受理); mediation runs until <paramref name="MediationDueAt"/>.</summary>
public sealed record CaseAccepted(string Note, DateTimeOffset MediationDueAt, DateTimeOffset? MediationWarnAt) : EventDetail;

/// <summary>The regulator refused the case (不予受理): the dispute closes as unresolved.</summary>
public sealed record CaseRefused(RefusalReason Reason, string Note) : EventDetail;

/// <summary>The case was given to an officer of the handling regulator.</summary>
public sealed record CaseAssigned(string Officer, string Note) : EventDetail;

/// <summary>
/// The case moved to the regulator of another region prefix, which decides on acceptance by a
/// new deadline counted from the transfer.
/// </summary>
public sealed record CaseTransferred(string FromPrefix, string ToPrefix, string Note, DateTimeOffset? AcceptDueAt, DateTimeOffset? AcceptWarnAt)
    : EventDetail;

/// <summary>A regulator's deadline passed with the decision not taken (recorded once; the status does not change).</summary>
public sealed record DeadlineOverdue(DeadlineKind Deadline, DateTimeOffset DueAt) : EventDetail;

/// <summary>The merchant recorded how the agreed settlement was paid.</summary>
public sealed record SettlementExecutionRecorded(string Reference, Money Amount, DateTimeOffset ExecutedAt, string Note) : EventDetail;

/// <summary>The consumer said whether the settlement's money arrived.</summary>
public sealed record SettlementConfirmed(SettlementReceipt Receipt, string Note) : EventDetail;

/// <summary>
/// The consumer reopened a resolved dispute whose settlement was not executed as agreed: it goes
/// straight to the regulator (a pending case with a new acceptance deadline), with its whole trail.
/// </summary>
public sealed record DisputeReopened(ReopenReason Reason, string Note, DateTimeOffset AcceptDueAt, DateTimeOffset? AcceptWarnAt) : EventDetail;
