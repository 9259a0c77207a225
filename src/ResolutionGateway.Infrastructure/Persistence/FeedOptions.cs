namespace ResolutionGateway.Infrastructure.Persistence;

/// <summary>Options of the feed sequencer (configuration section "Feed").</summary>
public sealed class FeedOptions
{
    /// <summary>
    /// How long a pass waits after the first commit that woke it, so the commits of that moment
    /// share one pass (one transaction) instead of one each. A WatchDisputes stream sees an event
    /// about this much later; a WatchDispute stream and the caller do not wait for it. The first
    /// version gathered 2 ms (and every node ran a pass on every commit): in the paired runs of
    /// BENCHMARKS.md its PostMessage p99 at half load was the worst of all.
    /// </summary>
    public TimeSpan GatherDelay { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// A pass runs at least this often even when this node commits nothing: it positions what a
    /// node that died between its commit and its pass left behind.
    /// </summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(1);
}
