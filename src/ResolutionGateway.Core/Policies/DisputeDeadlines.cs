namespace ResolutionGateway.Core.Policies;

/// <summary>The deadlines of a dispute, fixed when it is opened.</summary>
/// <param name="FirstResponseDue">The merchant must respond by then.</param>
/// <param name="FirstResponseWarnAt">When to warn about it; null for no warning.</param>
/// <param name="NegotiationDue">Negotiation must end by then.</param>
/// <param name="NegotiationWarnAt">When to warn about it; null for no warning.</param>
public sealed record DisputeDeadlines(
    DateTimeOffset FirstResponseDue, DateTimeOffset? FirstResponseWarnAt, DateTimeOffset NegotiationDue, DateTimeOffset? NegotiationWarnAt);
