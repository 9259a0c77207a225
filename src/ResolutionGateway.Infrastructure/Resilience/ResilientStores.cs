using ResolutionGateway.Core.Directory;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Storage;

namespace ResolutionGateway.Infrastructure.Resilience;

/// <summary>An <see cref="IDisputeStore"/> whose every operation runs through <see cref="StorageResilience"/>.</summary>
public sealed class ResilientDisputeStore(IDisputeStore inner, StorageResilience r) : IDisputeStore
{
    /// <inheritdoc />
    public Task<IdempotencyRecord?> FindRequestAsync(string partyKey, string requestId, CancellationToken ct) =>
        r.RunAsync(t => inner.FindRequestAsync(partyKey, requestId, t), ct);

    /// <inheritdoc />
    public Task<CreateResult> CreateAsync(DisputeChange change, IdempotencyRecord request, CancellationToken ct) =>
        r.RunAsync(t => inner.CreateAsync(change, request, t), ct);

    /// <inheritdoc />
    public Task<MutateResult?> MutateAsync(string disputeId, IdempotencyRecord request, Func<Dispute, DisputeChange> decide, CancellationToken ct) =>
        r.RunAsync(t => inner.MutateAsync(disputeId, request, decide, t), ct);

    /// <inheritdoc />
    public Task<Dispute?> GetAsync(string disputeId, CancellationToken ct) => r.RunAsync(t => inner.GetAsync(disputeId, t), ct);

    /// <inheritdoc />
    public Task<IReadOnlyList<DisputeEvent>> ReadEventsAsync(string disputeId, long afterSeq, int limit, CancellationToken ct) =>
        r.RunAsync(t => inner.ReadEventsAsync(disputeId, afterSeq, limit, t), ct);

    /// <inheritdoc />
    public Task<IReadOnlyList<Dispute>> ListAsync(DisputeQuery query, CancellationToken ct) => r.RunAsync(t => inner.ListAsync(query, t), ct);

    /// <inheritdoc />
    public Task<FeedPage> ReadFeedAsync(int partition, long afterPosition, VisibilityScope scope, int limit, CancellationToken ct) =>
        r.RunAsync(t => inner.ReadFeedAsync(partition, afterPosition, scope, limit, t), ct);

    /// <inheritdoc />
    public Task<long[]> ReadFeedHeadAsync(CancellationToken ct) => r.RunAsync(inner.ReadFeedHeadAsync, ct);
}

/// <summary>An <see cref="IDirectoryStore"/> whose every operation runs through <see cref="StorageResilience"/>.</summary>
public sealed class ResilientDirectoryStore(IDirectoryStore inner, StorageResilience r) : IDirectoryStore
{
    /// <inheritdoc />
    public Task<ChannelRecord> UpsertChannelAsync(string channelId, string displayName, DateTimeOffset now, CancellationToken ct) =>
        r.RunAsync(t => inner.UpsertChannelAsync(channelId, displayName, now, t), ct);

    /// <inheritdoc />
    public Task<ChannelRecord?> GetChannelAsync(string channelId, CancellationToken ct) => r.RunAsync(t => inner.GetChannelAsync(channelId, t), ct);

    /// <inheritdoc />
    public Task<MerchantRecord> UpsertMerchantAsync(string merchantId, string displayName, DateTimeOffset now, CancellationToken ct) =>
        r.RunAsync(t => inner.UpsertMerchantAsync(merchantId, displayName, now, t), ct);

    /// <inheritdoc />
    public Task<MerchantRecord?> GetMerchantAsync(string merchantId, CancellationToken ct) => r.RunAsync(t => inner.GetMerchantAsync(merchantId, t), ct);

    /// <inheritdoc />
    public Task<StoreRecord> UpsertStoreAsync(StoreRecord store, DateTimeOffset now, CancellationToken ct) =>
        r.RunAsync(t => inner.UpsertStoreAsync(store, now, t), ct);

    /// <inheritdoc />
    public Task<StoreRecord?> GetStoreAsync(string merchantId, string storeId, CancellationToken ct) =>
        r.RunAsync(t => inner.GetStoreAsync(merchantId, storeId, t), ct);

    /// <inheritdoc />
    public Task InsertApiKeyAsync(ApiKeyRecord key, CancellationToken ct) => r.RunAsync(t => inner.InsertApiKeyAsync(key, t), ct);

    /// <inheritdoc />
    public Task<ApiKeyRecord?> GetApiKeyAsync(string keyId, CancellationToken ct) => r.RunAsync(t => inner.GetApiKeyAsync(keyId, t), ct);

    /// <inheritdoc />
    public Task<ApiKeyRecord?> RevokeApiKeyAsync(string keyId, DateTimeOffset now, CancellationToken ct) =>
        r.RunAsync(t => inner.RevokeApiKeyAsync(keyId, now, t), ct);

    /// <inheritdoc />
    public Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(bool includeRevoked, CancellationToken ct) =>
        r.RunAsync(t => inner.ListApiKeysAsync(includeRevoked, t), ct);

    /// <inheritdoc />
    public Task<bool> HasActiveAdminKeyAsync(CancellationToken ct) => r.RunAsync(inner.HasActiveAdminKeyAsync, ct);
}
