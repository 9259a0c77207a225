using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ResolutionGateway.Infrastructure.Persistence;

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
