namespace ResolutionGateway.Core.Disputes;

/// <summary>A decision: the new state and the events that lead to it from the old one.</summary>
public sealed record DisputeChange(Dispute State, IReadOnlyList<DisputeEvent> Events);
