using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ResolutionGateway.Core.Errors;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Core.UseCases;
using ResolutionGateway.Infrastructure.Telemetry;

namespace ResolutionGateway.Quotas;

/// <summary>
/// Admits each authenticated call within its key's quota: the key's override (SetKeyQuota) or its
/// role's defaults (Quotas:Roles:&lt;role&gt;). Admin keys and health checks (no key) are never
/// limited. Quotas never fail a call for their own reasons: a store that cannot be read means the
/// role's defaults, a Redis that cannot be reached means counting on this node.
/// </summary>
public sealed class QuotaGate
{
    private readonly IQuotaLimiter _limiter;
    private readonly IQuotaStore _store;
    private readonly IOptionsMonitor<QuotaOptions> _options;
    private readonly TimeProvider _time;
    private readonly GatewayMetrics _metrics;
    private readonly ConcurrentDictionary<string, (KeyQuota? Quota, long ReadAt)> _overrides = new(StringComparer.Ordinal);

    /// <summary>Creates the gate; overrides set on this node drop its cached copy at once.</summary>
    public QuotaGate(IQuotaLimiter limiter, IQuotaStore store, QuotaCommands commands, IOptionsMonitor<QuotaOptions> options, TimeProvider time,
        GatewayMetrics metrics)
    {
        _limiter = limiter;
        _store = store;
        _options = options;
        _time = time;
        _metrics = metrics;
        commands.Changed += keyId => _overrides.TryRemove(keyId, out _);
    }

    /// <summary>
    /// Takes one request from the caller's quota and, for a stream, one stream slot (dispose the
    /// returned lease when the stream ends); throws <see cref="QuotaExceededException"/> over quota.
    /// </summary>
    public async ValueTask<IDisposable?> EnterAsync(Principal p, bool stream, CancellationToken ct)
    {
        var options = _options.CurrentValue;
        if (!options.Enabled || p.Role == CredentialRole.Admin || await LimitsAsync(p, options, ct) is not { } limits)
        {
            return null;
        }
        var decision = await _limiter.TryAcquireRequestAsync(p.KeyId, limits, ct);
        if (!decision.Allowed)
        {
            Reject(p, $"more than {limits.RequestsPerSecond:0.###} calls per second (burst {limits.Burst}) for this key", decision.RetryAfter);
        }
        if (!stream)
        {
            return null;
        }
        return await _limiter.TryAcquireStreamAsync(p.KeyId, limits, ct)
            ?? Reject(p, $"more than {limits.Streams} open streams for this key", TimeSpan.FromSeconds(1));
    }

    // The one place an over-quota call is refused, and counted (rg_quota_rejections_total{role}).
    private IDisposable Reject(Principal p, string description, TimeSpan retryAfter)
    {
        _metrics.QuotaRejected(p.Role.ToString().ToLowerInvariant());
        throw new QuotaExceededException("key:" + p.KeyId, description, retryAfter < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : retryAfter);
    }

    private async ValueTask<QuotaLimits?> LimitsAsync(Principal p, QuotaOptions options, CancellationToken ct)
    {
        var now = _time.GetTimestamp();
        if (!_overrides.TryGetValue(p.KeyId, out var cached) || _time.GetElapsedTime(cached.ReadAt, now) > options.OverrideRefresh)
        {
            try
            {
                cached = (await _store.GetAsync(p.KeyId, ct), now);
                _overrides[p.KeyId] = cached;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The store is down: keep the last override read (or the role's defaults) until the next refresh.
                _overrides[p.KeyId] = cached = (cached.Quota, now);
            }
        }
        if (cached.Quota is { } quota)
        {
            return quota.Limits;
        }
        return options.Roles.TryGetValue(p.Role.ToString(), out var role) && role.RequestsPerSecond > 0
            ? new QuotaLimits(role.RequestsPerSecond, Math.Max(1, role.Burst), role.Streams)
            : null;
    }
}
