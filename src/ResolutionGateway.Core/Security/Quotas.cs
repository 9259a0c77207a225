namespace ResolutionGateway.Core.Security;

/// <summary>
/// What one API key may use: a sustained request rate with a burst (a token bucket), and
/// concurrent streams. Counted across nodes through Redis, or per node without it.
/// </summary>
public sealed record QuotaLimits(double RequestsPerSecond, int Burst, int Streams)
{
    /// <summary>Largest rate accepted, calls per second.</summary>
    public const double MaxRequestsPerSecond = 1_000_000;
    /// <summary>Largest burst or stream count accepted.</summary>
    public const int MaxCount = 10_000_000;
}

/// <summary>A key's override of its role's quota, as set through AdminService.SetKeyQuota.</summary>
public sealed record KeyQuota(string KeyId, QuotaLimits Limits, DateTimeOffset UpdatedAt);

/// <summary>The answer of a quota check: allowed, or when to try again.</summary>
public readonly record struct QuotaDecision(bool Allowed, TimeSpan RetryAfter)
{
    /// <summary>Allowed.</summary>
    public static QuotaDecision Allow => new(true, TimeSpan.Zero);
}

/// <summary>
/// Counts requests and streams per key. Implementations never fail a call because their shared
/// counter (Redis) is down: they fall back to counting on this node.
/// </summary>
public interface IQuotaLimiter
{
    /// <summary>Takes one request from the key's bucket.</summary>
    ValueTask<QuotaDecision> TryAcquireRequestAsync(string keyId, QuotaLimits limits, CancellationToken ct);

    /// <summary>Takes one stream slot; null when the key has all its streams open. Dispose the lease when the stream ends.</summary>
    ValueTask<IDisposable?> TryAcquireStreamAsync(string keyId, QuotaLimits limits, CancellationToken ct);
}
