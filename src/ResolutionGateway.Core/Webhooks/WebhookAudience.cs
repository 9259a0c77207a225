using ResolutionGateway.Core.Disputes;

namespace ResolutionGateway.Core.Webhooks;

/// <summary>Which of a change's events the region's regulator hears about.</summary>
public static class WebhookAudience
{
    /// <summary>
    /// Per event of a change: true when it goes to regulator endpoints. A dispute reaches the
    /// regulator when it is escalated (the escalation delivery carries the whole trail), and every
    /// later event follows; events before the escalation are not sent on their own.
    /// </summary>
    public static bool[] ToRegulator(Dispute after, IReadOnlyList<DisputeEvent> events)
    {
        var flags = new bool[events.Count];
        var escalatedBefore = after.EscalatedAt is not null && events.All(e => e.Detail is not (DisputeEscalated or DisputeReopened));
        var reached = escalatedBefore;
        for (var i = 0; i < events.Count; i++)
        {
            reached |= events[i].Detail is DisputeEscalated or DisputeReopened;
            flags[i] = reached;
        }
        return flags;
    }
}
