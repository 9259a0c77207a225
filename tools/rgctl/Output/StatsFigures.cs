using System.Globalization;
using Google.Protobuf.Reflection;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.Tools.Rgctl.Output;

/// <summary>How a StatsRow figure is shown: its unit decides the formatting.</summary>
internal enum FigureKind
{
    /// <summary>A number of disputes.</summary>
    Count,

    /// <summary>A fraction 0..1, shown as a percentage.</summary>
    Rate,

    /// <summary>A duration in seconds, shown as "3h12m".</summary>
    Seconds,

    /// <summary>An amount in fen, shown in yuan with 2 decimals.</summary>
    Fen,

    /// <summary>A mean satisfaction rating 1-5.</summary>
    Rating,
}

/// <summary>
/// One numeric field of <see cref="StatsRow"/>, found by protobuf reflection so that the CSV and
/// <c>--chart</c> cover every field of the contract, named by its proto (snake_case) name.
/// </summary>
internal sealed class Figure
{
    private readonly FieldDescriptor _field;
    private readonly Func<StatsRow, long>? _denominator;

    private Figure(FieldDescriptor field, FigureKind kind, Func<StatsRow, long>? denominator)
    {
        _field = field;
        Kind = kind;
        _denominator = denominator;
    }

    /// <summary>The proto field name, e.g. "resolution_rate".</summary>
    public string Name => _field.Name;

    public FigureKind Kind { get; }

    public static Figure For(FieldDescriptor field) => new(field, KindOf(field.Name), DenominatorOf(field.Name));

    public double Value(StatsRow row) => _field.Accessor.GetValue(row) switch
    {
        long l => l,
        double d => d,
        int i => i,
        _ => 0,
    };

    /// <summary>
    /// True when the figure measures nothing in this row: a rate whose denominator is 0, a
    /// percentile over no disputes, an average over no ratings (the server reports those as 0).
    /// </summary>
    public bool IsEmpty(StatsRow row) => _denominator is { } denominator && denominator(row) == 0;

    /// <summary>The value for people: "85.0%", "3h12m", "1280.00", "4.50", "12"; "-" when empty.</summary>
    public string Display(StatsRow row)
    {
        if (IsEmpty(row))
        {
            return "-";
        }

        var value = Value(row);
        return Kind switch
        {
            FigureKind.Rate => (value * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%",
            FigureKind.Seconds => Duration((long)value),
            FigureKind.Fen => ((decimal)(long)value / 100m).ToString("0.00", CultureInfo.InvariantCulture),
            FigureKind.Rating => value.ToString("0.00", CultureInfo.InvariantCulture),
            _ => ((long)value).ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The raw value for CSV: counts, fractions, seconds and fen as sent by the server.</summary>
    public string Raw(StatsRow row) => _field.Accessor.GetValue(row) switch
    {
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString(CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        var other => Convert.ToString(other, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    /// <summary>A duration as the two largest units: "45s", "12m30s", "3h12m", "2d4h".</summary>
    public static string Duration(long seconds)
    {
        if (seconds < 0)
        {
            return "-" + Duration(-seconds);
        }

        long days = seconds / 86400, hours = seconds % 86400 / 3600, minutes = seconds % 3600 / 60, secs = seconds % 60;
        return days > 0 ? Two(days, "d", hours, "h")
            : hours > 0 ? Two(hours, "h", minutes, "m")
            : minutes > 0 ? Two(minutes, "m", secs, "s")
            : string.Create(CultureInfo.InvariantCulture, $"{secs}s");

        static string Two(long a, string unitA, long b, string unitB) =>
            b == 0
                ? string.Create(CultureInfo.InvariantCulture, $"{a}{unitA}")
                : string.Create(CultureInfo.InvariantCulture, $"{a}{unitA}{b}{unitB}");
    }

    private static FigureKind KindOf(string name) =>
        name.EndsWith("_rate", StringComparison.Ordinal) ? FigureKind.Rate
        : name.EndsWith("_seconds", StringComparison.Ordinal) ? FigureKind.Seconds
        : name.EndsWith("_fen", StringComparison.Ordinal) ? FigureKind.Fen
        : name == "average_satisfaction" ? FigureKind.Rating
        : FigureKind.Count;

    // The denominators as documented on StatsRow in reporting_service.proto.
    private static Func<StatsRow, long>? DenominatorOf(string name) => name switch
    {
        "negotiation_settlement_rate" or "resolution_rate" => r => r.Concluded,
        "mediation_success_rate" => r => r.ResolvedByMediation + r.Unresolved,
        "on_time_first_response_rate" => r => r.FirstResponseOnTime + r.FirstResponseLate,
        "on_time_completion_rate" => r => r.Closed,
        "same_day_answer_rate" => r => r.RoutedToMerchant,
        "escalation_rate" => r => r.Opened,
        "first_response_p50_seconds" or "first_response_p90_seconds" => r => r.FirstResponded,
        "time_to_close_p50_seconds" or "time_to_close_p90_seconds" => r => r.Closed,
        "average_satisfaction" => r => r.Rated,
        "case_acceptance_rate" => r => r.CasesDecided,
        "mediation_on_time_rate" or "accepted_mediation_success_rate" => r => r.MediationsConcluded,
        "settlement_on_time_rate" => r => r.SettlementsExecutedOnTime + r.SettlementsExecutedLate,
        "reopen_rate" => r => r.ClosedWithSettlement,
        _ => null,
    };
}

/// <summary>The numeric fields of <see cref="StatsRow"/>, in field-number order.</summary>
internal static class StatsFigures
{
    public static IReadOnlyList<Figure> All { get; } =
    [
        .. StatsRow.Descriptor.Fields.InFieldNumberOrder()
            .Where(f => !f.IsRepeated && f.FieldType is FieldType.Int64 or FieldType.Double or FieldType.Int32)
            .Select(Figure.For),
    ];

    public static IReadOnlyList<string> Names => [.. All.Select(f => f.Name)];

    /// <summary>The figure by proto name ("resolution_rate"; dashes are accepted too), or null.</summary>
    public static Figure? Find(string name)
    {
        var wanted = name.Trim().ToLowerInvariant().Replace('-', '_');
        return All.FirstOrDefault(f => f.Name == wanted);
    }

    /// <summary>The figure by proto name; throws when the contract lacks it (a programming error).</summary>
    public static Figure Get(string name) =>
        Find(name) ?? throw new InvalidOperationException($"StatsRow has no numeric field {name}");
}
