using ResolutionGateway.Core.Disputes;

namespace ResolutionGateway.Core.UseCases;

/// <summary>One item of a watch stream: an event, or the marker that the replay reached the present.</summary>
public sealed record WatchItem(DisputeEvent? Event, string Cursor, bool CaughtUp);
