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
}
