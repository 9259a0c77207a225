using System.Diagnostics;
using Grpc.Core;

namespace ResolutionGateway.Tools.Chaos.Load;

/// <summary>
/// One client call retried until it is answered: every attempt sends the same request (so the same
/// request id), and the service answers a repeat with the first answer, so a retry never writes
/// twice. Only statuses a failover produces are retried; anything else is a real error.
/// </summary>
public static class Calls
{
    public static readonly TimeSpan AttemptDeadline = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(90);

    /// <summary>The answer and how long it took from the first attempt (milliseconds).</summary>
    public static async Task<(T Answer, double Ms)> UntilAnsweredAsync<T>(Func<DateTime, AsyncUnaryCall<T>> call, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                var answer = await call(DateTime.UtcNow + AttemptDeadline).ResponseAsync.WaitAsync(ct);
                return (answer, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            catch (RpcException e) when (Retryable(e.StatusCode) && Stopwatch.GetElapsedTime(started) < GiveUpAfter && !ct.IsCancellationRequested)
            {
                await Task.Delay(100, ct);
            }
        }
    }

    /// <summary>The statuses a dead, frozen or restarting node (or the balancer in front of it) gives.</summary>
    public static bool Retryable(StatusCode code) => code is StatusCode.Unavailable or StatusCode.DeadlineExceeded
        or StatusCode.Internal or StatusCode.Unknown or StatusCode.Cancelled or StatusCode.ResourceExhausted or StatusCode.Aborted;
}
