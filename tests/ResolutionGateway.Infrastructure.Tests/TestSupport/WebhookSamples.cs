using ResolutionGateway.Core.Storage;
using ResolutionGateway.Core.Webhooks;

namespace ResolutionGateway.Infrastructure.Tests.TestSupport;

/// <summary>Webhook endpoints for the store tests (deliveries are queued by the dispute store).</summary>
internal static class WebhookSamples
{
    /// <summary>An endpoint of its own id; times in whole milliseconds, as the stores keep them.</summary>
    public static WebhookEndpoint Endpoint(WebhookOwnerKind kind, string ownerId, DateTimeOffset createdAt, bool enabled = true) => new()
    {
        EndpointId = Samples.Unique("whe"),
        OwnerKind = kind,
        OwnerId = ownerId,
        Url = "https://hooks.example.test/" + ownerId,
        Description = $"{kind} {ownerId}",
        Enabled = enabled,
        DisabledReason = enabled ? "" : "turned off",
        Secret = "whsec_" + Samples.Unique("s"),
        CreatedAt = createdAt,
        UpdatedAt = createdAt,
    };

    /// <summary>Stores a new endpoint and returns it.</summary>
    public static async Task<WebhookEndpoint> AddEndpointAsync(this IWebhookStore store, WebhookOwnerKind kind, string ownerId,
        DateTimeOffset createdAt, bool enabled = true)
    {
        var endpoint = Endpoint(kind, ownerId, createdAt, enabled);
        await store.InsertEndpointAsync(endpoint, CancellationToken.None);
        return endpoint;
    }

    /// <summary>Every delivery of an endpoint (optionally for one dispute), as (dispute, seq, event type).</summary>
    public static async Task<(string DisputeId, long Seq, string EventType)[]> QueuedAsync(this IWebhookStore store, string endpointId, string? disputeId = null) =>
        [.. (await store.ListDeliveriesAsync(endpointId, null, disputeId, null, 1000, CancellationToken.None)).Select(d => (d.DisputeId, d.Seq, d.EventType))];
}
