using Dapper;
using MySqlConnector;
using ResolutionGateway.Core.Directory;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Infrastructure.Persistence;

namespace ResolutionGateway.Infrastructure.MySql;

/// <summary>
/// Channels, merchants, stores and API keys on MySQL/MariaDB. Each write is one statement
/// (autocommit), so it needs no explicit transaction.
/// </summary>
/// <remarks>
/// Upserts repeat the parameters in ON DUPLICATE KEY UPDATE instead of reading the proposed row:
/// VALUES(col) is deprecated since MySQL 8.0.20 and the replacement row alias (INSERT ... AS new)
/// does not exist in MariaDB, while a repeated parameter means the same on both.
/// </remarks>
public sealed class MySqlDirectoryStore(MySqlDataSource dataSource) : IDirectoryStore
{
    private const string UpsertChannelSql = """
        INSERT INTO channels (channel_id, display_name, created_at, updated_at) VALUES (@Id, @Name, @Now, @Now)
        ON DUPLICATE KEY UPDATE display_name = @Name, updated_at = @Now
        """;
    private const string GetChannelSql = "SELECT channel_id AS Id, display_name AS Name, created_at AS CreatedAt FROM channels WHERE channel_id = @Id";

    /// <inheritdoc />
    public async Task<ChannelRecord> UpsertChannelAsync(string channelId, string displayName, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(UpsertChannelSql, new { Id = channelId, Name = displayName, Now = UnixMs.From(now) }, cancellationToken: ct));
        return (await GetChannelAsync(c, channelId, ct))!;
    }

    /// <inheritdoc />
    public async Task<ChannelRecord?> GetChannelAsync(string channelId, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        return await GetChannelAsync(c, channelId, ct);
    }

    private static async Task<ChannelRecord?> GetChannelAsync(MySqlConnection c, string channelId, CancellationToken ct)
    {
        var row = await c.QuerySingleOrDefaultAsync<NamedRow>(new CommandDefinition(GetChannelSql, new { Id = channelId }, cancellationToken: ct));
        return row is null ? null : new ChannelRecord(row.Id, row.Name, UnixMs.To(row.CreatedAt));
    }

    private const string UpsertMerchantSql = """
        INSERT INTO merchants (merchant_id, display_name, created_at, updated_at) VALUES (@Id, @Name, @Now, @Now)
        ON DUPLICATE KEY UPDATE display_name = @Name, updated_at = @Now
        """;
    private const string GetMerchantSql = "SELECT merchant_id AS Id, display_name AS Name, created_at AS CreatedAt FROM merchants WHERE merchant_id = @Id";

    /// <inheritdoc />
    public async Task<MerchantRecord> UpsertMerchantAsync(string merchantId, string displayName, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(UpsertMerchantSql, new { Id = merchantId, Name = displayName, Now = UnixMs.From(now) }, cancellationToken: ct));
        return (await GetMerchantAsync(c, merchantId, ct))!;
    }

    /// <inheritdoc />
    public async Task<MerchantRecord?> GetMerchantAsync(string merchantId, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        return await GetMerchantAsync(c, merchantId, ct);
    }

    private static async Task<MerchantRecord?> GetMerchantAsync(MySqlConnection c, string merchantId, CancellationToken ct)
    {
        var row = await c.QuerySingleOrDefaultAsync<NamedRow>(new CommandDefinition(GetMerchantSql, new { Id = merchantId }, cancellationToken: ct));
        return row is null ? null : new MerchantRecord(row.Id, row.Name, UnixMs.To(row.CreatedAt));
    }

    private const string UpsertStoreSql = """
        INSERT INTO stores (merchant_id, store_id, display_name, address, region_code, created_at, updated_at)
        VALUES (@MerchantId, @StoreId, @DisplayName, @Address, @RegionCode, @Now, @Now)
        ON DUPLICATE KEY UPDATE display_name = @DisplayName, address = @Address, region_code = @RegionCode, updated_at = @Now
        """;
    private const string GetStoreSql = """
        SELECT merchant_id AS MerchantId, store_id AS StoreId, display_name AS DisplayName, address AS Address, region_code AS RegionCode
        FROM stores WHERE merchant_id = @MerchantId AND store_id = @StoreId
        """;

    /// <inheritdoc />
    public async Task<StoreRecord> UpsertStoreAsync(StoreRecord store, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(UpsertStoreSql, new
        {
            store.MerchantId,
            store.StoreId,
            store.DisplayName,
            store.Address,
            store.RegionCode,
            Now = UnixMs.From(now),
        }, cancellationToken: ct));
        return (await GetStoreAsync(c, store.MerchantId, store.StoreId, ct))!;
    }

    /// <inheritdoc />
    public async Task<StoreRecord?> GetStoreAsync(string merchantId, string storeId, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        return await GetStoreAsync(c, merchantId, storeId, ct);
    }

    private static async Task<StoreRecord?> GetStoreAsync(MySqlConnection c, string merchantId, string storeId, CancellationToken ct)
    {
        var row = await c.QuerySingleOrDefaultAsync<StoreRow>(new CommandDefinition(GetStoreSql,
            new { MerchantId = merchantId, StoreId = storeId }, cancellationToken: ct));
        return row is null ? null : new StoreRecord(row.MerchantId, row.StoreId, row.DisplayName, row.Address, row.RegionCode);
    }

    private const string InsertKeySql = """
        INSERT INTO api_keys (key_id, secret_hash, role, scope, description, created_at, revoked_at)
        VALUES (@KeyId, @SecretHash, @Role, @Scope, @Description, @CreatedAt, NULL)
        """;
    private const string KeyColumns = """
        SELECT key_id AS KeyId, secret_hash AS SecretHash, role AS Role, scope AS Scope, description AS Description,
               created_at AS CreatedAt, revoked_at AS RevokedAt
        FROM api_keys
        """;
    private const string GetKeySql = KeyColumns + " WHERE key_id = @KeyId";
    private const string RevokeKeySql = "UPDATE api_keys SET revoked_at = @Now WHERE key_id = @KeyId AND revoked_at IS NULL";
    private const string ListKeysSql = KeyColumns + " WHERE (@IncludeRevoked = 1 OR revoked_at IS NULL) ORDER BY created_at, key_id";
    private const string HasAdminSql = "SELECT EXISTS (SELECT 1 FROM api_keys WHERE role = @Role AND revoked_at IS NULL)";

    /// <inheritdoc />
    public async Task InsertApiKeyAsync(ApiKeyRecord key, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(InsertKeySql, new
        {
            key.KeyId,
            key.SecretHash,
            Role = (int)key.Role,
            key.Scope,
            key.Description,
            CreatedAt = UnixMs.From(key.CreatedAt),
        }, cancellationToken: ct));
    }

    /// <inheritdoc />
    public async Task<ApiKeyRecord?> GetApiKeyAsync(string keyId, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        return await GetApiKeyAsync(c, keyId, ct);
    }

    private static async Task<ApiKeyRecord?> GetApiKeyAsync(MySqlConnection c, string keyId, CancellationToken ct)
    {
        var row = await c.QuerySingleOrDefaultAsync<KeyRow>(new CommandDefinition(GetKeySql, new { KeyId = keyId }, cancellationToken: ct));
        return row?.ToRecord();
    }

    /// <inheritdoc />
    public async Task<ApiKeyRecord?> RevokeApiKeyAsync(string keyId, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(RevokeKeySql, new { KeyId = keyId, Now = UnixMs.From(now) }, cancellationToken: ct));
        return await GetApiKeyAsync(c, keyId, ct);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(bool includeRevoked, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<KeyRow>(new CommandDefinition(ListKeysSql, new { IncludeRevoked = includeRevoked ? 1 : 0 }, cancellationToken: ct));
        return rows.Select(r => r.ToRecord()).ToArray();
    }

    /// <inheritdoc />
    public async Task<bool> HasActiveAdminKeyAsync(CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition(HasAdminSql, new { Role = (int)CredentialRole.Admin }, cancellationToken: ct)) == 1;
    }

    private sealed class NamedRow
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public long CreatedAt { get; set; }
    }

    private sealed class StoreRow
    {
        public string MerchantId { get; set; } = "";
        public string StoreId { get; set; } = "";
        public string DisplayName { get; set; } = "";
        public string Address { get; set; } = "";
        public string RegionCode { get; set; } = "";
    }
}
