using Dapper;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Infrastructure.Persistence;

namespace ResolutionGateway.Infrastructure.Repositories;

/// <summary>Per-key quota overrides (key_quotas), on either database.</summary>
public sealed class QuotaRepository(IDatabase db) : IQuotaStore
{
    private const string GetSql = """
        SELECT key_id AS KeyId, requests_per_second AS RequestsPerSecond, burst AS Burst, streams AS Streams, updated_at AS UpdatedAt
        FROM key_quotas WHERE key_id = @KeyId
        """;

    /// <inheritdoc />
    public Task<KeyQuota?> GetAsync(string keyId, CancellationToken ct) =>
        db.ReadAsync(async (c, t) =>
        {
            var row = await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(GetSql, new { KeyId = keyId }, cancellationToken: t));
            return row is null ? null : new KeyQuota(row.KeyId, new QuotaLimits(row.RequestsPerSecond, (int)row.Burst, (int)row.Streams), UnixMs.To(row.UpdatedAt));
        }, ct);

    // REPLACE INTO: the upsert both dialects share.
    private const string UpsertSql = """
        REPLACE INTO key_quotas (key_id, requests_per_second, burst, streams, updated_at)
        VALUES (@KeyId, @RequestsPerSecond, @Burst, @Streams, @UpdatedAt)
        """;

    /// <inheritdoc />
    public Task UpsertAsync(KeyQuota quota, CancellationToken ct) =>
        db.ExecuteAsync(UpsertSql, new
        {
            quota.KeyId,
            quota.Limits.RequestsPerSecond,
            quota.Limits.Burst,
            quota.Limits.Streams,
            UpdatedAt = UnixMs.From(quota.UpdatedAt),
        }, ct);

    private const string DeleteSql = "DELETE FROM key_quotas WHERE key_id = @KeyId";

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string keyId, CancellationToken ct) =>
        await db.ExecuteAsync(DeleteSql, new { KeyId = keyId }, ct) > 0;

    private sealed class Row
    {
        public string KeyId { get; set; } = "";
        public double RequestsPerSecond { get; set; }
        public long Burst { get; set; }
        public long Streams { get; set; }
        public long UpdatedAt { get; set; }
    }
}
