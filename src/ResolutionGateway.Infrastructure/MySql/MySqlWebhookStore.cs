using System.Data;
using MySqlConnector;
using ResolutionGateway.Core.Webhooks;
using ResolutionGateway.Infrastructure.Persistence;

namespace ResolutionGateway.Infrastructure.MySql;

/// <summary>
/// Webhook endpoints and deliveries on MySQL/MariaDB. Several nodes claim from the same queue:
/// SELECT … FOR UPDATE SKIP LOCKED hands each due row to one of them without waiting, and the
/// lease (next_attempt_at pushed to the lease end, plus a token) keeps it theirs after COMMIT.
/// </summary>
public sealed class MySqlWebhookStore(MySqlDataSource dataSource) : IWebhookStore
{
    /// <inheritdoc />
    public async Task InsertEndpointAsync(WebhookEndpoint endpoint, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        await WebhookSql.InsertEndpointAsync(c, null, endpoint, ct);
    }

    /// <inheritdoc />
    public async Task<WebhookEndpoint?> GetEndpointAsync(string endpointId, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        return await WebhookSql.GetEndpointAsync(c, null, endpointId, ct);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<WebhookEndpoint>> ListEndpointsAsync(WebhookOwnerKind? kind, string? ownerId, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        return await WebhookSql.ListEndpointsAsync(c, kind, ownerId, ct);
    }

    /// <inheritdoc />
    public Task<long> UpdateEndpointAsync(WebhookEndpoint endpoint, CancellationToken ct) =>
        InTransactionAsync((c, tx) => WebhookSql.UpdateEndpointAsync(c, tx, endpoint, ct), ct);

    /// <inheritdoc />
    public Task<long?> DeleteEndpointAsync(string endpointId, DateTimeOffset now, CancellationToken ct) =>
        InTransactionAsync((c, tx) => WebhookSql.DeleteEndpointAsync(c, tx, endpointId, ct), ct);

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> FindDueEndpointsAsync(DateTimeOffset now, int limit, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        return await WebhookSql.FindDueEndpointsAsync(c, now, limit, ct);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ClaimedDelivery>> ClaimDueAsync(string endpointId, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken ct) =>
        InTransactionAsync((c, tx) => WebhookSql.ClaimAsync(c, tx, "FOR UPDATE SKIP LOCKED", endpointId, now, leaseUntil, limit, ct), ct);

    /// <inheritdoc />
    public Task<bool> CompleteAsync(ClaimedDelivery claimed, DeliveryOutcome outcome, DateTimeOffset now, CancellationToken ct) =>
        InTransactionAsync((c, tx) => WebhookSql.CompleteAsync(c, tx, claimed, outcome, now, ct), ct);

    /// <inheritdoc />
    public async Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync(string endpointId, WebhookDeliveryStatus? status, string? disputeId,
        (string DisputeId, long Seq)? after, int limit, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        return await WebhookSql.ListDeliveriesAsync(c, endpointId, status, disputeId, after, limit, ct);
    }

    /// <inheritdoc />
    public Task<long> RedeliverAsync(string endpointId, string? disputeId, long? seq, DateTimeOffset now, CancellationToken ct) =>
        InTransactionAsync((c, tx) => WebhookSql.RedeliverAsync(c, tx, endpointId, disputeId, seq, now, ct), ct);

    private async Task<T> InTransactionAsync<T>(Func<MySqlConnection, MySqlTransaction, Task<T>> work, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        var result = await work(c, tx);
        await tx.CommitAsync(ct);
        return result;
    }
}
