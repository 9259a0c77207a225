using Dapper;
using ResolutionGateway.Core.Directory;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Infrastructure.Persistence;

namespace ResolutionGateway.Infrastructure.Repositories;

/// <summary>
/// Channels, merchants, stores and API keys, on either database. Each write is one statement.
/// </summary>
/// <remarks>
/// Upserts repeat the parameters in their update part instead of reading the proposed row: on
/// MySQL, VALUES(col) is deprecated since 8.0.20 and the replacement row alias (INSERT ... AS new)
/// does not exist in MariaDB, while a repeated parameter means the same on both databases.
/// </remarks>
public sealed partial class DirectoryRepository(IDatabase db) : IDirectoryStore
{
    private const string InsertChannelSql = "INSERT INTO channels (channel_id, display_name, created_at, updated_at) VALUES (@Id, @Name, @Now, @Now)";

    /// <inheritdoc />
    public async Task<ChannelRecord> UpsertChannelAsync(string channelId, string displayName, DateTimeOffset now, CancellationToken ct)
    {
        var sql = InsertChannelSql + db.Dialect.OnConflictUpdate("channel_id") + "display_name = @Name, updated_at = @Now";
        await db.ExecuteAsync(sql, new { Id = channelId, Name = displayName, Now = UnixMs.From(now) }, ct);
        return (await GetChannelAsync(channelId, ct))!;
    }

    private const string GetChannelSql = "SELECT channel_id AS Id, display_name AS Name, created_at AS CreatedAt FROM channels WHERE channel_id = @Id";

    /// <inheritdoc />
    public Task<ChannelRecord?> GetChannelAsync(string channelId, CancellationToken ct) =>
        db.ReadAsync(async (c, t) =>
        {
            var row = await c.QuerySingleOrDefaultAsync<NamedRow>(new CommandDefinition(GetChannelSql, new { Id = channelId }, cancellationToken: t));
            return row is null ? null : new ChannelRecord(row.Id, row.Name, UnixMs.To(row.CreatedAt));
        }, ct);

    private const string InsertMerchantSql = "INSERT INTO merchants (merchant_id, display_name, created_at, updated_at) VALUES (@Id, @Name, @Now, @Now)";

    /// <inheritdoc />
    public async Task<MerchantRecord> UpsertMerchantAsync(string merchantId, string displayName, DateTimeOffset now, CancellationToken ct)
    {
        var sql = InsertMerchantSql + db.Dialect.OnConflictUpdate("merchant_id") + "display_name = @Name, updated_at = @Now";
        await db.ExecuteAsync(sql, new { Id = merchantId, Name = displayName, Now = UnixMs.From(now) }, ct);
        return (await GetMerchantAsync(merchantId, ct))!;
    }

    private const string GetMerchantSql = MerchantColumns + " WHERE merchant_id = @Id";

    /// <inheritdoc />
    public Task<MerchantRecord?> GetMerchantAsync(string merchantId, CancellationToken ct) =>
        db.ReadAsync(async (c, t) =>
            (await c.QuerySingleOrDefaultAsync<MerchantRow>(new CommandDefinition(GetMerchantSql, new { Id = merchantId }, cancellationToken: t)))?.ToRecord(), ct);

    private const string InsertStoreSql = """
        INSERT INTO stores (merchant_id, store_id, display_name, address, region_code, created_at, updated_at)
        VALUES (@MerchantId, @StoreId, @DisplayName, @Address, @RegionCode, @Now, @Now)
        """;

    /// <inheritdoc />
    public async Task<StoreRecord> UpsertStoreAsync(StoreRecord store, DateTimeOffset now, CancellationToken ct)
    {
        var sql = InsertStoreSql + db.Dialect.OnConflictUpdate("merchant_id, store_id")
            + "display_name = @DisplayName, address = @Address, region_code = @RegionCode, updated_at = @Now";
        await db.ExecuteAsync(sql, new
        {
            store.MerchantId,
            store.StoreId,
            store.DisplayName,
            store.Address,
            store.RegionCode,
            Now = UnixMs.From(now),
        }, ct);
        return (await GetStoreAsync(store.MerchantId, store.StoreId, ct))!;
    }

    private const string GetStoreSql = StoreColumns + " WHERE merchant_id = @MerchantId AND store_id = @StoreId";

    /// <inheritdoc />
    public Task<StoreRecord?> GetStoreAsync(string merchantId, string storeId, CancellationToken ct) =>
        db.ReadAsync(async (c, t) =>
            (await c.QuerySingleOrDefaultAsync<StoreRow>(new CommandDefinition(GetStoreSql,
                new { MerchantId = merchantId, StoreId = storeId }, cancellationToken: t)))?.ToRecord(), ct);

    private const string InsertKeySql = """
        INSERT INTO api_keys (key_id, secret_hash, role, scope, description, created_at, revoked_at, officer_name)
        VALUES (@KeyId, @SecretHash, @Role, @Scope, @Description, @CreatedAt, NULL, @OfficerName)
        """;

    /// <inheritdoc />
    public Task InsertApiKeyAsync(ApiKeyRecord key, CancellationToken ct) =>
        db.ExecuteAsync(InsertKeySql, new
        {
            key.KeyId,
            key.SecretHash,
            Role = (int)key.Role,
            key.Scope,
            key.Description,
            CreatedAt = UnixMs.From(key.CreatedAt),
            key.OfficerName,
        }, ct);

    // The first revocation time is kept.
    private const string RevokeKeySql = "UPDATE api_keys SET revoked_at = @Now WHERE key_id = @KeyId AND revoked_at IS NULL";

    /// <inheritdoc />
    public async Task<ApiKeyRecord?> RevokeApiKeyAsync(string keyId, DateTimeOffset now, CancellationToken ct)
    {
        await db.ExecuteAsync(RevokeKeySql, new { KeyId = keyId, Now = UnixMs.From(now) }, ct);
        return await GetApiKeyAsync(keyId, ct);
    }

    private const string KeyColumns = """
        SELECT key_id AS KeyId, secret_hash AS SecretHash, role AS Role, scope AS Scope, description AS Description,
               created_at AS CreatedAt, revoked_at AS RevokedAt, officer_name AS OfficerName
        FROM api_keys
        """;
    private const string GetKeySql = KeyColumns + " WHERE key_id = @KeyId";

    /// <inheritdoc />
    public Task<ApiKeyRecord?> GetApiKeyAsync(string keyId, CancellationToken ct) =>
        db.ReadAsync(async (c, t) =>
            (await c.QuerySingleOrDefaultAsync<KeyRow>(new CommandDefinition(GetKeySql, new { KeyId = keyId }, cancellationToken: t)))?.ToRecord(), ct);

    private const string ListKeysSql = KeyColumns + " WHERE (@IncludeRevoked = 1 OR revoked_at IS NULL) ORDER BY created_at, key_id";

    /// <inheritdoc />
    public Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(bool includeRevoked, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<ApiKeyRecord>>(async (c, t) => (await c.QueryAsync<KeyRow>(new CommandDefinition(ListKeysSql,
            new { IncludeRevoked = includeRevoked ? 1 : 0 }, cancellationToken: t))).Select(r => r.ToRecord()).ToArray(), ct);

    private const string HasAdminSql = "SELECT EXISTS (SELECT 1 FROM api_keys WHERE role = @Role AND revoked_at IS NULL)";

    /// <inheritdoc />
    public Task<bool> HasActiveAdminKeyAsync(CancellationToken ct) =>
        db.ReadAsync(async (c, t) =>
            await c.ExecuteScalarAsync<long>(new CommandDefinition(HasAdminSql, new { Role = (int)CredentialRole.Admin }, cancellationToken: t)) == 1, ct);

    private sealed class NamedRow
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public long CreatedAt { get; set; }
    }

    private sealed class KeyRow
    {
        public string KeyId { get; set; } = "";
        public string SecretHash { get; set; } = "";
        public long Role { get; set; }
        public string Scope { get; set; } = "";
        public string Description { get; set; } = "";
        public long CreatedAt { get; set; }
        public long? RevokedAt { get; set; }
        public string OfficerName { get; set; } = "";

        public ApiKeyRecord ToRecord() => new(KeyId, SecretHash, (CredentialRole)Role, Scope, Description, UnixMs.To(CreatedAt),
            RevokedAt is { } r ? UnixMs.To(r) : null, OfficerName);
    }
}
