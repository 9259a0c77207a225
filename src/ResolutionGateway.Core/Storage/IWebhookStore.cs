using ResolutionGateway.Core.Webhooks;

namespace ResolutionGateway.Core.Storage;

/// <summary>
/// Webhook endpoints and the delivery queue. Deliveries are queued by the dispute store in the
/// transaction that commits their event (the outbox); this store claims, completes and lists them.
/// </summary>
public interface IWebhookStore
{
    /// <summary>Stores a new endpoint.</summary>
    Task InsertEndpointAsync(WebhookEndpoint endpoint, CancellationToken ct);

    /// <summary>An endpoint, or null.</summary>
    Task<WebhookEndpoint?> GetEndpointAsync(string endpointId, CancellationToken ct);

    /// <summary>Endpoints, oldest first, optionally of one kind or owner.</summary>
    Task<IReadOnlyList<WebhookEndpoint>> ListEndpointsAsync(WebhookOwnerKind? kind, string? ownerId, CancellationToken ct);

    /// <summary>
    /// Replaces an endpoint's mutable fields (URL, description, enabled, reason, secrets). When it is
    /// disabled, its pending deliveries are dead-lettered in the same transaction; returns how many.
    /// </summary>
    Task<long> UpdateEndpointAsync(WebhookEndpoint endpoint, CancellationToken ct);

    /// <summary>Deletes an endpoint and dead-letters its pending deliveries; null when it did not exist, else how many.</summary>
    Task<long?> DeleteEndpointAsync(string endpointId, DateTimeOffset now, CancellationToken ct);

    /// <summary>Endpoints with a pending delivery due at <paramref name="now"/>, most overdue first.</summary>
    Task<IReadOnlyList<string>> FindDueEndpointsAsync(DateTimeOffset now, int limit, CancellationToken ct);

    /// <summary>
    /// Claims up to <paramref name="limit"/> due deliveries of an endpoint, each the oldest pending
    /// event of its dispute for that endpoint (so order per dispute holds), skipping rows other
    /// nodes hold. A claim counts an attempt and leases the row until <paramref name="leaseUntil"/>:
    /// if this node dies, the delivery becomes due again then (at least once).
    /// </summary>
    Task<IReadOnlyList<ClaimedDelivery>> ClaimDueAsync(string endpointId, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken ct);

    /// <summary>Records an attempt's outcome; false when the lease was lost (another node took the delivery over).</summary>
    Task<bool> CompleteAsync(ClaimedDelivery claimed, DeliveryOutcome outcome, DateTimeOffset now, CancellationToken ct);

    /// <summary>An endpoint's deliveries ordered by (dispute, seq), after the given key, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync(
        string endpointId, WebhookDeliveryStatus? status, string? disputeId, (string DisputeId, long Seq)? after, int limit, CancellationToken ct);

    /// <summary>
    /// Queues dead letters again (all of an endpoint's, one dispute's, or with <paramref name="seq"/> one event's,
    /// delivered or dead); returns how many.
    /// </summary>
    Task<long> RedeliverAsync(string endpointId, string? disputeId, long? seq, DateTimeOffset now, CancellationToken ct);

    /// <summary>
    /// Gives claimed deliveries back before their lease ends (a node stopping): each still held by its
    /// token becomes due at <paramref name="now"/> for any node; the interrupted attempt stays counted.
    /// Returns how many were given back.
    /// </summary>
    Task<long> ReleaseAsync(IReadOnlyCollection<ClaimedDelivery> claimed, DateTimeOffset now, CancellationToken ct);
}
