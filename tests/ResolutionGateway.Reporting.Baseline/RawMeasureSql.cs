using ResolutionGateway.Core.Reporting;
using ResolutionGateway.Infrastructure.Persistence;

namespace ResolutionGateway.Reporting.Baseline;

/// <summary>
/// The measures of <see cref="Measures"/> restated in SQL over the typed columns of the disputes
/// table: what the raw GROUP BY selects for each. The store contract tests hold the two equal.
/// </summary>
public static class RawMeasureSql
{
    /// <summary>The SELECT expressions of every measure column, in vector order (<see cref="Measures.Columns"/>).</summary>
    public static string SelectList(SqlDialect dialect)
    {
        string When(string condition, string value = "1") => $"SUM(CASE WHEN {condition} THEN {value} ELSE 0 END)";
        const string resolved = "outcome IN (1, 2)";
        const string cny = "settlement_currency = 'CNY'";
        var measures = new string[Measures.Count];
        measures[Measures.Opened] = "COUNT(*)";
        measures[Measures.StillOpen] = When("status NOT IN (4, 5, 6)");
        measures[Measures.ResolvedByNegotiation] = When("outcome = 1");
        measures[Measures.ResolvedByMediation] = When("outcome = 2");
        measures[Measures.Unresolved] = When("outcome = 3");
        measures[Measures.Withdrawn] = When("outcome = 4");
        measures[Measures.Escalated] = When("escalated_at IS NOT NULL");
        measures[Measures.AutoEscalated] = When("escalation_reason IN (3, 4)");
        measures[Measures.RoutedToMerchant] = When("merchant_enrolled = 1");
        measures[Measures.FirstResponseOnTime] = When("first_response_at <= first_response_due_at");
        measures[Measures.FirstResponseLate] = When(
            "first_response_at > first_response_due_at OR (first_response_at IS NULL AND COALESCE(escalated_at, closed_at) >= first_response_due_at)");
        measures[Measures.AnsweredSameDay] = When($"first_response_at IS NOT NULL AND {DayOf(dialect, "first_response_at")} = {DayOf(dialect, "created_at")}");
        measures[Measures.ClosedOnTime] = When("closed_at <= negotiation_due_at");
        measures[Measures.Rated] = When("satisfaction > 0");
        measures[Measures.RatingSum] = "SUM(satisfaction)";
        measures[Measures.AgreedFen] = When($"{resolved} AND {cny}", "settlement_minor");
        measures[Measures.AgreedRefundFen] = When($"{resolved} AND {cny} AND settlement_remedy IN (1, 2, 3)", "settlement_minor");
        measures[Measures.AgreedCompensationFen] = When($"{resolved} AND {cny} AND settlement_remedy = 6", "settlement_minor");
        measures[Measures.SettlementsWithAmount] = When($"{resolved} AND {cny}");
        measures[Measures.SettlementsOtherCurrency] = When($"{resolved} AND settlement_currency NOT IN ('', 'CNY')");
        measures[Measures.FirstResponded] = When("first_response_at IS NOT NULL");
        for (var b = 0; b < DurationHistogram.Buckets; b++)
        {
            measures[Measures.FirstResponseBuckets + b] = When("first_response_at IS NOT NULL AND " + InBucket("first_response_at - created_at", b));
            measures[Measures.TimeToCloseBuckets + b] = When("closed_at IS NOT NULL AND " + InBucket("closed_at - created_at", b));
        }
        return string.Join(",\n  ", measures);
    }

    /// <summary>Beijing-time day number of a Unix-ms column.</summary>
    public static string DayOf(SqlDialect dialect, string column) => dialect == SqlDialect.MySql
        ? $"(({column} + {ReportingCalendar.OffsetMs}) DIV {ReportingCalendar.DayMs})"
        : $"(({column} + {ReportingCalendar.OffsetMs}) / {ReportingCalendar.DayMs})";

    /// <summary>
    /// Day number of the first day of the month of a day number. 719528 = TO_DAYS('1970-01-01');
    /// 2440587.5 = julianday('1970-01-01').
    /// </summary>
    public static string MonthStartOf(SqlDialect dialect, string day) => dialect == SqlDialect.MySql
        ? $"(TO_DAYS(DATE_FORMAT(FROM_DAYS(719528 + {day}), '%Y-%m-01')) - 719528)"
        : $"CAST(julianday(date({day} * 86400, 'unixepoch', 'start of month')) - 2440587.5 AS INTEGER)";

    private static string InBucket(string durationMs, int bucket)
    {
        var bounds = DurationHistogram.Bounds;
        var low = bucket == 0 ? null : $"{durationMs} >= {bounds[bucket - 1] * 1000}";
        var high = bucket == bounds.Count ? null : $"{durationMs} < {bounds[bucket] * 1000}";
        return (low, high) switch
        {
            (null, { } h) => h,
            ({ } l, null) => l,
            _ => $"{low} AND {high}",
        };
    }
}
