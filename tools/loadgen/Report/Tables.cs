using System.Globalization;
using System.Text;

namespace ResolutionGateway.Tools.LoadGen.Report;

/// <summary>The readable form of a run: Markdown tables of the scenarios and of the targets.</summary>
public static class Tables
{
    public static string Markdown(IReadOnlyDictionary<string, string> machine, SuiteOptions o, IReadOnlyList<ScenarioResult> results, IReadOnlyList<TargetCheck> targets)
    {
        var s = new StringBuilder();
        Line(s, $"Machine: {machine["cores"]} cores ({machine["cpu"]}), {machine["memory_gib"]} GiB, {machine["os"]}, {machine["dotnet"]}, database {machine.GetValueOrDefault("database", "?")}.");
        Line(s, $"Each phase: {o.Phase.Warmup.TotalSeconds:0.#} s warm-up, {o.Phase.Duration.TotalSeconds:0.#} s measured; {o.Connections} HTTP/2 connections per node.");
        s.AppendLine();
        s.AppendLine("| scenario | store | load | ops/s | p50 ms | p90 ms | p99 ms | p99.9 ms | errors |");
        s.AppendLine("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var r in results)
        {
            var l = r.Latency ?? new Percentiles(0, 0, 0, 0, 0, 0);
            var errors = r.Errors.Count == 0 ? "0" : string.Join(", ", r.Errors.Select(e => $"{e.Key} {e.Value}"));
            Line(s, $"| {r.Name} | {r.Backend} | {r.Mode} | {r.PerSecond:0.0} | {l.P50:0.00} | {l.P90:0.00} | {l.P99:0.00} | {l.P999:0.00} | {errors} |");
        }
        s.AppendLine();
        foreach (var r in results.Where(r => r.Extra.Count > 0))
        {
            s.AppendLine($"- {r.Name}: " + string.Join(", ", r.Extra.Select(e => $"{e.Key} {e.Value.ToString(CultureInfo.InvariantCulture)}")));
        }
        if (targets.Count > 0)
        {
            s.AppendLine();
            s.AppendLine("| issue | target | figure | measured | goal | met |");
            s.AppendLine("| ---: | --- | --- | ---: | ---: | --- |");
            foreach (var t in targets)
            {
                Line(s, $"| {t.Issue} | {t.Target} | {t.Figure} | {t.Measured:0.###} | {t.Comparison} {t.Goal:0.##} | {(t.Met ? "yes" : "**no**")} |");
            }
        }
        return s.ToString();
    }

    private static void Line(StringBuilder s, FormattableString line) => s.AppendLine(FormattableString.Invariant(line));
}
