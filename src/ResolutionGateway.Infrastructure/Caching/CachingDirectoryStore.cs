using ResolutionGateway.Core.Directory;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Infrastructure.Telemetry;

namespace ResolutionGateway.Infrastructure.Caching;

/// <summary>
/// Serves <see cref="IDirectoryStore.GetMerchantAsync"/> and <see cref="IDirectoryStore.GetStoreAsync"/>
/// from memory for a TTL (OpenDispute reads both on every call); everything else goes to the inner
/// store unchanged (API keys have their own cache in the Authenticator). "Not found" is not cached,
/// so a merchant enrolled on another node is found at once; a change made on another node is seen
/// within the TTL, one made through this node at once (its upsert evicts the entry).
/// </summary>
public sealed class CachingDirectoryStore : IDirectoryStore
{
    /// <summary>Counts hits and misses (rg_cache_requests_total); null counts nothing.</summary>
    public GatewayMetrics? Metrics { get; init; }

    private readonly IDirectoryStore _inner;
    private readonly TimeProvider _time;
    private readonly long _ttl;
    private readonly BoundedMap<string, Entry<MerchantRecord>> _merchants;
    private readonly BoundedMap<(string MerchantId, string StoreId), Entry<StoreRecord>> _stores;
    // Bumped after every upsert through this node: a read that began before it may have read the old
    // row, and does not keep it.
    private long _generation;

    /// <summary>
    /// <paramref name="capacity"/> applies to merchants and to stores separately. <paramref name="time"/>
    /// drives expiry; production passes <see cref="TimeProvider.System"/> (see DependencyInjection).
    /// </summary>
    public CachingDirectoryStore(IDirectoryStore inner, TimeSpan ttl, int capacity, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _inner = inner;
        _time = time;
        _ttl = (long)Math.Min(ttl.TotalSeconds * time.TimestampFrequency, long.MaxValue / 4);
        _merchants = new(capacity, e => !Fresh(e));
        _stores = new(capacity, e => !Fresh(e));
    }

    /// <inheritdoc />
    public Task<MerchantRecord?> GetMerchantAsync(string merchantId, CancellationToken ct) =>
        GetAsync(_merchants, "merchant", merchantId, (s, t) => s.GetMerchantAsync(merchantId, t), ct);

    /// <inheritdoc />
    public Task<StoreRecord?> GetStoreAsync(string merchantId, string storeId, CancellationToken ct) =>
        GetAsync(_stores, "store", (merchantId, storeId), (s, t) => s.GetStoreAsync(merchantId, storeId, t), ct);

    /// <inheritdoc />
    public async Task<MerchantRecord> UpsertMerchantAsync(string merchantId, string displayName, DateTimeOffset now, CancellationToken ct)
    {
        var stored = await _inner.UpsertMerchantAsync(merchantId, displayName, now, ct);
        Interlocked.Increment(ref _generation);
        _merchants.Remove(merchantId);
        return stored;
    }

    /// <inheritdoc />
    public async Task<StoreRecord> UpsertStoreAsync(StoreRecord store, DateTimeOffset now, CancellationToken ct)
    {
        var stored = await _inner.UpsertStoreAsync(store, now, ct);
        Interlocked.Increment(ref _generation);
        _stores.Remove((store.MerchantId, store.StoreId));
        return stored;
    }

    /// <inheritdoc />
    public Task<ChannelRecord> UpsertChannelAsync(string channelId, string displayName, DateTimeOffset now, CancellationToken ct) =>
        _inner.UpsertChannelAsync(channelId, displayName, now, ct);

    /// <inheritdoc />
    public Task<ChannelRecord?> GetChannelAsync(string channelId, CancellationToken ct) => _inner.GetChannelAsync(channelId, ct);

    /// <inheritdoc />
    public Task InsertApiKeyAsync(ApiKeyRecord key, CancellationToken ct) => _inner.InsertApiKeyAsync(key, ct);

    /// <inheritdoc />
    public Task<ApiKeyRecord?> GetApiKeyAsync(string keyId, CancellationToken ct) => _inner.GetApiKeyAsync(keyId, ct);

    /// <inheritdoc />
    public Task<ApiKeyRecord?> RevokeApiKeyAsync(string keyId, DateTimeOffset now, CancellationToken ct) =>
        _inner.RevokeApiKeyAsync(keyId, now, ct);

    /// <inheritdoc />
    public Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(bool includeRevoked, CancellationToken ct) =>
        _inner.ListApiKeysAsync(includeRevoked, ct);

    /// <inheritdoc />
    public Task<bool> HasActiveAdminKeyAsync(CancellationToken ct) => _inner.HasActiveAdminKeyAsync(ct);

    /// <inheritdoc />
    public async Task<MerchantRecord?> SetMerchantEnabledAsync(string merchantId, bool enabled, DateTimeOffset now, CancellationToken ct)
    {
        var stored = await _inner.SetMerchantEnabledAsync(merchantId, enabled, now, ct);
        Interlocked.Increment(ref _generation);
        _merchants.Remove(merchantId);
        return stored;
    }

    /// <inheritdoc />
    public async Task WriteStoresAsync(IReadOnlyList<StoreRecord> stores, DateTimeOffset now, CancellationToken ct)
    {
        await _inner.WriteStoresAsync(stores, now, ct);
        Interlocked.Increment(ref _generation);
        foreach (var s in stores)
        {
            _stores.Remove((s.MerchantId, s.StoreId));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ChannelRecord>> ListChannelsAsync(string afterId, int limit, CancellationToken ct) =>
        _inner.ListChannelsAsync(afterId, limit, ct);

    /// <inheritdoc />
    public Task<IReadOnlyList<MerchantRecord>> ListMerchantsAsync(MerchantFilter filter, string afterId, int limit, CancellationToken ct) =>
        _inner.ListMerchantsAsync(filter, afterId, limit, ct);

    /// <inheritdoc />
    public Task<IReadOnlyList<StoreRecord>> ListStoresAsync(StoreFilter filter, StoreKey? after, int limit, CancellationToken ct) =>
        _inner.ListStoresAsync(filter, after, limit, ct);

    /// <inheritdoc />
    public Task<IReadOnlyList<StoreRecord>> GetStoresAsync(IReadOnlyCollection<StoreKey> keys, CancellationToken ct) => _inner.GetStoresAsync(keys, ct);

    /// <inheritdoc />
    public Task<IReadOnlySet<string>> EnrolledMerchantsAsync(IReadOnlyCollection<string> merchantIds, CancellationToken ct) =>
        _inner.EnrolledMerchantsAsync(merchantIds, ct);

    /// <inheritdoc />
    public Task<StoreImportResult?> GetStoreImportAsync(string keyId, string requestId, CancellationToken ct) =>
        _inner.GetStoreImportAsync(keyId, requestId, ct);

    /// <inheritdoc />
    public Task<StoreImportResult> SaveStoreImportAsync(string keyId, string requestId, StoreImportResult result, DateTimeOffset now, CancellationToken ct) =>
        _inner.SaveStoreImportAsync(keyId, requestId, result, now, ct);

    private Task<T?> GetAsync<TKey, T>(BoundedMap<TKey, Entry<T>> map, string cache, TKey key, Func<IDirectoryStore, CancellationToken, Task<T?>> load, CancellationToken ct)
        where TKey : notnull
        where T : class
    {
        if (map.TryGetValue(key, out var entry) && Fresh(entry))
        {
            Metrics?.CacheRequest(cache, hit: true);
            return Task.FromResult<T?>(entry.Value);
        }
        Metrics?.CacheRequest(cache, hit: false);
        return LoadAsync(map, key, load, ct);
    }

    private async Task<T?> LoadAsync<TKey, T>(BoundedMap<TKey, Entry<T>> map, TKey key, Func<IDirectoryStore, CancellationToken, Task<T?>> load, CancellationToken ct)
        where TKey : notnull
        where T : class
    {
        var (since, generation) = (_time.GetTimestamp(), Volatile.Read(ref _generation));
        var value = await load(_inner, ct);
        if (value is null)
        {
            return null;
        }
        var entry = new Entry<T>(value, since);
        while (!map.TryAdd(key, entry, out var full))
        {
            if (full)
            {
                return value;
            }
            if (map.TryGetValue(key, out var old) && map.TryUpdate(key, entry, old))
            {
                break;
            }
        }
        // An upsert through this node finished meanwhile: what was read may be the old row.
        if (Volatile.Read(ref _generation) != generation)
        {
            map.TryRemove(key, entry);
        }
        return value;
    }

    private bool Fresh<T>(Entry<T> entry) => _time.GetTimestamp() - entry.Since < _ttl;

    // Since: when the read that produced the value began; the value is reused for a TTL from then.
    private sealed class Entry<T>(T value, long since)
    {
        public T Value { get; } = value;

        public long Since { get; } = since;
    }
}
