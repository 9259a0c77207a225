using HdrHistogram;
using Recorder = ResolutionGateway.Tools.LoadGen.Engine.Recorder;
using System.Text.Json.Serialization;
using ResolutionGateway.Tools.LoadGen.Engine;

namespace ResolutionGateway.Tools.LoadGen.Report;

/// <summary>Latency percentiles of a phase, in milliseconds.</summary>
public sealed record Percentiles(double P50, double P90, double P99, double P999, double Max, double Mean)
{
    public static Percentiles Of(Recorder r)
    {
        var h = r.Latency;
        if (h.TotalCount == 0)
        {
            return new Percentiles(0, 0, 0, 0, 0, 0);
        }
        static double Ms(long micros) => micros / 1000.0;
        return new Percentiles(
            Ms(h.GetValueAtPercentile(50)), Ms(h.GetValueAtPercentile(90)), Ms(h.GetValueAtPercentile(99)),
            Ms(h.GetValueAtPercentile(99.9)), Ms(h.GetMaxValue()), Math.Round(h.GetMean() / 1000.0, 3));
    }
}

/// <summary>One scenario's figures, as written to the JSON result file.</summary>
public sealed record ScenarioResult
{
    /// <summary>Scenario name (noop, read, open, open-half, db-ceiling, lifecycle, chat, watchers, open-sqlite…).</summary>
    public required string Name { get; init; }

    /// <summary>What was measured, in a few words.</summary>
    public required string What { get; init; }

    /// <summary>Store behind the gateway: mysql, sqlite, or none.</summary>
    public required string Backend { get; init; }

    /// <summary>"closed(N)" for N calls in flight, "open(R/s)" for a fixed rate, or "streams(N)".</summary>
    public required string Mode { get; init; }

    /// <summary>Measured seconds (warm-up excluded).</summary>
    public double Seconds { get; init; }

    /// <summary>Successful operations (calls, lifecycles or deliveries).</summary>
    public long Ok { get; init; }

    /// <summary>Successful operations per second.</summary>
    public double PerSecond { get; init; }

    public Percentiles? Latency { get; init; }

    /// <summary>Failures by gRPC status code (or a named kind: lost, …).</summary>
    public Dictionary<string, long> Errors { get; init; } = [];

    /// <summary>Scenario-specific figures (memory, per-step latency, offered rate…).</summary>
    public Dictionary<string, double> Extra { get; init; } = [];

    [JsonIgnore]
    public long Failed => Errors.Values.Sum();

    public static ScenarioResult From(string name, string what, string backend, string mode, PhaseResult phase)
    {
        var result = Plain(name, what, backend, mode, phase);
        if (phase.StartLag is { } lag)
        {
            // The generator's own lateness, already inside the latencies above (a self-check).
            result.Extra["start_lag_p99_ms"] = Percentiles.Of(lag).P99;
        }
        return result;
    }

    private static ScenarioResult Plain(string name, string what, string backend, string mode, PhaseResult phase) => new()
    {
        Name = name,
        What = what,
        Backend = backend,
        Mode = mode,
        Seconds = Math.Round(phase.Measured.TotalSeconds, 2),
        Ok = phase.Recorder.Ok,
        PerSecond = Math.Round(phase.PerSecond, 1),
        Latency = Percentiles.Of(phase.Recorder),
        Errors = new Dictionary<string, long>(phase.Recorder.Errors),
    };
}
