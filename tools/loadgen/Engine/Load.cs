using System.Diagnostics;

namespace ResolutionGateway.Tools.LoadGen.Engine;

/// <summary>How long a phase runs: a warm-up (calls made, not recorded), then the measured time.</summary>
public sealed record Phase(TimeSpan Warmup, TimeSpan Duration);

/// <summary>One call of an open-loop phase: its number, its scheduled start (Stopwatch ticks), and whether it is measured (after the warm-up).</summary>
public readonly record struct OpenCall(long Number, long Scheduled, bool Measured);

/// <summary>Throughput and latency of one measured phase.</summary>
public sealed record PhaseResult(Recorder Recorder, TimeSpan Measured)
{
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
        recorder.Recording = true;
        foreach (var r in linked)
        {
            r.Recording = true;
        }
        await Task.Delay(phase.Duration, ct);
        recorder.Recording = false;
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
        using var slots = new SemaphoreSlim(maxInFlight, maxInFlight);
        var interval = Stopwatch.Frequency / ratePerSecond;
        var start = Stopwatch.GetTimestamp();
        var warmupEnd = start + (long)(phase.Warmup.TotalSeconds * Stopwatch.Frequency);
        var end = warmupEnd + (long)(phase.Duration.TotalSeconds * Stopwatch.Frequency);
        var pending = new List<Task>(1024);
        for (long i = 0; ; i++)
        {
            var scheduled = start + (long)(i * interval);
            if (scheduled >= end)
            {
                break;
            }
            var wait = scheduled - Stopwatch.GetTimestamp();
            if (wait > Stopwatch.Frequency / 1000)
            {
                // Task.Delay has about 1 ms resolution: sleep the bulk, then start every call that is due.
                await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), ct);
            }
            await slots.WaitAsync(ct);
            var record = scheduled >= warmupEnd;
            var n = i;
            pending.Add(Task.Run(async () =>
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
            }, CancellationToken.None));
            if (pending.Count >= 1024)
            {
                pending.RemoveAll(t => t.IsCompleted);
            }
        }
        await Task.WhenAll(pending);
        return new PhaseResult(recorder, phase.Duration);
    }
}
