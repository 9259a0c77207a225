using Dapper;
using ResolutionGateway.Core.Directory;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Infrastructure.Persistence;

namespace ResolutionGateway.Infrastructure.Sqlite;

/// <summary>Channels, merchants, stores and API keys on the embedded store (shared SQL in <see cref="DirectorySql"/>).</summary>
public sealed class SqliteDirectoryStore(SqliteDatabase db) : IDirectoryStore
{
    private const string UpsertChannelSql = """
        INSERT INTO channels (channel_id, display_name, created_at, updated_at) VALUES (@Id, @Name, @Now, @Now)
        ON CONFLICT (channel_id) DO UPDATE SET display_name = excluded.display_name, updated_at = excluded.updated_at
        """;

    /// <inheritdoc />
    public async Task<ChannelRecord> UpsertChannelAsync(string channelId, string displayName, DateTimeOffset now, CancellationToken ct)
    {
        await db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(UpsertChannelSql,
            DirectorySql.NamedParameters(channelId, displayName, now), tx, cancellationToken: ct)), ct);
        return (await GetChannelAsync(channelId, ct))!;
    }

    /// <inheritdoc />
    public async Task<ChannelRecord?> GetChannelAsync(string channelId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await DirectorySql.GetChannelAsync(c, channelId, ct);
    }

    private const string UpsertMerchantSql = """
        INSERT INTO merchants (merchant_id, display_name, created_at, updated_at) VALUES (@Id, @Name, @Now, @Now)
        ON CONFLICT (merchant_id) DO UPDATE SET display_name = excluded.display_name, updated_at = excluded.updated_at
        """;

    /// <inheritdoc />
    public async Task<MerchantRecord> UpsertMerchantAsync(string merchantId, string displayName, DateTimeOffset now, CancellationToken ct)
    {
        await db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(UpsertMerchantSql,
            DirectorySql.NamedParameters(merchantId, displayName, now), tx, cancellationToken: ct)), ct);
        return (await GetMerchantAsync(merchantId, ct))!;
    }

    /// <inheritdoc />
    public async Task<MerchantRecord?> GetMerchantAsync(string merchantId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await DirectorySql.GetMerchantAsync(c, merchantId, ct);
    }

    private const string UpsertStoreSql = """
        INSERT INTO stores (merchant_id, store_id, display_name, address, region_code, created_at, updated_at)
        VALUES (@MerchantId, @StoreId, @DisplayName, @Address, @RegionCode, @Now, @Now)
        ON CONFLICT (merchant_id, store_id) DO UPDATE SET display_name = excluded.display_name, address = excluded.address,
            region_code = excluded.region_code, updated_at = excluded.updated_at
        """;

    /// <inheritdoc />
    public async Task<StoreRecord> UpsertStoreAsync(StoreRecord store, DateTimeOffset now, CancellationToken ct)
    {
        await db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(UpsertStoreSql,
            DirectorySql.StoreParameters(store, now), tx, cancellationToken: ct)), ct);
        return (await GetStoreAsync(store.MerchantId, store.StoreId, ct))!;
    }

    /// <inheritdoc />
    public async Task<StoreRecord?> GetStoreAsync(string merchantId, string storeId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await DirectorySql.GetStoreAsync(c, merchantId, storeId, ct);
    }

    /// <inheritdoc />
    public Task InsertApiKeyAsync(ApiKeyRecord key, CancellationToken ct) =>
        db.WriteAsync((c, tx) => DirectorySql.InsertApiKeyAsync(c, tx, key, ct), ct);

    /// <inheritdoc />
    public async Task<ApiKeyRecord?> GetApiKeyAsync(string keyId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await DirectorySql.GetApiKeyAsync(c, keyId, ct);
    }

    /// <inheritdoc />
    public async Task<ApiKeyRecord?> RevokeApiKeyAsync(string keyId, DateTimeOffset now, CancellationToken ct)
    {
        await db.WriteAsync((c, tx) => DirectorySql.RevokeApiKeyAsync(c, tx, keyId, now, ct), ct);
        return await GetApiKeyAsync(keyId, ct);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(bool includeRevoked, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await DirectorySql.ListApiKeysAsync(c, includeRevoked, ct);
    }

    /// <inheritdoc />
    public async Task<bool> HasActiveAdminKeyAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await DirectorySql.HasActiveAdminKeyAsync(c, ct);
    }
}
