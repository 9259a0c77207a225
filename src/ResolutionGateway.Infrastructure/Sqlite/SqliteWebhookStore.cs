using ResolutionGateway.Core.Webhooks;
using ResolutionGateway.Infrastructure.Persistence;

namespace ResolutionGateway.Infrastructure.Sqlite;

/// <summary>Webhook endpoints and deliveries on the embedded store; claims run under its single-writer lock.</summary>
public sealed class SqliteWebhookStore(SqliteDatabase db) : IWebhookStore
{
    /// <inheritdoc />
    public Task InsertEndpointAsync(WebhookEndpoint endpoint, CancellationToken ct) =>
        db.WriteAsync((c, tx) => WebhookSql.InsertEndpointAsync(c, tx, endpoint, ct), ct);

    /// <inheritdoc />
    public async Task<WebhookEndpoint?> GetEndpointAsync(string endpointId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await WebhookSql.GetEndpointAsync(c, null, endpointId, ct);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<WebhookEndpoint>> ListEndpointsAsync(WebhookOwnerKind? kind, string? ownerId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await WebhookSql.ListEndpointsAsync(c, kind, ownerId, ct);
    }

    /// <inheritdoc />
    public Task<long> UpdateEndpointAsync(WebhookEndpoint endpoint, CancellationToken ct) =>
        db.WriteAsync((c, tx) => WebhookSql.UpdateEndpointAsync(c, tx, endpoint, ct), ct);

    /// <inheritdoc />
    public Task<long?> DeleteEndpointAsync(string endpointId, DateTimeOffset now, CancellationToken ct) =>
        db.WriteAsync((c, tx) => WebhookSql.DeleteEndpointAsync(c, tx, endpointId, ct), ct);

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> FindDueEndpointsAsync(DateTimeOffset now, int limit, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await WebhookSql.FindDueEndpointsAsync(c, now, limit, ct);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ClaimedDelivery>> ClaimDueAsync(string endpointId, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken ct) =>
        // The write lock is the claim: no other writer runs between the SELECT and the lease UPDATE.
        db.WriteAsync((c, tx) => WebhookSql.ClaimAsync(c, tx, "", endpointId, now, leaseUntil, limit, ct), ct);

    /// <inheritdoc />
    public Task<bool> CompleteAsync(ClaimedDelivery claimed, DeliveryOutcome outcome, DateTimeOffset now, CancellationToken ct) =>
        db.WriteAsync((c, tx) => WebhookSql.CompleteAsync(c, tx, claimed, outcome, now, ct), ct);

    /// <inheritdoc />
    public async Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync(string endpointId, WebhookDeliveryStatus? status, string? disputeId,
        (string DisputeId, long Seq)? after, int limit, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await WebhookSql.ListDeliveriesAsync(c, endpointId, status, disputeId, after, limit, ct);
    }

    /// <inheritdoc />
    public Task<long> RedeliverAsync(string endpointId, string? disputeId, long? seq, DateTimeOffset now, CancellationToken ct) =>
        db.WriteAsync((c, tx) => WebhookSql.RedeliverAsync(c, tx, endpointId, disputeId, seq, now, ct), ct);
}
