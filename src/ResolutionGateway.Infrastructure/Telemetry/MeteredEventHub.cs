using System.Diagnostics;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Events;
using ResolutionGateway.Core.Storage;

namespace ResolutionGateway.Infrastructure.Telemetry;

/// <summary>
/// The event hub as the rest of the service sees it, counting what is committed on this node.
/// Every committed change is published once, by the node that committed it, so counting here counts
/// each event once across the cluster (and needs no hook in the domain). The publish itself is a span.
/// </summary>
public sealed class MeteredEventHub(IEventHub inner, GatewayMetrics metrics) : IEventHub
{
    /// <inheritdoc />
    public bool IsLive => inner.IsLive;

    /// <inheritdoc />
    public TimeSpan DegradedPollInterval => inner.DegradedPollInterval;

    /// <inheritdoc />
    public void Publish(IReadOnlyList<FeedEntry> entries)
    {
        string? closedDispute = null;
        foreach (var entry in entries)
        {
            Count(entry.Event);
            // A rating comes after the close, and a change may hold several events: only the first
            // move of a dispute into a final status counts as its close.
            if (entry.Event.Detail is not ResolutionRated && ClosedOutcome(entry.Event.StatusAfter) is { } outcome
                && closedDispute != entry.Event.DisputeId)
            {
                closedDispute = entry.Event.DisputeId;
                metrics.DisputeClosed(outcome);
            }
        }
        using var activity = GatewayMetrics.Source.StartActivity("event_hub publish", ActivityKind.Producer);
        activity?.SetTag("rg.events", entries.Count);
        inner.Publish(entries);
    }

    /// <inheritdoc />
    public void PublishPositioned(IReadOnlyList<FeedEntry> entries) => inner.PublishPositioned(entries);

    /// <inheritdoc />
    public IEventSubscription Subscribe(string? disputeId) => inner.Subscribe(disputeId);

    /// <inheritdoc />
    public IEventSubscription SubscribeFeed() => inner.SubscribeFeed();

    private void Count(DisputeEvent e)
    {
        metrics.EventAppended(e.Detail.Type);
        switch (e.Detail)
        {
            case DisputeOpened:
                metrics.DisputeOpened();
                break;
            case DeadlineWarning:
                metrics.DeadlineFired("warning");
                break;
            case DisputeEscalated { Reason: EscalationReason.FirstResponseOverdue }:
                metrics.DeadlineFired("first_response");
                break;
            case DisputeEscalated { Reason: EscalationReason.NegotiationExpired }:
                metrics.DeadlineFired("negotiation");
                break;
        }
    }

    private static string? ClosedOutcome(DisputeStatus status) => status switch
    {
        DisputeStatus.Resolved => "resolved",
        DisputeStatus.Unresolved => "unresolved",
        DisputeStatus.Withdrawn => "withdrawn",
        _ => null,
    };
}
