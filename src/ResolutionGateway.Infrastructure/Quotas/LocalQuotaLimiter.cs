using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using ResolutionGateway.Core.Security;

namespace ResolutionGateway.Infrastructure.Quotas;

/// <summary>
/// Quotas counted in this node's memory (System.Threading.RateLimiting): the limiter of a single
/// node, and the fallback of <see cref="Redis.RedisQuotaLimiter"/> while Redis is down (each node
/// then allows a key its whole quota).
/// </summary>
public sealed class LocalQuotaLimiter : IQuotaLimiter, IDisposable
{
    private readonly ConcurrentDictionary<string, Entry> _keys = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<QuotaDecision> TryAcquireRequestAsync(string keyId, QuotaLimits limits, CancellationToken ct)
    {
        var entry = For(keyId, limits);
        using var lease = entry.Rate.AttemptAcquire();
        if (lease.IsAcquired)
        {
            return ValueTask.FromResult(QuotaDecision.Allow);
        }
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : entry.Period;
        return ValueTask.FromResult(new QuotaDecision(false, retryAfter));
    }

    /// <inheritdoc />
    public ValueTask<IDisposable?> TryAcquireStreamAsync(string keyId, QuotaLimits limits, CancellationToken ct)
    {
        var entry = For(keyId, limits);
        if (entry.Streams is null)
        {
            return ValueTask.FromResult<IDisposable?>(null);
        }
        var lease = entry.Streams.AttemptAcquire();
        if (lease.IsAcquired)
        {
            return ValueTask.FromResult<IDisposable?>(lease);
        }
        lease.Dispose();
        return ValueTask.FromResult<IDisposable?>(null);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var entry in _keys.Values)
        {
            entry.Dispose();
        }
    }

    // A key's limiters, made again when its limits change (streams open on the old ones end there).
    private Entry For(string keyId, QuotaLimits limits)
    {
        while (true)
        {
            if (_keys.TryGetValue(keyId, out var entry))
            {
                if (entry.Limits == limits)
                {
                    return entry;
                }
                var replacement = new Entry(limits);
                if (_keys.TryUpdate(keyId, replacement, entry))
                {
                    entry.Dispose();
                    return replacement;
                }
                replacement.Dispose();
                continue;
            }
            var created = new Entry(limits);
            if (_keys.TryAdd(keyId, created))
            {
                return created;
            }
            created.Dispose();
        }
    }

    private sealed class Entry : IDisposable
    {
        public Entry(QuotaLimits limits)
        {
            Limits = limits;
            // About ten refills a second: whole tokens per period, exact on average.
            var tokens = Math.Max(1, (int)Math.Round(limits.RequestsPerSecond / 10));
            Period = TimeSpan.FromSeconds(tokens / limits.RequestsPerSecond);
            Rate = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = Math.Max(1, limits.Burst),
                TokensPerPeriod = tokens,
                ReplenishmentPeriod = Period,
                AutoReplenishment = true,
                QueueLimit = 0,
            });
            Streams = limits.Streams > 0
                ? new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = limits.Streams, QueueLimit = 0 })
                : null;
        }

        public QuotaLimits Limits { get; }

        public TimeSpan Period { get; }

        public TokenBucketRateLimiter Rate { get; }

        public ConcurrencyLimiter? Streams { get; }

        public void Dispose()
        {
            Rate.Dispose();
            Streams?.Dispose();
        }
    }
}
