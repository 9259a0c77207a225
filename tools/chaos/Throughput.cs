using System.Diagnostics;
using ResolutionGateway.Tools.Chaos.Load;
using ResolutionGateway.Tools.LoadGen.Cluster;

namespace ResolutionGateway.Tools.Chaos;

/// <summary>Closed-loop OpenDispute throughput against one gateway (the same on both sides of the ratio).</summary>
public static class Throughput
{
    public const int Concurrency = 16;

    public static async Task<double> OpensPerSecondAsync(string url, string adminKey, int seconds, CancellationToken ct)
    {
        var world = await World.CreateAsync(url, adminKey, ct);
        using var connections = new Connections(url, 4);
        long count = 0;
        // Two seconds of warm-up (connections, JIT, pools) not counted.
        using (var warm = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            warm.CancelAfter(TimeSpan.FromSeconds(2));
            await LoopAsync(connections, world, _ => { }, warm.Token);
        }
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stop.CancelAfter(TimeSpan.FromSeconds(seconds));
        var started = Stopwatch.GetTimestamp();
        await LoopAsync(connections, world, _ => Interlocked.Increment(ref count), stop.Token);
        return count / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private static Task LoopAsync(Connections connections, World world, Action<int> done, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, Concurrency).Select(i => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var open = world.NewOpenRequest();
                try
                {
                    await Calls.UntilAnsweredAsync(d => connections.Disputes(i).OpenDisputeAsync(open, world.ChannelHeaders, d), stop);
                    done(i);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        })));
}
