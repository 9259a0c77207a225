using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ResolutionGateway.Infrastructure.Persistence;

/// <summary>Options of the feed sequencer (configuration section "Feed").</summary>
public sealed class FeedOptions
{
    /// <summary>
    /// How long a pass waits after the first commit that woke it, so the commits of that moment
    /// share one pass (one transaction) instead of one each. A WatchDisputes stream sees an event
    /// about this much later; a WatchDispute stream and the caller do not wait for it. With 2 ms,
    /// half the PostMessage peak ran about one pass per two commits, and the extra transactions
    /// doubled the p99 of the commits themselves on this 2-core machine (tools/loadgen).
    /// </summary>
    public TimeSpan GatherDelay { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// A pass runs at least this often even when this node commits nothing: it positions what a
    /// node that died between its commit and its pass left behind.
    /// </summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Wakes this node's feed sequencer: the dispute repository notifies it after every commit that
/// stored events. Only the committing node's sequencer is woken (the others would only queue on the
/// same counter locks and find the work done); a pass positions what every node committed anyway.
/// </summary>
public sealed class FeedSignal
{
    private readonly Channel<bool> _wakes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    /// <summary>Asks for a pass (several requests before the pass starts make one).</summary>
    public void Notify() => _wakes.Writer.TryWrite(true);

    /// <summary>Waits for a request; true when one came.</summary>
    internal async Task<bool> WaitAsync(CancellationToken ct)
    {
        await _wakes.Reader.ReadAsync(ct);
        return true;
    }

    /// <summary>Forgets requests made so far (the pass about to run covers them).</summary>
    internal void Clear() => _wakes.Reader.TryRead(out _);
}

/// <summary>
/// Runs <see cref="FeedSequencer"/> passes on this node: after every commit of this node that
/// stored events (<see cref="FeedSignal"/>, after <see cref="FeedOptions.GatherDelay"/>), and every
/// <see cref="FeedOptions.SweepInterval"/>. Every node runs one; they take turns on the counter locks.
/// </summary>
public sealed class FeedSequencerWorker(FeedSequencer sequencer, FeedSignal signal, IOptions<FeedOptions> feedOptions, ILogger<FeedSequencerWorker> logger)
    : BackgroundService
{
    private readonly FeedOptions options = feedOptions.Value;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await WaitForWorkAsync(stoppingToken);
                await sequencer.SequenceAllAsync(stoppingToken);
                if (failures > 0)
                {
                    logger.LogInformation("Feed sequencer running again after {Failures} failed passes", failures);
                }
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database is down or busy: commits are safe, only their feed positions wait.
                // One warning per outage, not per pass.
                if (failures++ == 0)
                {
                    logger.LogWarning(e, "Feed sequencer pass failed; retrying every {Interval}", options.SweepInterval);
                }
                await Task.Delay(options.SweepInterval, stoppingToken);
            }
        }
    }

    // Returns when this node committed events (then after the gather delay) or the sweep interval passed.
    private async Task WaitForWorkAsync(CancellationToken ct)
    {
        using var sweep = CancellationTokenSource.CreateLinkedTokenSource(ct);
        sweep.CancelAfter(options.SweepInterval);
        try
        {
            await signal.WaitAsync(sweep.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return; // the sweep
        }
        if (options.GatherDelay > TimeSpan.Zero)
        {
            await Task.Delay(options.GatherDelay, ct);
        }
        // Commits notified during the delay are covered by the pass about to run.
        signal.Clear();
    }
}
