using ResolutionGateway.Core.Reporting;
using ResolutionGateway.Infrastructure.Persistence;

namespace ResolutionGateway.Reporting.Baseline;

/// <summary>
/// Each measure of <see cref="Measures"/> restated in SQL over the typed columns of the disputes
/// table, by measure name: what the raw GROUP BY selects for it. The functions in the measure table
/// and these expressions are two statements of the same definitions, which the store contract
/// tests hold equal; a new measure needs its entry here too (RawMeasureSqlTests says which is missing).
/// </summary>
public static class RawMeasureSql
{
    private const string Resolved = "outcome IN (1, 2)";
    private const string Cny = "settlement_currency = 'CNY'";

    /// <summary>The definitions, by <see cref="Measure.Name"/>.</summary>
    public static readonly IReadOnlyDictionary<string, RawMeasure> ByName = new Dictionary<string, RawMeasure>(StringComparer.Ordinal)
    {
        ["opened"] = new RawCounter(_ => "COUNT(*)"),
        ["open"] = Count("status NOT IN (4, 5, 6)"),
        ["resolved_by_negotiation"] = Count("outcome = 1"),
        ["resolved_by_mediation"] = Count("outcome = 2"),
        ["unresolved"] = Count("outcome = 3"),
        ["withdrawn"] = Count("outcome = 4"),
        ["escalated"] = Count("escalated_at IS NOT NULL"),
        ["auto_escalated"] = Count("escalation_reason IN (3, 4)"),
        ["routed_to_merchant"] = Count("merchant_enrolled = 1"),
        ["first_response_on_time"] = Count("first_response_at <= first_response_due_at"),
        ["first_response_late"] = Count(
            "first_response_at > first_response_due_at OR (first_response_at IS NULL AND COALESCE(escalated_at, closed_at) >= first_response_due_at)"),
        ["answered_same_day"] = new RawCounter(dialect =>
            When($"first_response_at IS NOT NULL AND {DayOf(dialect, "first_response_at")} = {DayOf(dialect, "created_at")}")),
        ["closed_on_time"] = Count("closed_at <= negotiation_due_at"),
        ["rated"] = Count("satisfaction > 0"),
        ["rating_sum"] = new RawCounter(_ => "SUM(satisfaction)"),
        ["agreed_amount_fen"] = Count($"{Resolved} AND {Cny}", "settlement_minor"),
        ["agreed_refund_fen"] = Count($"{Resolved} AND {Cny} AND settlement_remedy IN (1, 2, 3)", "settlement_minor"),
        ["agreed_compensation_fen"] = Count($"{Resolved} AND {Cny} AND settlement_remedy = 6", "settlement_minor"),
        ["settlements_with_amount"] = Count($"{Resolved} AND {Cny}"),
        ["settlements_other_currency"] = Count($"{Resolved} AND settlement_currency NOT IN ('', 'CNY')"),
        ["first_responded"] = Count("first_response_at IS NOT NULL"),
        ["first_response_time"] = new RawHistogram("first_response_at IS NOT NULL", "first_response_at - created_at"),
        ["time_to_close"] = new RawHistogram("closed_at IS NOT NULL", "closed_at - created_at"),
        // case_status 1 pending, 2 accepted, 3 refused; status 3 escalated; outcome 2 mediation, 3 unresolved; receipt 1 received, 2 not.
        ["cases_pending"] = Count("status = 3 AND case_status = 1"),
        ["cases_accepted"] = Count("case_status = 2"),
        ["cases_refused"] = Count("case_status = 3"),
        ["cases_decided_late"] = Count(
            "(case_status = 2 AND case_accepted_at > case_accept_due_at) OR (case_status = 3 AND closed_at > case_accept_due_at)"),
        ["mediations_concluded"] = Count("case_status = 2 AND outcome IN (2, 3)"),
        ["mediations_concluded_on_time"] = Count("case_status = 2 AND outcome IN (2, 3) AND closed_at <= mediation_due_at"),
        ["mediations_resolved"] = Count("case_status = 2 AND outcome = 2"),
        ["settlements_due"] = Count("execution_due_at IS NOT NULL"),
        ["settlements_executed_on_time"] = Count("execution_recorded_at <= execution_due_at"),
        ["settlements_executed_late"] = Count(
            "execution_recorded_at > execution_due_at OR (execution_due_at IS NOT NULL AND execution_recorded_at IS NULL AND execution_overdue = 1)"),
        ["executions_recorded"] = Count("execution_recorded_at IS NOT NULL"),
        ["settlements_received"] = Count("settlement_receipt = 1"),
        ["settlements_not_received"] = Count("settlement_receipt = 2"),
        ["reopened"] = Count("reopen_count > 0"),
        ["closed_with_settlement"] = Count("execution_due_at IS NOT NULL OR reopen_count > 0"),
    };

    /// <summary>The SELECT expressions of every measure column, in vector order (<see cref="Measures.Columns"/>).</summary>
    public static string SelectList(SqlDialect dialect)
    {
        var columns = new List<string>(Measures.Count);
        foreach (var m in Measures.All)
        {
            switch (ByName.GetValueOrDefault(m.Name))
            {
                case RawCounter counter when !m.IsHistogram:
                    columns.Add(counter.Sum(dialect));
                    break;
                case RawHistogram histogram when m.IsHistogram:
                    for (var b = 0; b < m.Width; b++)
                    {
                        columns.Add(When($"{histogram.Counted} AND {InBucket(histogram.DurationMs, b)}"));
                    }
                    break;
                default:
                    throw new InvalidOperationException($"no raw SQL of the {(m.IsHistogram ? "histogram" : "counter")} {m.Name}");
            }
        }
        return string.Join(",\n  ", columns);
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

    private static RawCounter Count(string condition, string value = "1") => new(_ => When(condition, value));

    private static string When(string condition, string value = "1") => $"SUM(CASE WHEN {condition} THEN {value} ELSE 0 END)";

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

/// <summary>A measure's definition in SQL.</summary>
public abstract record RawMeasure;

/// <summary>A counter: the aggregate that sums it over a group of dispute rows.</summary>
public sealed record RawCounter(Func<SqlDialect, string> Sum) : RawMeasure;

/// <summary>A histogram: the rows <see cref="Counted"/> (a condition) fall in the bucket of <see cref="DurationMs"/>.</summary>
public sealed record RawHistogram(string Counted, string DurationMs) : RawMeasure;
