using Dapper;
using MySqlConnector;
using ResolutionGateway.Core.Directory;
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

    /// <inheritdoc />
    public async Task<ChannelRecord> UpsertChannelAsync(string channelId, string displayName, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(UpsertChannelSql, DirectorySql.NamedParameters(channelId, displayName, now), cancellationToken: ct));
        return (await DirectorySql.GetChannelAsync(c, channelId, ct))!;
    }

    /// <inheritdoc />
    public async Task<ChannelRecord?> GetChannelAsync(string channelId, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        return await DirectorySql.GetChannelAsync(c, channelId, ct);
    }

    private const string UpsertMerchantSql = """
        INSERT INTO merchants (merchant_id, display_name, created_at, updated_at) VALUES (@Id, @Name, @Now, @Now)
        ON DUPLICATE KEY UPDATE display_name = @Name, updated_at = @Now
        """;

    /// <inheritdoc />
    public async Task<MerchantRecord> UpsertMerchantAsync(string merchantId, string displayName, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(UpsertMerchantSql, DirectorySql.NamedParameters(merchantId, displayName, now), cancellationToken: ct));
        return (await DirectorySql.GetMerchantAsync(c, merchantId, ct))!;
    }

    /// <inheritdoc />
    public async Task<MerchantRecord?> GetMerchantAsync(string merchantId, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        return await DirectorySql.GetMerchantAsync(c, merchantId, ct);
    }

    private const string UpsertStoreSql = """
        INSERT INTO stores (merchant_id, store_id, display_name, address, region_code, created_at, updated_at)
        VALUES (@MerchantId, @StoreId, @DisplayName, @Address, @RegionCode, @Now, @Now)
        ON DUPLICATE KEY UPDATE display_name = @DisplayName, address = @Address, region_code = @RegionCode, updated_at = @Now
        """;

    /// <inheritdoc />
    public async Task<StoreRecord> UpsertStoreAsync(StoreRecord store, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(UpsertStoreSql, DirectorySql.StoreParameters(store, now), cancellationToken: ct));
        return (await DirectorySql.GetStoreAsync(c, store.MerchantId, store.StoreId, ct))!;
    }

    /// <inheritdoc />
    public async Task<StoreRecord?> GetStoreAsync(string merchantId, string storeId, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        return await DirectorySql.GetStoreAsync(c, merchantId, storeId, ct);
    }

    /// <inheritdoc />
    public async Task InsertApiKeyAsync(ApiKeyRecord key, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        await DirectorySql.InsertApiKeyAsync(c, null, key, ct);
    }

    /// <inheritdoc />
    public async Task<ApiKeyRecord?> GetApiKeyAsync(string keyId, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        return await DirectorySql.GetApiKeyAsync(c, keyId, ct);
    }

    /// <inheritdoc />
    public async Task<ApiKeyRecord?> RevokeApiKeyAsync(string keyId, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        await DirectorySql.RevokeApiKeyAsync(c, null, keyId, now, ct);
        return await DirectorySql.GetApiKeyAsync(c, keyId, ct);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(bool includeRevoked, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        return await DirectorySql.ListApiKeysAsync(c, includeRevoked, ct);
    }

    /// <inheritdoc />
    public async Task<bool> HasActiveAdminKeyAsync(CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        return await DirectorySql.HasActiveAdminKeyAsync(c, ct);
    }
}
