using ResolutionGateway.Infrastructure.Persistence;

namespace ResolutionGateway.Infrastructure.Repositories;

/// <summary>
/// The retention job's removals of rows that only serve for a while: idempotency records, delivered
/// and dead-lettered webhook deliveries. Kept together (not in the dispute and webhook repositories)
/// because each is the same claim-and-delete, with SQL that no request path shares. Every node runs
/// them: on MySQL the claim (SELECT … FOR UPDATE SKIP LOCKED on the oldest rows) hands each row to one
/// node, rows another node or a request holds are skipped; on SQLite the single writer is the claim.
/// </summary>
public sealed class RetentionRepository(IDatabase db)
{
    private const string ClaimIdempotencySql = """
        SELECT party_key AS PartyKey, request_id AS RequestId FROM idempotency_records
        WHERE created_at < @Cutoff ORDER BY created_at LIMIT @Limit
        """;

    private const string DeleteIdempotencySql = "DELETE FROM idempotency_records WHERE party_key = @PartyKey AND request_id = @RequestId";

    /// <summary>Removes up to <paramref name="limit"/> idempotency records made before <paramref name="cutoff"/>; returns how many.</summary>
    public Task<int> PurgeIdempotencyAsync(DateTimeOffset cutoff, int limit, CancellationToken ct) =>
        PurgeAsync<IdempotencyKey>(ClaimIdempotencySql, DeleteIdempotencySql, new { Cutoff = UnixMs.From(cutoff), Limit = limit }, ct);

    private const string ClaimDeliveriesSql = """
        SELECT endpoint_id AS EndpointId, dispute_id AS DisputeId, seq AS Seq FROM webhook_deliveries
        WHERE status = @Status AND created_at < @Cutoff ORDER BY created_at LIMIT @Limit
        """;

    // The status again: a row redelivered since it was claimed is not removed.
    private const string DeleteDeliverySql = """
        DELETE FROM webhook_deliveries WHERE endpoint_id = @EndpointId AND dispute_id = @DisputeId AND seq = @Seq AND status IN (2, 3)
        """;

    /// <summary>
    /// Removes up to <paramref name="limit"/> deliveries in <paramref name="status"/> (2 delivered,
    /// 3 dead-lettered) whose event was queued before <paramref name="cutoff"/>; returns how many.
    /// </summary>
    public Task<int> PurgeDeliveriesAsync(int status, DateTimeOffset cutoff, int limit, CancellationToken ct) =>
        PurgeAsync<DeliveryKey>(ClaimDeliveriesSql, DeleteDeliverySql, new { Status = status, Cutoff = UnixMs.From(cutoff), Limit = limit }, ct);

    private Task<int> PurgeAsync<TKey>(string claimSql, string deleteSql, object args, CancellationToken ct) =>
        db.WriteAsync(async tx =>
        {
            var keys = await tx.QueryAsync<TKey>(claimSql + tx.Dialect.ForUpdateSkipLocked(), args);
            if (keys.Count == 0)
            {
                return 0;
            }
            var batch = new SqlBatch();
            foreach (var key in keys)
            {
                batch.Add(deleteSql, key);
            }
            // Every DELETE and the COMMIT in one round trip on MySQL.
            await tx.CommitAsync(batch);
            return keys.Count;
        }, ct);

    private sealed class IdempotencyKey
    {
        public string PartyKey { get; set; } = "";
        public string RequestId { get; set; } = "";
    }

    private sealed class DeliveryKey
    {
        public string EndpointId { get; set; } = "";
        public string DisputeId { get; set; } = "";
        public long Seq { get; set; }
    }
}
