using System.Diagnostics;
using Microsoft.Extensions.Options;
using ResolutionGateway.Core.UseCases;
using ResolutionGateway.Infrastructure.Telemetry;

namespace ResolutionGateway.Hosting;

/// <summary>Fires due deadline timers on this node (see <see cref="DeadlineEnforcer"/>).</summary>
internal sealed partial class DeadlineWorker(DeadlineEnforcer enforcer, IOptions<DeadlineOptions> options, ILogger<DeadlineWorker> logger) : BackgroundService
{
    private readonly DeadlineOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enforce)
        {
            return;
        }
        // Wall-clock cadence (the business time inside comes from the injected TimeProvider).
        using var timer = new PeriodicTimer(_options.PollInterval, TimeProvider.System);
        do
        {
            try
            {
                // A full batch means more may be due: go on without waiting. Each pass is a trace of its own.
                int fired;
                do
                {
                    using var activity = GatewayMetrics.Source.StartActivity("deadline pass", ActivityKind.Internal);
                    fired = await enforcer.RunDueAsync(_options.BatchSize, stoppingToken);
                    activity?.SetTag("rg.deadlines.changed", fired);
                }
                while (fired == _options.BatchSize);
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
