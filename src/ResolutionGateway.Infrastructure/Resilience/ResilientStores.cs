using ResolutionGateway.Core.Directory;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Policies;
using Reporting = ResolutionGateway.Core.Reporting;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Core.Webhooks;

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

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> FindDueTimersAsync(DateTimeOffset now, int limit, CancellationToken ct) =>
        r.RunAsync(t => inner.FindDueTimersAsync(now, limit, t), ct);

    /// <inheritdoc />
    public Task<TimerResult?> FireTimerAsync(string disputeId, DateTimeOffset now, Func<Dispute, DisputeChange?> decide, CancellationToken ct) =>
        // Safe to retry: a retry after a lost commit acknowledgement finds the timer no longer due.
        r.RunAsync(t => inner.FireTimerAsync(disputeId, now, decide, t), ct);
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

/// <summary>An <see cref="IPolicyStore"/> whose every operation runs through <see cref="StorageResilience"/>.</summary>
public sealed class ResilientPolicyStore(IPolicyStore inner, StorageResilience r) : IPolicyStore
{
    /// <inheritdoc />
    public Task<IReadOnlyList<RegionPolicy>> ListPoliciesAsync(CancellationToken ct) => r.RunAsync(inner.ListPoliciesAsync, ct);

    /// <inheritdoc />
    public Task UpsertPolicyAsync(RegionPolicy policy, CancellationToken ct) => r.RunAsync(t => inner.UpsertPolicyAsync(policy, t), ct);

    /// <inheritdoc />
    public Task<bool> DeletePolicyAsync(string regionPrefix, CancellationToken ct) => r.RunAsync(t => inner.DeletePolicyAsync(regionPrefix, t), ct);

    /// <inheritdoc />
    public Task<IReadOnlyList<WorkingCalendar>> ListCalendarsAsync(CancellationToken ct) => r.RunAsync(inner.ListCalendarsAsync, ct);

    /// <inheritdoc />
    public Task UpsertCalendarAsync(WorkingCalendar calendar, CancellationToken ct) => r.RunAsync(t => inner.UpsertCalendarAsync(calendar, t), ct);
}

/// <summary>An <see cref="IWebhookStore"/> whose every operation runs through <see cref="StorageResilience"/>.</summary>
public sealed class ResilientWebhookStore(IWebhookStore inner, StorageResilience r) : IWebhookStore
{
    /// <inheritdoc />
    public Task InsertEndpointAsync(WebhookEndpoint endpoint, CancellationToken ct) => r.RunAsync(t => inner.InsertEndpointAsync(endpoint, t), ct);

    /// <inheritdoc />
    public Task<WebhookEndpoint?> GetEndpointAsync(string endpointId, CancellationToken ct) => r.RunAsync(t => inner.GetEndpointAsync(endpointId, t), ct);

    /// <inheritdoc />
    public Task<IReadOnlyList<WebhookEndpoint>> ListEndpointsAsync(WebhookOwnerKind? kind, string? ownerId, CancellationToken ct) =>
        r.RunAsync(t => inner.ListEndpointsAsync(kind, ownerId, t), ct);

    /// <inheritdoc />
    public Task<long> UpdateEndpointAsync(WebhookEndpoint endpoint, CancellationToken ct) => r.RunAsync(t => inner.UpdateEndpointAsync(endpoint, t), ct);

    /// <inheritdoc />
    public Task<long?> DeleteEndpointAsync(string endpointId, DateTimeOffset now, CancellationToken ct) =>
        r.RunAsync(t => inner.DeleteEndpointAsync(endpointId, now, t), ct);

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> FindDueEndpointsAsync(DateTimeOffset now, int limit, CancellationToken ct) =>
        r.RunAsync(t => inner.FindDueEndpointsAsync(now, limit, t), ct);

    /// <inheritdoc />
    public Task<IReadOnlyList<ClaimedDelivery>> ClaimDueAsync(string endpointId, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken ct) =>
        // A retry after a lost COMMIT acknowledgement leaves the first claim's rows leased: they
        // are delivered when the lease runs out, late but not lost.
        r.RunAsync(t => inner.ClaimDueAsync(endpointId, now, leaseUntil, limit, t), ct);

    /// <inheritdoc />
    public Task<bool> CompleteAsync(ClaimedDelivery claimed, DeliveryOutcome outcome, DateTimeOffset now, CancellationToken ct) =>
        r.RunAsync(t => inner.CompleteAsync(claimed, outcome, now, t), ct);

    /// <inheritdoc />
    public Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync(string endpointId, WebhookDeliveryStatus? status, string? disputeId,
        (string DisputeId, long Seq)? after, int limit, CancellationToken ct) =>
        r.RunAsync(t => inner.ListDeliveriesAsync(endpointId, status, disputeId, after, limit, t), ct);

    /// <inheritdoc />
    public Task<long> RedeliverAsync(string endpointId, string? disputeId, long? seq, DateTimeOffset now, CancellationToken ct) =>
        r.RunAsync(t => inner.RedeliverAsync(endpointId, disputeId, seq, now, t), ct);
}

/// <summary>An <see cref="IReportingStore"/> whose every operation runs through <see cref="StorageResilience"/>.</summary>
public sealed class ResilientReportingStore(IReportingStore inner, StorageResilience r) : IReportingStore
{
    /// <inheritdoc />
    public Task<IReadOnlyList<Reporting.MeasureRow>> SumRollupsAsync(Reporting.RollupSelection selection, CancellationToken ct) =>
        r.RunAsync(t => inner.SumRollupsAsync(selection, t), ct);

    /// <inheritdoc />
    public Task<IReadOnlyList<Reporting.PositionedOutcome>> ReadOutcomesAsync(int partition, long afterPosition, Reporting.OutcomeFilter filter, int limit, CancellationToken ct) =>
        r.RunAsync(t => inner.ReadOutcomesAsync(partition, afterPosition, filter, limit, t), ct);
}
