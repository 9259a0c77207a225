using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using HdrHistogram;

namespace ResolutionGateway.Tools.LoadGen.Engine;

/// <summary>
/// What one measured phase saw: a latency histogram in microseconds (1 µs to 60 s, 3 significant
/// digits), successes, and failures by gRPC status code. Safe to record from many tasks at once.
/// Nothing is recorded while <see cref="Recording"/> is false (the warm-up).
/// </summary>
public sealed class Recorder
{
    private readonly LongConcurrentHistogram _latency = new(1, 60_000_000, 3);
    private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);
    private long _ok;

    private volatile bool _recording;

    /// <summary>False during the warm-up: calls are made but not counted.</summary>
    public bool Recording
    {
        get => _recording;
        set => _recording = value;
    }

    public long Ok => Interlocked.Read(ref _ok);

    public IReadOnlyDictionary<string, long> Errors => _errors;

    public HistogramBase Latency => _latency;

    /// <summary>Records a success that took from <paramref name="startTimestamp"/> (Stopwatch ticks) to now.</summary>
    public void Success(long startTimestamp) => Success(startTimestamp, Stopwatch.GetTimestamp());

    public void Success(long startTimestamp, long endTimestamp)
    {
        if (!Recording)
        {
            return;
        }
        _latency.RecordValue(Micros(startTimestamp, endTimestamp));
        Interlocked.Increment(ref _ok);
    }

    /// <summary>Records a failure by its gRPC status code name (or the exception type for anything else).</summary>
    public void Failure(Exception e)
    {
        if (!Recording)
        {
            return;
        }
        var key = e switch
        {
            RpcException rpc => rpc.StatusCode.ToString(),
            OperationCanceledException => "Cancelled",
            _ => e.GetType().Name,
        };
        _errors.AddOrUpdate(key, 1, (_, n) => n + 1);
    }

    /// <summary>Records a failure that is not an exception (a lost delivery, say).</summary>
    public void Failure(string key, long count = 1)
    {
        if (count > 0)
        {
            _errors.AddOrUpdate(key, count, (_, n) => n + count);
        }
    }

    public static long Micros(long startTimestamp, long endTimestamp) =>
        Math.Clamp((endTimestamp - startTimestamp) * 1_000_000 / Stopwatch.Frequency, 1, 60_000_000);
}
