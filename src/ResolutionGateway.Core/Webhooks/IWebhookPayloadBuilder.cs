using ResolutionGateway.Core.Disputes;

namespace ResolutionGateway.Core.Webhooks;

/// <summary>Renders a webhook body (the contract's WebhookEvent as JSON) for one endpoint; the host implements it.</summary>
public interface IWebhookPayloadBuilder
{
    /// <summary>
    /// The body for <paramref name="endpoint"/>: the event, the dispute right after it (as the
    /// endpoint's owner may see it), and <paramref name="trail"/> (the log up to the event; empty
    /// unless the regulator is being handed an escalated dispute).
    /// </summary>
    byte[] Build(WebhookEndpoint endpoint, DisputeEvent e, Dispute after, IReadOnlyList<DisputeEvent> trail);
}
