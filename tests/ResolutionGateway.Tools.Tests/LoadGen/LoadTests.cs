using System.Diagnostics;
using Grpc.Core;
using HdrHistogram;
using Recorder = ResolutionGateway.Tools.LoadGen.Engine.Recorder;
using ResolutionGateway.Tools.LoadGen.Engine;

namespace ResolutionGateway.Tools.Tests.LoadGen;

/// <summary>
/// The load generator's two loops. They run real (short) phases, so the bounds are loose: these
/// check what is counted and when, not how fast anything is.
/// </summary>
public sealed class LoadTests
{
    private static readonly Phase Short = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(500));

    [Fact]
    public async Task ClosedAsync_FourWorkers_NeverMoreThanFourInFlight()
    {
        var inFlight = 0;
        var most = 0;

        var result = await Load.ClosedAsync(4, Short, async (_, ct) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref most, now);
            await Task.Delay(2, ct);
            Interlocked.Decrement(ref inFlight);
        }, CancellationToken.None);

        Assert.Equal(4, most);
        Assert.True(result.Recorder.Ok > 0);
    }

    [Fact]
    public async Task ClosedAsync_WarmupCalls_NotRecorded()
    {
        var calls = 0;

        var result = await Load.ClosedAsync(1, Short, async (_, ct) =>
        {
            Interlocked.Increment(ref calls);
            await Task.Delay(5, ct);
        }, CancellationToken.None);

        // Calls were made during the warm-up too, but only the measured ones count.
        Assert.True(result.Recorder.Ok < calls, $"{result.Recorder.Ok} recorded of {calls} made");
        Assert.Equal(result.Recorder.Ok, result.Recorder.Latency.TotalCount);
    }

    [Fact]
    public async Task ClosedAsync_RpcFailures_CountedByStatusCode()
    {
        var n = 0;

        var result = await Load.ClosedAsync(1, Short, async (_, ct) =>
        {
            await Task.Delay(1, ct);
            if (Interlocked.Increment(ref n) % 2 == 0)
            {
                throw new RpcException(new Status(StatusCode.Unavailable, "down"));
            }
        }, CancellationToken.None);

        Assert.True(result.Recorder.Errors.TryGetValue("Unavailable", out var failures) && failures > 0);
        Assert.True(result.Recorder.Ok > 0);
        Assert.Single(result.Recorder.Errors);
    }

    [Fact]
    public async Task OpenAsync_FixedRate_StartsCallsOnTheSchedule()
    {
        var started = 0;

        var result = await Load.OpenAsync(200, Short, 64, (call, ct) =>
        {
            Interlocked.Increment(ref started);
            return Task.CompletedTask;
        }, CancellationToken.None);

        // 200/s for 0.7 s in all, 0.5 s of it measured: 140 calls, 100 of them recorded.
        Assert.Equal(140, started);
        Assert.Equal(100, result.Recorder.Ok);
    }

    [Fact]
    public async Task OpenAsync_StalledServer_LatencyCountsFromTheScheduledStart()
    {
        // One call in flight at most, and one call stalls 300 ms: the calls scheduled during the
        // stall start late, and that wait is part of their latency (no coordinated omission).
        var stalled = 0;

        var result = await Load.OpenAsync(100, new Phase(TimeSpan.Zero, TimeSpan.FromSeconds(1)), 1, async (call, ct) =>
        {
            if (call.Number == 10 && Interlocked.Exchange(ref stalled, 1) == 0)
            {
                await Task.Delay(300, ct);
            }
        }, CancellationToken.None);

        // About 30 calls were due during the stall; the slowest waited about the whole stall.
        Assert.True(result.Recorder.Latency.GetValueAtPercentile(90) >= 50_000, "p90 should include the wait behind the stall");
        Assert.True(result.Recorder.Latency.GetMaxValue() >= 250_000);
    }

    [Fact]
    public void Success_WhileNotRecording_Ignored()
    {
        var recorder = new Recorder();

        recorder.Success(Stopwatch.GetTimestamp());
        recorder.Failure(new TimeoutException());
        recorder.Recording = true;
        recorder.Success(Stopwatch.GetTimestamp());

        Assert.Equal(1, recorder.Ok);
        Assert.Empty(recorder.Errors);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
