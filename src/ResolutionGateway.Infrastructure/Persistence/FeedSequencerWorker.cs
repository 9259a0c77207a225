using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ResolutionGateway.Core.Events;

namespace ResolutionGateway.Infrastructure.Persistence;

/// <summary>Options of the feed sequencer (configuration section "Feed").</summary>
public sealed class FeedOptions
{
    /// <summary>
    /// How long a pass waits after the first commit that woke it, so the commits of that moment
    /// share one pass (one transaction) instead of one each. A WatchDisputes stream sees an event
    /// about this much later; a WatchDispute stream and the caller do not wait for it.
    /// </summary>
    public TimeSpan GatherDelay { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>
    /// A pass runs at least this often even when no commit is announced (lost notifications, Redis
    /// down, a node that died between its commit and its announcement).
    /// </summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Runs <see cref="FeedSequencer"/> passes on this node: woken by the announcement of every commit
/// (on any node, through the event hub), and every <see cref="FeedOptions.SweepInterval"/>.
/// Every node runs one; they take turns on the counter locks.
/// </summary>
public sealed class FeedSequencerWorker(FeedSequencer sequencer, IEventHub hub, IOptions<FeedOptions> feedOptions, ILogger<FeedSequencerWorker> logger)
    : BackgroundService
{
    private readonly FeedOptions options = feedOptions.Value;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = hub.Subscribe(null);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await WaitForWorkAsync(subscription, stoppingToken);
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

    // Returns when a commit was announced (then after the gather delay) or the sweep interval passed.
    private async Task WaitForWorkAsync(IEventSubscription subscription, CancellationToken ct)
    {
        using var sweep = CancellationTokenSource.CreateLinkedTokenSource(ct);
        sweep.CancelAfter(options.SweepInterval);
        try
        {
            while (true)
            {
                var woken = false;
                while (subscription.Reader.TryRead(out var entry))
                {
                    // Position 0: committed, not positioned. Entries this sequencer announced have one.
                    woken |= entry.Position == 0;
                }
                if (woken)
                {
                    break;
                }
                await subscription.Reader.WaitToReadAsync(sweep.Token);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return; // the sweep
        }
        if (options.GatherDelay > TimeSpan.Zero)
        {
            await Task.Delay(options.GatherDelay, ct);
        }
        // What arrived during the delay is covered by the pass about to run.
        while (subscription.Reader.TryRead(out _))
        {
        }
    }
}
