using ResolutionGateway.Core.Policies;
using ResolutionGateway.Core.UseCases;

namespace ResolutionGateway.Hosting;

/// <summary>Settings of the deadline worker (configuration section "Deadlines").</summary>
public sealed class DeadlineOptions
{
    /// <summary>Run the worker on this node (every node may: timers are claimed per dispute).</summary>
    public bool Enforce { get; set; } = true;

    /// <summary>How often due timers are looked for; a deadline fires at most this late.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Disputes handled per pass.</summary>
    public int BatchSize { get; set; } = 200;
}

/// <summary>Fires due deadline timers on this node (see <see cref="DeadlineEnforcer"/>).</summary>
internal sealed partial class DeadlineWorker(DeadlineEnforcer enforcer, DeadlineOptions options, ILogger<DeadlineWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enforce)
        {
            return;
        }
        // Wall-clock cadence (the business time inside comes from the injected TimeProvider).
        using var timer = new PeriodicTimer(options.PollInterval, TimeProvider.System);
        do
        {
            try
            {
                // A full batch means more may be due: go on without waiting.
                while (await enforcer.RunDueAsync(options.BatchSize, stoppingToken) == options.BatchSize)
                {
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LogFailed(e);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deadline pass failed; retrying on the next tick")]
    private partial void LogFailed(Exception e);
}

/// <summary>Reloads API-set policies and calendars, so changes made on other nodes apply here within the interval.</summary>
internal sealed partial class PolicyRefresher(PolicyCatalog catalog, IConfiguration config, ILogger<PolicyRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = config.GetValue("Policies:RefreshInterval", TimeSpan.FromSeconds(5));
        using var timer = new PeriodicTimer(interval, TimeProvider.System);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await catalog.RefreshAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The last snapshot stays in force.
                    LogFailed(e);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Policy refresh failed; the previous policies stay in force")]
    private partial void LogFailed(Exception e);
}
