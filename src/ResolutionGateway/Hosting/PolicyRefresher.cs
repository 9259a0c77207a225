using Microsoft.Extensions.Options;
using ResolutionGateway.Core.Policies;

namespace ResolutionGateway.Hosting;

/// <summary>Reloads API-set policies and calendars, so changes made on other nodes apply here within the interval.</summary>
internal sealed partial class PolicyRefresher(PolicyCatalog catalog, IOptions<PolicyOptions> options, ILogger<PolicyRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RefreshInterval, TimeProvider.System);
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
