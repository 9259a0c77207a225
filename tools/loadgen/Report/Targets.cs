using System.Globalization;

namespace ResolutionGateway.Tools.LoadGen.Report;

/// <summary>One target of an issue (6 or 12), checked against this run's figures.</summary>
public sealed record TargetCheck(int Issue, string Target, string Figure, double Measured, string Comparison, double Goal, bool Met);

/// <summary>
/// The issues' targets, each as a ratio against a baseline of the same run or as an absolute bound,
/// declared once in <see cref="Table"/>. A target whose scenarios did not run is left out.
/// </summary>
public static class Targets
{
    /// <summary>A target's figure and value in this run, or null when a scenario it needs did not run.</summary>
    private delegate (string Figure, double Value)? Measure(IReadOnlyDictionary<string, ScenarioResult> by);

    private sealed record Spec(int Issue, string Target, Measure Measure, string Comparison, double Goal);

    private const string AtLeast = ">=";
    private const string AtMost = "<=";

    private static readonly Spec[] Table =
    [
        new(6, "open: share of the database ceiling", Ratio("open", "db-ceiling"), AtLeast, 0.60),
        new(6, "open: p99 at half the peak rate (ms)", P99("open-half", "/s"), AtMost, 20),
        new(6, "read: share of the no-op RPC", Ratio("read", "noop"), AtLeast, 0.50),
        new(6, "chat: p99 delivery across two nodes (ms)", P99("chat", " messages/s"), AtMost, 10),
        new(6, "chat: p99 delivery at half the PostMessage peak (ms)", P99("chat-half", " messages/s"), AtMost, 10),
        new(6, "watchers: resident memory of one node (MiB)", by => by.TryGetValue("watchers", out var w)
            ? (Invariant($"RSS with {w.Ok} streams"), w.Extra.GetValueOrDefault("rss_with_streams_mib")) : null, AtMost, 1024),
        new(6, "embedded store: open (disputes/s)", by => by.TryGetValue("open-sqlite", out var s)
            ? ("open-sqlite/s", s.PerSecond) : null, AtLeast, 1000),
        new(12, "open: share of the row floor", Ratio("open", "row-floor"), AtLeast, 0.40),
        new(12, "read: share of the no-op RPC", Ratio("read", "noop"), AtLeast, 0.80),
        new(12, "message: p99 at half the PostMessage peak (ms)", P99("message-half", "/s"), AtMost, 15),
        new(12, "chat: p99 delivery at half the PostMessage peak (ms)", P99("chat-half", " messages/s"), AtMost, 20),
    ];

    public static IReadOnlyList<TargetCheck> Evaluate(IReadOnlyList<ScenarioResult> results)
    {
        var by = results.ToDictionary(r => r.Name);
        var checks = new List<TargetCheck>();
        foreach (var spec in Table)
        {
            if (spec.Measure(by) is not { } m)
            {
                continue;
            }
            var met = spec.Comparison == AtLeast ? m.Value >= spec.Goal : m.Value <= spec.Goal;
            checks.Add(new TargetCheck(spec.Issue, spec.Target, m.Figure, Math.Round(m.Value, 3), spec.Comparison, spec.Goal, met));
        }
        return checks;
    }

    // Throughput of a scenario over its baseline's.
    private static Measure Ratio(string scenario, string baseline) => by =>
        by.TryGetValue(scenario, out var s) && by.TryGetValue(baseline, out var b) && b.PerSecond > 0
            ? ($"{scenario}/s ÷ {baseline}/s", s.PerSecond / b.PerSecond)
            : null;

    // p99 of an open-loop scenario, with the rate it was offered.
    private static Measure P99(string scenario, string unit) => by =>
        by.TryGetValue(scenario, out var s) && s.Latency is { } latency
            ? (Invariant($"p99 at {s.Extra.GetValueOrDefault("offered_per_s"):0}{unit}"), latency.P99)
            : null;

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
