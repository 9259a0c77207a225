namespace ResolutionGateway.Hosting;

/// <summary>
/// Configuration section "Watch": admission control of the database reads of streams that catch up
/// (WatchDispute, WatchDisputes), so that a reconnect storm queues instead of overloading the database
/// (see <see cref="ResolutionGateway.Core.UseCases.ReplayAdmission"/>).
/// </summary>
public sealed class WatchOptions
{
    /// <summary>Section name.</summary>
    public const string SectionName = "Watch";

    /// <summary>Catch-up reads (one page of a replay) running at once on this node; 0 = no limit.</summary>
    public int ConcurrentReplays { get; set; } = 16;

    /// <summary>Streams waiting for a catch-up read at most; one more is refused at once.</summary>
    public int ReplayQueueLimit { get; set; } = 200_000;

    /// <summary>Longest wait for a catch-up read; a stream still waiting is refused (UNAVAILABLE with RetryInfo).</summary>
    public TimeSpan ReplayWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The retry delay a refused stream is given (RetryInfo).</summary>
    public TimeSpan ReplayRetryAfter { get; set; } = TimeSpan.FromSeconds(1);
}
