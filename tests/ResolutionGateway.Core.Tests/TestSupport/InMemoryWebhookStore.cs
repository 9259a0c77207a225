using ResolutionGateway.Core.Storage;
using ResolutionGateway.Core.Webhooks;

namespace ResolutionGateway.Core.Tests.TestSupport;

/// <summary>
/// An <see cref="IWebhookStore"/> in memory: endpoints and deliveries, enough for the operator use
/// cases. The dispatcher's claim and completion are not modelled (they are the database's job).
/// </summary>
internal sealed class InMemoryWebhookStore : IWebhookStore
{
    private readonly Dictionary<string, WebhookEndpoint> _endpoints = new(StringComparer.Ordinal);
    private readonly List<WebhookDelivery> _deliveries = [];

    public IReadOnlyDictionary<string, WebhookEndpoint> Endpoints => _endpoints;

    /// <summary>The last "after" key the use case asked deliveries for.</summary>
    public (string DisputeId, long Seq)? LastAfter { get; private set; }

    /// <summary>The last limit the use case asked deliveries for.</summary>
    public int LastLimit { get; private set; }

    /// <summary>The last redelivery asked for.</summary>
    public (string EndpointId, string? DisputeId, long? Seq)? LastRedeliver { get; private set; }

    public void AddDelivery(WebhookDelivery delivery) => _deliveries.Add(delivery);

    public Task InsertEndpointAsync(WebhookEndpoint endpoint, CancellationToken ct)
    {
        if (!_endpoints.TryAdd(endpoint.EndpointId, endpoint))
        {
            throw new InvalidOperationException($"duplicate endpoint {endpoint.EndpointId}");
        }
        return Task.CompletedTask;
    }

    public Task<WebhookEndpoint?> GetEndpointAsync(string endpointId, CancellationToken ct) =>
        Task.FromResult(_endpoints.GetValueOrDefault(endpointId));

    public Task<IReadOnlyList<WebhookEndpoint>> ListEndpointsAsync(WebhookOwnerKind? kind, string? ownerId, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<WebhookEndpoint>>(
        [
            .. _endpoints.Values
                .Where(e => (kind is null || e.OwnerKind == kind) && (ownerId is null || e.OwnerId == ownerId))
                .OrderBy(e => e.CreatedAt)
                .ThenBy(e => e.EndpointId, StringComparer.Ordinal),
        ]);

    public Task<long> UpdateEndpointAsync(WebhookEndpoint endpoint, CancellationToken ct)
    {
        if (!_endpoints.ContainsKey(endpoint.EndpointId))
        {
            throw new InvalidOperationException($"unknown endpoint {endpoint.EndpointId}");
        }
        _endpoints[endpoint.EndpointId] = endpoint;
        return Task.FromResult(endpoint.Enabled ? 0L : DeadLetterPending(endpoint.EndpointId, "endpoint disabled"));
    }

    public Task<long?> DeleteEndpointAsync(string endpointId, DateTimeOffset now, CancellationToken ct)
    {
        if (!_endpoints.Remove(endpointId))
        {
            return Task.FromResult<long?>(null);
        }
        return Task.FromResult<long?>(DeadLetterPending(endpointId, "endpoint deleted"));
    }

    public Task<IReadOnlyList<string>> FindDueEndpointsAsync(DateTimeOffset now, int limit, CancellationToken ct) =>
        throw new NotSupportedException("not used by the operator use cases");

    public Task<IReadOnlyList<ClaimedDelivery>> ClaimDueAsync(
        string endpointId, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken ct) =>
        throw new NotSupportedException("not used by the operator use cases");

    public Task<bool> CompleteAsync(ClaimedDelivery claimed, DeliveryOutcome outcome, DateTimeOffset now, CancellationToken ct) =>
        throw new NotSupportedException("not used by the operator use cases");

    public Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync(
        string endpointId, WebhookDeliveryStatus? status, string? disputeId, (string DisputeId, long Seq)? after, int limit, CancellationToken ct)
    {
        LastAfter = after;
        LastLimit = limit;
        var rows = _deliveries
            .Where(d => d.EndpointId == endpointId && (status is null || d.Status == status) && (disputeId is null || d.DisputeId == disputeId))
            .Where(d => after is not { } a
                || string.CompareOrdinal(d.DisputeId, a.DisputeId) > 0
                || (d.DisputeId == a.DisputeId && d.Seq > a.Seq))
            .OrderBy(d => d.DisputeId, StringComparer.Ordinal)
            .ThenBy(d => d.Seq)
            .Take(limit);
        return Task.FromResult<IReadOnlyList<WebhookDelivery>>([.. rows]);
    }

    public Task<long> RedeliverAsync(string endpointId, string? disputeId, long? seq, DateTimeOffset now, CancellationToken ct)
    {
        LastRedeliver = (endpointId, disputeId, seq);
        long count = 0;
        for (var i = 0; i < _deliveries.Count; i++)
        {
            var d = _deliveries[i];
            if (d.EndpointId == endpointId && (disputeId is null || d.DisputeId == disputeId) && (seq is null || d.Seq == seq)
                && (d.Status == WebhookDeliveryStatus.DeadLettered || (seq is not null && d.Status == WebhookDeliveryStatus.Delivered)))
            {
                _deliveries[i] = d with { Status = WebhookDeliveryStatus.Pending, NextAttemptAt = now, DeadLetterReason = "" };
                count++;
            }
        }
        return Task.FromResult(count);
    }

    public Task<long> ReleaseAsync(IReadOnlyCollection<ClaimedDelivery> claimed, DateTimeOffset now, CancellationToken ct) =>
        throw new NotSupportedException("not used by the operator use cases");

    private long DeadLetterPending(string endpointId, string reason)
    {
        long count = 0;
        for (var i = 0; i < _deliveries.Count; i++)
        {
            if (_deliveries[i].EndpointId == endpointId && _deliveries[i].Status == WebhookDeliveryStatus.Pending)
            {
                _deliveries[i] = _deliveries[i] with { Status = WebhookDeliveryStatus.DeadLettered, DeadLetterReason = reason };
                count++;
            }
        }
        return count;
    }
}
