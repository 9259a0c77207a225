using System.Globalization;
using System.Text;
using ResolutionGateway.Contracts.V1;
using ResolutionGateway.Tools.Rgctl.Cli;

namespace ResolutionGateway.Tools.Rgctl.Output;

/// <summary>GetResolutionStats as a table, a terminal bar chart, or CSV.</summary>
internal static class StatsPrinter
{
    private const int DefaultWidth = 80;
    private const char FullBlock = '█';

    /// <summary>Partial blocks of 1/8 to 7/8 of a character cell.</summary>
    private static readonly char[] PartialBlocks = ['▏', '▎', '▍', '▌', '▋', '▊', '▉'];

    /// <summary>The table's figure columns: header and StatsRow field.</summary>
    private static readonly (string Header, Figure Figure)[] Columns =
    [
        ("OPENED", StatsFigures.Get("opened")),
        ("OPEN", StatsFigures.Get("open")),
        ("CLOSED", StatsFigures.Get("closed")),
        ("SETTLED", StatsFigures.Get("negotiation_settlement_rate")),
        ("RESOLVED", StatsFigures.Get("resolution_rate")),
        ("1ST-ON-TIME", StatsFigures.Get("on_time_first_response_rate")),
        ("DONE-ON-TIME", StatsFigures.Get("on_time_completion_rate")),
        ("SAME-DAY", StatsFigures.Get("same_day_answer_rate")),
        ("ESCALATED", StatsFigures.Get("escalation_rate")),
        ("RESP-P50", StatsFigures.Get("first_response_p50_seconds")),
        ("RESP-P90", StatsFigures.Get("first_response_p90_seconds")),
        ("CLOSE-P50", StatsFigures.Get("time_to_close_p50_seconds")),
        ("CLOSE-P90", StatsFigures.Get("time_to_close_p90_seconds")),
        ("AGREED-CNY", StatsFigures.Get("agreed_amount_fen")),
        ("SATISF", StatsFigures.Get("average_satisfaction")),
        ("CASE-ACCEPT", StatsFigures.Get("case_acceptance_rate")),
        ("MED-ON-TIME", StatsFigures.Get("mediation_on_time_rate")),
        ("MED-SUCCESS", StatsFigures.Get("accepted_mediation_success_rate")),
        ("EXEC-ON-TIME", StatsFigures.Get("settlement_on_time_rate")),
        ("REOPEN", StatsFigures.Get("reopen_rate")),
    ];

    private const string Legend = """
        SETTLED = negotiation settlement rate, RESOLVED = resolution rate (both of concluded disputes);
        1ST-ON-TIME = on-time first response; DONE-ON-TIME = closed on time (of closed); SAME-DAY = answered
        the day it was opened (of routed to the merchant); ESCALATED = of opened; RESP/CLOSE = time to the
        merchant's first response / to closing (p50, p90); AGREED-CNY = settlements in yuan; SATISF = mean
        rating 1-5; CASE-ACCEPT = cases accepted (of decided); MED-ON-TIME, MED-SUCCESS = mediation concluded
        by its deadline, resolved by it (of accepted cases concluded); EXEC-ON-TIME = settlements executed by
        their deadline (of on time + late); REOPEN = reopened (of closed with a settlement); "-" = nothing to measure.
        """;

    /// <summary>"disputes opened 2026-10-01 .. 2026-10-31 (Beijing time); region 33; ...".</summary>
    public static string Selection(ReportFilter? filter)
    {
        if (filter is null)
        {
            return "(no filter in the response)";
        }

        var parts = new List<string>
        {
            $"disputes {(filter.Basis == PeriodBasis.Closed ? "closed" : "opened")} {filter.FromDate} .. {filter.ToDate} (Beijing time)",
        };
        if (filter.RegionPrefix.Length > 0)
        {
            parts.Add($"region {filter.RegionPrefix}*");
        }

        if (filter.ChannelId.Length > 0)
        {
            parts.Add($"channel {filter.ChannelId}");
        }

        if (filter.MerchantId.Length > 0)
        {
            parts.Add($"merchant {filter.MerchantId}");
        }

        if (filter.Category != Category.Unspecified)
        {
            parts.Add($"category {Format.Enum(filter.Category)}");
        }

        return string.Join("; ", parts);
    }

    /// <summary>A group key for people and CSV: categories in their short form, other values as sent.</summary>
    public static string KeyValue(GroupKey key) =>
        key.Dimension == GroupBy.Category && EnumNames.TryParse<Category>(key.Value, out var category)
            ? Format.Enum(category)
            : key.Value;

    /// <summary>One line per group, then TOTAL; figures as in <see cref="Columns"/>.</summary>
    public static void PrintTable(TextWriter w, IReadOnlyList<GroupBy> dimensions, GetResolutionStatsResponse response)
    {
        var keyColumns = Math.Max(1, dimensions.Count);
        var header = new List<string>(keyColumns + Columns.Length);
        header.AddRange(dimensions.Count == 0 ? [string.Empty] : dimensions.Select(d => Format.Enum(d).ToUpperInvariant()));
        header.AddRange(Columns.Select(c => c.Header));

        var lines = new List<string[]>();
        if (dimensions.Count > 0)
        {
            foreach (var row in response.Rows)
            {
                lines.Add([.. Enumerable.Range(0, keyColumns).Select(i => i < row.Keys.Count ? Blank(KeyValue(row.Keys[i])) : "?"), .. Figures(row)]);
            }
        }

        var total = response.Total ?? new StatsRow();
        string[] totalLine = [.. Enumerable.Range(0, keyColumns).Select(i => i == 0 ? "TOTAL" : string.Empty), .. Figures(total)];

        var widths = header.Select(h => h.Length).ToArray();
        foreach (var line in lines.Append(totalLine))
        {
            for (var i = 0; i < line.Length; i++)
            {
                widths[i] = Math.Max(widths[i], line[i].Length);
            }
        }

        string Join(IReadOnlyList<string> cells) =>
            string.Join("  ", cells.Select((c, i) => i < keyColumns ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))).TrimEnd();

        w.WriteLine(Join(header));
        if (dimensions.Count > 0 && lines.Count == 0)
        {
            w.WriteLine("(no disputes)");
        }

        foreach (var line in lines)
        {
            w.WriteLine(Join(line));
        }

        if (lines.Count > 0)
        {
            w.WriteLine(new string('-', widths.Sum() + (2 * (widths.Length - 1))));
        }

        w.WriteLine(Join(totalLine));
        w.WriteLine();
        w.WriteLine(Legend.ReplaceLineEndings(Environment.NewLine));

        static IEnumerable<string> Figures(StatsRow row) => Columns.Select(c => c.Figure.Display(row));
    }

    /// <summary>
    /// One bar per row of <paramref name="figure"/>, scaled to the terminal width: rates against
    /// 100%, other figures against the largest value. Skipped when there are no groups.
    /// </summary>
    public static void PrintChart(TextWriter w, IReadOnlyList<GroupBy> dimensions, GetResolutionStatsResponse response, Figure figure)
    {
        if (dimensions.Count == 0 || response.Rows.Count == 0)
        {
            return;
        }

        var width = TerminalWidth();
        var rows = response.Rows;
        var labels = rows.Select(r => string.Join(" / ", r.Keys.Select(k => Blank(KeyValue(k))))).ToList();
        var values = rows.Select(figure.Display).ToList();
        var valueWidth = values.Max(v => v.Length);
        var labelWidth = Math.Min(labels.Max(l => l.Length), Math.Max(8, width / 3));
        var barWidth = Math.Max(10, width - labelWidth - valueWidth - 3);
        var scale = figure.Kind == FigureKind.Rate ? 1.0 : rows.Where(r => !figure.IsEmpty(r)).Select(figure.Value).DefaultIfEmpty(0).Max();

        var dims = string.Join(", ", dimensions.Select(d => Format.Enum(d)));
        var full = figure.Kind == FigureKind.Rate ? "100%" : FullBarText(figure, scale);
        var totalRow = response.Total ?? new StatsRow();
        w.WriteLine($"{figure.Name} by {dims} (full bar = {full}; total {figure.Display(totalRow)})");
        for (var i = 0; i < rows.Count; i++)
        {
            var label = labels[i].Length <= labelWidth ? labels[i] : string.Concat(labels[i].AsSpan(0, labelWidth - 3), "...");
            var bar = figure.IsEmpty(rows[i]) ? string.Empty : Bar(figure.Value(rows[i]), scale, barWidth);
            w.WriteLine($"{label.PadRight(labelWidth)} {bar} {values[i]}".TrimEnd());
        }
    }

    /// <summary>
    /// CSV (RFC 4180, invariant culture, CRLF): "row", one column per group key, then every
    /// numeric StatsRow field by its proto name; the last line is the total with "TOTAL" in "row".
    /// </summary>
    public static int WriteCsv(TextWriter w, IReadOnlyList<GroupBy> dimensions, GetResolutionStatsResponse response)
    {
        var figures = StatsFigures.All;
        WriteCsvLine(w, ["row", .. dimensions.Select(d => Format.Enum(d).Replace('-', '_')), .. figures.Select(f => f.Name)]);
        var count = 0;
        if (dimensions.Count > 0)
        {
            foreach (var row in response.Rows)
            {
                WriteCsvLine(w, [string.Empty, .. dimensions.Select((_, i) => i < row.Keys.Count ? KeyValue(row.Keys[i]) : string.Empty), .. figures.Select(f => f.Raw(row))]);
                count++;
            }
        }

        var total = response.Total ?? new StatsRow();
        WriteCsvLine(w, ["TOTAL", .. dimensions.Select(_ => string.Empty), .. figures.Select(f => f.Raw(total))]);
        return count + 1;
    }

    private static void WriteCsvLine(TextWriter w, IEnumerable<string> fields)
    {
        w.Write(string.Join(",", fields.Select(CsvField)));
        w.Write("\r\n");
    }

    private static string CsvField(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Bar(double value, double scale, int width)
    {
        if (scale <= 0 || value <= 0)
        {
            return string.Empty;
        }

        var eighths = (int)Math.Round(Math.Min(value / scale, 1.0) * width * 8, MidpointRounding.AwayFromZero);
        if (eighths == 0)
        {
            // Not zero, but less than 1/16 of a cell: still show that there is something.
            eighths = 1;
        }

        var sb = new StringBuilder(width);
        sb.Append(FullBlock, eighths / 8);
        if (eighths % 8 > 0)
        {
            sb.Append(PartialBlocks[(eighths % 8) - 1]);
        }

        return sb.ToString();
    }

    private static string FullBarText(Figure figure, double scale) => figure.Kind switch
    {
        FigureKind.Seconds => Figure.Duration((long)scale),
        FigureKind.Fen => ((decimal)(long)scale / 100m).ToString("0.00", CultureInfo.InvariantCulture) + " CNY",
        FigureKind.Rating => scale.ToString("0.00", CultureInfo.InvariantCulture),
        _ => scale.ToString("0", CultureInfo.InvariantCulture),
    };

    private static string Blank(string value) => value.Length == 0 ? "(none)" : value;

    private static int TerminalWidth()
    {
        try
        {
            var width = Console.WindowWidth;
            if (width > 0)
            {
                return width;
            }
        }
        catch (IOException)
        {
        }
        catch (PlatformNotSupportedException)
        {
        }
        catch (InvalidOperationException)
        {
        }

        return DefaultWidth;
    }
}
