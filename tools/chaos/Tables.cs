using System.Globalization;
using System.Text;

namespace ResolutionGateway.Tools.Chaos;

/// <summary>The chaos table in Markdown, as tools/README.md shows it.</summary>
public static class Tables
{
    public static string Of(IEnumerable<FaultResult> results)
    {
        var b = new StringBuilder();
        b.AppendLine("| fault | acked_lost | duplicates | watch_missed | watch_duplicated | webhooks_missing | max_write_gap_s | p99_ms_before | p99_ms_during |");
        b.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in results)
        {
            b.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.fault} | {r.acked_lost} | {r.duplicates} | {r.watch_missed} | {r.watch_duplicated} | {r.webhooks_missing} | {r.max_write_gap_s} | {r.p99_ms_before} | {r.p99_ms_during} |"));
        }
        return b.ToString();
    }
}
