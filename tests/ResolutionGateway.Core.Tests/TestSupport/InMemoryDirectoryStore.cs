using System.Collections.Concurrent;
using ResolutionGateway.Core.Directory;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.Storage;

namespace ResolutionGateway.Core.Tests.TestSupport;

/// <summary>An <see cref="IDirectoryStore"/> in memory that counts key lookups (to observe caching).</summary>
internal sealed class InMemoryDirectoryStore : IDirectoryStore
{
    private readonly ConcurrentDictionary<string, ChannelRecord> _channels = new();
    private readonly ConcurrentDictionary<string, MerchantRecord> _merchants = new();
    private readonly ConcurrentDictionary<(string, string), StoreRecord> _stores = new();
    private readonly ConcurrentDictionary<string, ApiKeyRecord> _keys = new();
    private readonly ConcurrentDictionary<(string, string), StoreImportResult> _imports = new();
    private int _keyLookups;

    public int KeyLookups => _keyLookups;

    public Task<ChannelRecord> UpsertChannelAsync(string channelId, string displayName, DateTimeOffset now, CancellationToken ct) =>
        Task.FromResult(_channels.AddOrUpdate(channelId, _ => new ChannelRecord(channelId, displayName, now),
            (_, old) => old with { DisplayName = displayName }));

    public Task<ChannelRecord?> GetChannelAsync(string channelId, CancellationToken ct) =>
        Task.FromResult(_channels.GetValueOrDefault(channelId));

    public Task<MerchantRecord> UpsertMerchantAsync(string merchantId, string displayName, DateTimeOffset now, CancellationToken ct) =>
        Task.FromResult(_merchants.AddOrUpdate(merchantId, _ => new MerchantRecord(merchantId, displayName, now),
            (_, old) => old with { DisplayName = displayName }));

    public Task<MerchantRecord?> GetMerchantAsync(string merchantId, CancellationToken ct) =>
        Task.FromResult(_merchants.GetValueOrDefault(merchantId));

    public Task<StoreRecord> UpsertStoreAsync(StoreRecord store, DateTimeOffset now, CancellationToken ct) =>
        Task.FromResult(_stores[(store.MerchantId, store.StoreId)] = store);

    public Task<StoreRecord?> GetStoreAsync(string merchantId, string storeId, CancellationToken ct) =>
        Task.FromResult(_stores.GetValueOrDefault((merchantId, storeId)));

    public Task InsertApiKeyAsync(ApiKeyRecord key, CancellationToken ct)
    {
        if (!_keys.TryAdd(key.KeyId, key))
        {
            throw new InvalidOperationException($"duplicate key {key.KeyId}");
        }
        return Task.CompletedTask;
    }

    public Task<ApiKeyRecord?> GetApiKeyAsync(string keyId, CancellationToken ct)
    {
        Interlocked.Increment(ref _keyLookups);
        return Task.FromResult(_keys.GetValueOrDefault(keyId));
    }

    public Task<ApiKeyRecord?> RevokeApiKeyAsync(string keyId, DateTimeOffset now, CancellationToken ct)
    {
        if (!_keys.TryGetValue(keyId, out var key))
        {
            return Task.FromResult<ApiKeyRecord?>(null);
        }
        var revoked = key.RevokedAt is null ? key with { RevokedAt = now } : key;
        _keys[keyId] = revoked;
        return Task.FromResult<ApiKeyRecord?>(revoked);
    }

    public Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(bool includeRevoked, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<ApiKeyRecord>>(
            [.. _keys.Values.Where(k => includeRevoked || k.RevokedAt is null).OrderBy(k => k.CreatedAt).ThenBy(k => k.KeyId, StringComparer.Ordinal)]);

    public Task<bool> HasActiveAdminKeyAsync(CancellationToken ct) =>
        Task.FromResult(_keys.Values.Any(k => k.Role == CredentialRole.Admin && k.RevokedAt is null));
    public Task<MerchantRecord?> SetMerchantEnabledAsync(string merchantId, bool enabled, DateTimeOffset now, CancellationToken ct) =>
        Task.FromResult(_merchants.TryGetValue(merchantId, out var m) ? _merchants[merchantId] = m with { Enabled = enabled } : null);

    public Task<IReadOnlyList<ChannelRecord>> ListChannelsAsync(string afterId, int limit, CancellationToken ct) => throw new NotSupportedException();

    public Task<IReadOnlyList<MerchantRecord>> ListMerchantsAsync(MerchantFilter filter, string afterId, int limit, CancellationToken ct) => throw new NotSupportedException();

    public Task<IReadOnlyList<StoreRecord>> ListStoresAsync(StoreFilter filter, StoreKey? after, int limit, CancellationToken ct) => throw new NotSupportedException();

    public Task<IReadOnlyList<StoreRecord>> GetStoresAsync(IReadOnlyCollection<StoreKey> keys, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<StoreRecord>>([.. keys.Select(k => _stores.GetValueOrDefault((k.MerchantId, k.StoreId))).OfType<StoreRecord>()]);

    public Task<IReadOnlySet<string>> EnrolledMerchantsAsync(IReadOnlyCollection<string> merchantIds, CancellationToken ct) =>
        Task.FromResult<IReadOnlySet<string>>(merchantIds.Where(_merchants.ContainsKey).ToHashSet());

    public Task WriteStoresAsync(IReadOnlyList<StoreRecord> stores, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var s in stores)
        {
            _stores[(s.MerchantId, s.StoreId)] = s;
        }
        return Task.CompletedTask;
    }

    public Task<StoreImportResult?> GetStoreImportAsync(string keyId, string requestId, CancellationToken ct) =>
        Task.FromResult(_imports.GetValueOrDefault((keyId, requestId)));

    public Task<StoreImportResult> SaveStoreImportAsync(string keyId, string requestId, StoreImportResult result, DateTimeOffset now, CancellationToken ct) =>
        Task.FromResult(_imports.GetOrAdd((keyId, requestId), result));
}
