using ResolutionGateway.Core.Directory;

namespace ResolutionGateway.Core.Storage;

/// <summary>Channels, merchants, stores and API keys.</summary>
public interface IDirectoryStore
{
    /// <summary>Inserts or renames a channel; returns it as stored.</summary>
    Task<ChannelRecord> UpsertChannelAsync(string channelId, string displayName, DateTimeOffset now, CancellationToken ct);
    /// <summary>The channel, or null.</summary>
    Task<ChannelRecord?> GetChannelAsync(string channelId, CancellationToken ct);
    /// <summary>Inserts or renames a merchant; returns it as stored.</summary>
    Task<MerchantRecord> UpsertMerchantAsync(string merchantId, string displayName, DateTimeOffset now, CancellationToken ct);
    /// <summary>The merchant, or null when not enrolled.</summary>
    Task<MerchantRecord?> GetMerchantAsync(string merchantId, CancellationToken ct);
    /// <summary>Inserts or updates a store.</summary>
    Task<StoreRecord> UpsertStoreAsync(StoreRecord store, DateTimeOffset now, CancellationToken ct);
    /// <summary>The store, or null.</summary>
    Task<StoreRecord?> GetStoreAsync(string merchantId, string storeId, CancellationToken ct);
    /// <summary>Stores a new key.</summary>
    Task InsertApiKeyAsync(ApiKeyRecord key, CancellationToken ct);
    /// <summary>The key, or null.</summary>
    Task<ApiKeyRecord?> GetApiKeyAsync(string keyId, CancellationToken ct);
    /// <summary>Sets revoked_at if not set; returns the key as stored, or null when unknown.</summary>
    Task<ApiKeyRecord?> RevokeApiKeyAsync(string keyId, DateTimeOffset now, CancellationToken ct);
    /// <summary>Keys, oldest first.</summary>
    Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(bool includeRevoked, CancellationToken ct);
    /// <summary>True when at least one admin key is not revoked.</summary>
    Task<bool> HasActiveAdminKeyAsync(CancellationToken ct);

    // ---- the directory at scale (issue 17) ----

    /// <summary>Enables or disables a merchant; returns it as stored, or null when not enrolled.</summary>
    Task<MerchantRecord?> SetMerchantEnabledAsync(string merchantId, bool enabled, DateTimeOffset now, CancellationToken ct);
    /// <summary>Channels with an id after <paramref name="afterId"/> ("" from the start), by id, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<ChannelRecord>> ListChannelsAsync(string afterId, int limit, CancellationToken ct);
    /// <summary>Merchants matching <paramref name="filter"/> with an id after <paramref name="afterId"/>, by id, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<MerchantRecord>> ListMerchantsAsync(MerchantFilter filter, string afterId, int limit, CancellationToken ct);
    /// <summary>Stores matching <paramref name="filter"/> after <paramref name="after"/> (null from the start), by merchant then store id.</summary>
    Task<IReadOnlyList<StoreRecord>> ListStoresAsync(StoreFilter filter, StoreKey? after, int limit, CancellationToken ct);
    /// <summary>The stored rows of these stores (those that exist), read from the database, never a cache.</summary>
    Task<IReadOnlyList<StoreRecord>> GetStoresAsync(IReadOnlyCollection<StoreKey> keys, CancellationToken ct);
    /// <summary>Which of these merchant ids are enrolled.</summary>
    Task<IReadOnlySet<string>> EnrolledMerchantsAsync(IReadOnlyCollection<string> merchantIds, CancellationToken ct);
    /// <summary>Writes whole store rows (insert or overwrite, enabled flag included), in batches of multi-row upserts.</summary>
    Task WriteStoresAsync(IReadOnlyList<StoreRecord> stores, DateTimeOffset now, CancellationToken ct);
    /// <summary>The answer of a finished import by this key with this request id, or null.</summary>
    Task<StoreImportResult?> GetStoreImportAsync(string keyId, string requestId, CancellationToken ct);
    /// <summary>Records a finished import's answer; a concurrent twin that recorded first wins (its answer is returned).</summary>
    Task<StoreImportResult> SaveStoreImportAsync(string keyId, string requestId, StoreImportResult result, DateTimeOffset now, CancellationToken ct);
}
