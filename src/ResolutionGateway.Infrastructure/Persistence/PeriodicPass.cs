namespace ResolutionGateway.Infrastructure.Persistence;

/// <summary>
/// The loop of a background worker that runs one pass at start, then one per interval (wall clock),
/// until the host stops: a failed pass is reported and the next one runs on time.
/// </summary>
public static class PeriodicPass
{
    /// <summary>Runs <paramref name="pass"/> now and every <paramref name="interval"/>; <paramref name="failed"/> gets each pass's error.</summary>
    public static async Task RunAsync(TimeSpan interval, Func<CancellationToken, Task> pass, Action<Exception> failed, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, TimeProvider.System);
        do
        {
            try
            {
                await pass(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                failed(e);
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
}
