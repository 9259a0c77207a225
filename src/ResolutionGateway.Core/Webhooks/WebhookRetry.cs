namespace ResolutionGateway.Core.Webhooks;

/// <summary>
/// The long retry schedule of a delivery: exponential backoff with jitter, from 10 s doubling to at
/// most an hour between attempts, for up to 3 days after the first attempt; then the delivery is
/// dead-lettered. The schedule lives in the database row (next attempt time), not in memory, so it
/// survives restarts and any node can carry it on. Within one attempt, the dispatcher's Polly
/// pipeline adds a timeout and a quick retry of connection failures.
/// </summary>
public static class WebhookRetry
{
    /// <summary>The first retry's nominal delay.</summary>
    public static readonly TimeSpan BaseDelay = TimeSpan.FromSeconds(10);

    /// <summary>The longest nominal delay between attempts.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromHours(1);

    /// <summary>Retries stop this long after the first attempt.</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromDays(3);

    /// <summary>
    /// When to try again after <paramref name="attemptsMade"/> failed attempts (≥ 1), or null to give
    /// up. <paramref name="jitter"/> in [0, 1) spreads retries of many deliveries ("equal jitter":
    /// the delay is between half and all of the nominal one), so a recovered endpoint is not hit by
    /// every queued delivery at once.
    /// </summary>
    public static DateTimeOffset? Next(int attemptsMade, DateTimeOffset firstAttemptAt, DateTimeOffset now, double jitter)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(attemptsMade);
        var exponent = Math.Min(attemptsMade - 1, 20);
        var nominal = Math.Min(BaseDelay.TotalSeconds * Math.Pow(2, exponent), MaxDelay.TotalSeconds);
        var delay = TimeSpan.FromSeconds(nominal * (0.5 + (0.5 * Math.Clamp(jitter, 0, 1))));
        var next = now + delay;
        return next > firstAttemptAt + GiveUpAfter ? null : next;
    }
}
