using System.Data.Common;
using Dapper;
using ResolutionGateway.Core.Directory;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.Storage;

namespace ResolutionGateway.Infrastructure.Persistence;

/// <summary>
/// The directory SQL that is the same on SQLite and MySQL: every read, and the API key writes. The
/// upserts differ by dialect (ON CONFLICT vs ON DUPLICATE KEY) and stay in each store, fed by the
/// parameter builders here.
/// </summary>
public static class DirectorySql
{
    /// <summary>Parameters of the channel and merchant upserts: @Id, @Name, @Now.</summary>
    public static object NamedParameters(string id, string displayName, DateTimeOffset now) =>
        new { Id = id, Name = displayName, Now = UnixMs.From(now) };

    /// <summary>Parameters of the store upserts.</summary>
    public static object StoreParameters(StoreRecord store, DateTimeOffset now) => new
    {
        store.MerchantId,
        store.StoreId,
        store.DisplayName,
        store.Address,
        store.RegionCode,
        Now = UnixMs.From(now),
    };

    private const string GetChannelSql = "SELECT channel_id AS Id, display_name AS Name, created_at AS CreatedAt FROM channels WHERE channel_id = @Id";

    /// <summary>The channel, or null.</summary>
    public static async Task<ChannelRecord?> GetChannelAsync(DbConnection c, string channelId, CancellationToken ct)
    {
        var row = await c.QuerySingleOrDefaultAsync<NamedRow>(new CommandDefinition(GetChannelSql, new { Id = channelId }, cancellationToken: ct));
        return row is null ? null : new ChannelRecord(row.Id, row.Name, UnixMs.To(row.CreatedAt));
    }

    private const string GetMerchantSql = "SELECT merchant_id AS Id, display_name AS Name, created_at AS CreatedAt FROM merchants WHERE merchant_id = @Id";

    /// <summary>The merchant, or null.</summary>
    public static async Task<MerchantRecord?> GetMerchantAsync(DbConnection c, string merchantId, CancellationToken ct)
    {
        var row = await c.QuerySingleOrDefaultAsync<NamedRow>(new CommandDefinition(GetMerchantSql, new { Id = merchantId }, cancellationToken: ct));
        return row is null ? null : new MerchantRecord(row.Id, row.Name, UnixMs.To(row.CreatedAt));
    }

    private const string GetStoreSql = """
        SELECT merchant_id AS MerchantId, store_id AS StoreId, display_name AS DisplayName, address AS Address, region_code AS RegionCode
        FROM stores WHERE merchant_id = @MerchantId AND store_id = @StoreId
        """;

    /// <summary>The store, or null.</summary>
    public static async Task<StoreRecord?> GetStoreAsync(DbConnection c, string merchantId, string storeId, CancellationToken ct)
    {
        var row = await c.QuerySingleOrDefaultAsync<StoreRow>(new CommandDefinition(GetStoreSql,
            new { MerchantId = merchantId, StoreId = storeId }, cancellationToken: ct));
        return row is null ? null : new StoreRecord(row.MerchantId, row.StoreId, row.DisplayName, row.Address, row.RegionCode);
    }

    private const string InsertKeySql = """
        INSERT INTO api_keys (key_id, secret_hash, role, scope, description, created_at, revoked_at)
        VALUES (@KeyId, @SecretHash, @Role, @Scope, @Description, @CreatedAt, NULL)
        """;

    /// <summary>Stores a new key.</summary>
    public static Task<int> InsertApiKeyAsync(DbConnection c, DbTransaction? tx, ApiKeyRecord key, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(InsertKeySql, new
        {
            key.KeyId,
            key.SecretHash,
            Role = (int)key.Role,
            key.Scope,
            key.Description,
            CreatedAt = UnixMs.From(key.CreatedAt),
        }, tx, cancellationToken: ct));

    private const string RevokeKeySql = "UPDATE api_keys SET revoked_at = @Now WHERE key_id = @KeyId AND revoked_at IS NULL";

    /// <summary>Sets revoked_at unless already set (the first revocation time is kept).</summary>
    public static Task<int> RevokeApiKeyAsync(DbConnection c, DbTransaction? tx, string keyId, DateTimeOffset now, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(RevokeKeySql, new { KeyId = keyId, Now = UnixMs.From(now) }, tx, cancellationToken: ct));

    private const string KeyColumns = """
        SELECT key_id AS KeyId, secret_hash AS SecretHash, role AS Role, scope AS Scope, description AS Description,
               created_at AS CreatedAt, revoked_at AS RevokedAt
        FROM api_keys
        """;
    private const string GetKeySql = KeyColumns + " WHERE key_id = @KeyId";
    private const string ListKeysSql = KeyColumns + " WHERE (@IncludeRevoked = 1 OR revoked_at IS NULL) ORDER BY created_at, key_id";
    private const string HasAdminSql = "SELECT EXISTS (SELECT 1 FROM api_keys WHERE role = @Role AND revoked_at IS NULL)";

    /// <summary>The key, or null.</summary>
    public static async Task<ApiKeyRecord?> GetApiKeyAsync(DbConnection c, string keyId, CancellationToken ct)
    {
        var row = await c.QuerySingleOrDefaultAsync<KeyRow>(new CommandDefinition(GetKeySql, new { KeyId = keyId }, cancellationToken: ct));
        return row?.ToRecord();
    }

    /// <summary>Keys, oldest first.</summary>
    public static async Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(DbConnection c, bool includeRevoked, CancellationToken ct)
    {
        var rows = await c.QueryAsync<KeyRow>(new CommandDefinition(ListKeysSql, new { IncludeRevoked = includeRevoked ? 1 : 0 }, cancellationToken: ct));
        return rows.Select(r => r.ToRecord()).ToArray();
    }

    /// <summary>True when at least one admin key is not revoked.</summary>
    public static async Task<bool> HasActiveAdminKeyAsync(DbConnection c, CancellationToken ct) =>
        await c.ExecuteScalarAsync<long>(new CommandDefinition(HasAdminSql, new { Role = (int)CredentialRole.Admin }, cancellationToken: ct)) == 1;

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

    private sealed class KeyRow
    {
        public string KeyId { get; set; } = "";
        public string SecretHash { get; set; } = "";
        public long Role { get; set; }
        public string Scope { get; set; } = "";
        public string Description { get; set; } = "";
        public long CreatedAt { get; set; }
        public long? RevokedAt { get; set; }

        public ApiKeyRecord ToRecord() => new(KeyId, SecretHash, (CredentialRole)Role, Scope, Description, UnixMs.To(CreatedAt),
            RevokedAt is { } r ? UnixMs.To(r) : null);
    }
}
