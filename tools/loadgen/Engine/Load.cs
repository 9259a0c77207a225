using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ResolutionGateway.Tools.LoadGen.Engine;

/// <summary>How long a phase runs: a warm-up (calls made, not recorded), then the measured time.</summary>
public sealed record Phase(TimeSpan Warmup, TimeSpan Duration);

/// <summary>How load is offered: <see cref="Concurrency"/> calls in flight (closed loop), or a fixed <see cref="Rate"/> per second (open loop) when set.</summary>
public sealed record Offered(int Concurrency, double? Rate)
{
    /// <summary>"closed(N)" or "open(R/s)", as the result tables show it.</summary>
    public override string ToString() => Rate is { } r ? $"open({r:0}/s)" : $"closed({Concurrency})";

    /// <summary>Open loop at half a measured peak, in whole calls per second and at least one: where the half-peak targets are checked.</summary>
    public static Offered HalfOf(double peakPerSecond, int concurrency) => new(concurrency, Math.Max(1, Math.Round(peakPerSecond / 2)));
}

/// <summary>One call of an open-loop phase: its number, its scheduled start (Stopwatch ticks), and whether it is measured (after the warm-up).</summary>
public readonly record struct OpenCall(long Number, long Scheduled, bool Measured);

/// <summary>Throughput and latency of one measured phase.</summary>
public sealed record PhaseResult(Recorder Recorder, TimeSpan Measured)
{
    /// <summary>Open loop only: how late the generator started each measured call after its scheduled time.</summary>
    public Recorder? StartLag { get; init; }

    public double PerSecond => Recorder.Ok / Measured.TotalSeconds;
}

/// <summary>
/// The two ways of offering load. Closed loop: N workers, each starts its next call when the
/// previous one ends (finds the peak; latency there is queueing). Open loop: calls start on a fixed
/// schedule whether or not earlier ones have finished, and each call's latency is counted from the
/// time it was scheduled to start, so a stall shows up in the figures instead of slowing the
/// offered load (no coordinated omission).
/// </summary>
public static class Load
{
    /// <summary>When set, told when each phase's measured window opens and closes (CPU per call).</summary>
    public static CpuMeter? Window { get; set; }

    /// <summary>
    /// Runs <paramref name="call"/> as <paramref name="offered"/> says: closed loop (the call gets its
    /// worker's index) or open loop (the call gets its number; at most 4,096 in flight).
    /// <paramref name="linked"/> recorders record while the phase does.
    /// </summary>
    public static async Task<PhaseResult> RunAsync(
        Offered offered, Phase phase, Func<long, CancellationToken, Task> call, CancellationToken ct, IReadOnlyList<Recorder>? linked = null)
    {
        if (offered.Rate is not { } rate)
        {
            return await ClosedAsync(offered.Concurrency, phase, (worker, token) => call(worker, token), ct, linked);
        }
        linked ??= [];
        using var warmedUp = new CancellationTokenSource(phase.Warmup);
        await using var registration = warmedUp.Token.Register(() =>
        {
            foreach (var r in linked)
            {
                r.Recording = true;
            }
        });
        var result = await OpenAsync(rate, phase, maxInFlight: 4096, (c, token) => call(c.Number, token), ct);
        foreach (var r in linked)
        {
            r.Recording = false;
        }
        return result;
    }

    /// <summary>
    /// Runs <paramref name="call"/> from <paramref name="concurrency"/> workers for the phase.
    /// <paramref name="linked"/> recorders (a call's own steps) record exactly when the phase does.
    /// </summary>
    public static async Task<PhaseResult> ClosedAsync(
        int concurrency, Phase phase, Func<int, CancellationToken, Task> call, CancellationToken ct, IReadOnlyList<Recorder>? linked = null)
    {
        linked ??= [];
        var recorder = new Recorder();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var workers = Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await call(worker, stop.Token);
                    recorder.Success(started);
                }
                catch (Exception e) when (!stop.IsCancellationRequested)
                {
                    recorder.Failure(e);
                }
                catch (Exception) when (stop.IsCancellationRequested)
                {
                    // A call cut short by the end of the phase is neither a success nor a failure.
                }
            }
        }, CancellationToken.None)).ToArray();
        await Task.Delay(phase.Warmup, ct);
        var measuredStart = Stopwatch.GetTimestamp();
        Window?.Start();
        recorder.Recording = true;
        foreach (var r in linked)
        {
            r.Recording = true;
        }
        await Task.Delay(phase.Duration, ct);
        recorder.Recording = false;
        Window?.Stop();
        foreach (var r in linked)
        {
            r.Recording = false;
        }
        var measured = Stopwatch.GetElapsedTime(measuredStart);
        await stop.CancelAsync();
        await Task.WhenAll(workers);
        return new PhaseResult(recorder, measured);
    }

    /// <summary>
    /// Starts <paramref name="call"/> <paramref name="ratePerSecond"/> times a second for the phase;
    /// at most <paramref name="maxInFlight"/> calls are outstanding (beyond that the schedule slips,
    /// and the slip is counted in every later call's latency). Calls still running at the end are
    /// awaited and counted.
    /// </summary>
    public static async Task<PhaseResult> OpenAsync(
        double ratePerSecond, Phase phase, int maxInFlight, Func<OpenCall, CancellationToken, Task> call, CancellationToken ct)
    {
        // Which calls count is decided by their scheduled time, so the recorder is on from the start.
        var recorder = new Recorder { Recording = true };
        // How late the generator itself started each measured call: its own share of the latencies.
        var lag = new Recorder { Recording = true };
        using var slots = new SemaphoreSlim(maxInFlight, maxInFlight);
        var interval = Stopwatch.Frequency / ratePerSecond;
        var start = Stopwatch.GetTimestamp();
        var warmupEnd = start + (long)(phase.Warmup.TotalSeconds * Stopwatch.Frequency);
        var end = warmupEnd + (long)(phase.Duration.TotalSeconds * Stopwatch.Frequency);
        var pending = new List<Task>(1024);

        async Task RunOneAsync(long n, long scheduled, bool record)
        {
            try
            {
                await call(new OpenCall(n, scheduled, record), ct);
                if (record)
                {
                    recorder.Success(scheduled);
                }
            }
            catch (Exception e) when (record)
            {
                recorder.Failure(e);
            }
            catch (Exception)
            {
            }
            finally
            {
                slots.Release();
            }
        }

        // The schedule runs on a thread of its own that sleeps to the exact start time (the thread
        // pool's timers fire a millisecond or more late, which would count as server latency) and
        // starts each call itself: the call runs on this thread up to its first await, its send.
        var scheduler = new Thread(() =>
        {
            for (long i = 0; !ct.IsCancellationRequested; i++)
            {
                var scheduled = start + (long)(i * interval);
                if (scheduled >= end)
                {
                    break;
                }
                PreciseSleep.Until(scheduled);
                slots.Wait(ct);
                var record = scheduled >= warmupEnd;
                if (record && lag.Ok == 0)
                {
                    Window?.Start();
                }
                if (record)
                {
                    lag.Success(scheduled);
                }
                pending.Add(RunOneAsync(i, scheduled, record));
                if (pending.Count >= 1024)
                {
                    pending.RemoveAll(t => t.IsCompleted);
                }
            }
        })
        { IsBackground = true, Name = "loadgen open-loop schedule" };
        scheduler.Start();
        await Task.Run(scheduler.Join, CancellationToken.None);
        await Task.WhenAll(pending);
        Window?.Stop();
        return new PhaseResult(recorder, phase.Duration) { StartLag = lag };
    }
}

/// <summary>Sleeps to a Stopwatch timestamp with sub-millisecond precision.</summary>
internal static partial class PreciseSleep
{
    private const int ClockMonotonic = 1;
    private const int TimerAbsolute = 1;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_nanosleep")]
    private static partial int ClockNanosleep(int clock, int flags, in Timespec request, IntPtr remain);

    // On Linux, Stopwatch counts CLOCK_MONOTONIC nanoseconds: sleep to the absolute time directly.
    private static readonly bool Native = OperatingSystem.IsLinux() && Stopwatch.Frequency == 1_000_000_000;

    public static void Until(long timestamp)
    {
        var wait = timestamp - Stopwatch.GetTimestamp();
        if (wait <= 0)
        {
            return;
        }
        if (Native)
        {
            var at = new Timespec { Seconds = timestamp / 1_000_000_000, Nanoseconds = timestamp % 1_000_000_000 };
            // EINTR (a signal) only ends the sleep early; the loop below finishes it.
            _ = ClockNanosleep(ClockMonotonic, TimerAbsolute, at, IntPtr.Zero);
        }
        else if (wait > Stopwatch.Frequency / 500)
        {
            Thread.Sleep(TimeSpan.FromSeconds((double)(wait - (Stopwatch.Frequency / 1000)) / Stopwatch.Frequency));
        }
        while (Stopwatch.GetTimestamp() < timestamp)
        {
            Thread.Yield();
        }
    }
}
