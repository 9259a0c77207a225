using ResolutionGateway.Core.Disputes;

namespace ResolutionGateway.Core.Reporting;

/// <summary>
/// What one dispute contributes to a rollup row: a fixed vector of counters (the rollup tables
/// have one column per entry, named in <see cref="Columns"/>). A rollup row is the sum of the
/// vectors of its disputes, so every reported figure is a sum or a ratio of sums. The definitions
/// here are the ones documented on resolution.v1.StatsRow; the raw GROUP BY baseline
/// (tests/ResolutionGateway.Reporting.Baseline) restates them in SQL and the tests hold the two equal.
/// </summary>
public static class Measures
{
    /// <summary>Index of the opened counter (1 per dispute).</summary>
    public const int Opened = 0;
    /// <summary>1 while the dispute is not closed.</summary>
    public const int StillOpen = 1;
    /// <summary>Outcome RESOLVED_BY_NEGOTIATION.</summary>
    public const int ResolvedByNegotiation = 2;
    /// <summary>Outcome RESOLVED_BY_MEDIATION.</summary>
    public const int ResolvedByMediation = 3;
    /// <summary>Outcome UNRESOLVED.</summary>
    public const int Unresolved = 4;
    /// <summary>Outcome WITHDRAWN.</summary>
    public const int Withdrawn = 5;
    /// <summary>Escalated for any reason.</summary>
    public const int Escalated = 6;
    /// <summary>Escalated by the system for a missed deadline.</summary>
    public const int AutoEscalated = 7;
    /// <summary>The merchant was enrolled when the dispute opened.</summary>
    public const int RoutedToMerchant = 8;
    /// <summary>First response at or before its deadline.</summary>
    public const int FirstResponseOnTime = 9;
    /// <summary>First response after the deadline, or none and left "awaiting the merchant" at or after it.</summary>
    public const int FirstResponseLate = 10;
    /// <summary>First response on the opening's reporting day.</summary>
    public const int AnsweredSameDay = 11;
    /// <summary>Closed at or before the end of the negotiation window.</summary>
    public const int ClosedOnTime = 12;
    /// <summary>Rated by the consumer.</summary>
    public const int Rated = 13;
    /// <summary>Sum of the ratings.</summary>
    public const int RatingSum = 14;
    /// <summary>Agreed CNY amount, fen.</summary>
    public const int AgreedFen = 15;
    /// <summary>The refund part of it.</summary>
    public const int AgreedRefundFen = 16;
    /// <summary>The compensation part of it.</summary>
    public const int AgreedCompensationFen = 17;
    /// <summary>Resolved with a CNY amount.</summary>
    public const int SettlementsWithAmount = 18;
    /// <summary>Resolved with an amount in another currency.</summary>
    public const int SettlementsOtherCurrency = 19;
    /// <summary>Has a first response (population of the first-response histogram).</summary>
    public const int FirstResponded = 20;
    /// <summary>First bucket of the first-response-time histogram.</summary>
    public const int FirstResponseBuckets = 21;
    /// <summary>First bucket of the time-to-close histogram.</summary>
    public static readonly int TimeToCloseBuckets = FirstResponseBuckets + DurationHistogram.Buckets;
    /// <summary>Length of the vector.</summary>
    public static readonly int Count = TimeToCloseBuckets + DurationHistogram.Buckets;

    /// <summary>Column names, by index (stable: they are the rollup tables' columns).</summary>
    public static readonly IReadOnlyList<string> Columns = BuildColumns();

    private static string[] BuildColumns()
    {
        string[] named =
        [
            "opened", "still_open", "resolved_negotiation", "resolved_mediation", "unresolved", "withdrawn",
            "escalated", "auto_escalated", "routed_to_merchant", "fr_on_time", "fr_late", "answered_same_day",
            "closed_on_time", "rated", "rating_sum", "agreed_fen", "agreed_refund_fen", "agreed_comp_fen",
            "settled_with_amount", "settled_other_currency", "fr_count",
        ];
        var columns = new string[Count];
        named.CopyTo(columns, 0);
        for (var i = 0; i < DurationHistogram.Buckets; i++)
        {
            columns[FirstResponseBuckets + i] = $"fr_b{i:00}";
            columns[TimeToCloseBuckets + i] = $"ttc_b{i:00}";
        }
        return columns;
    }

    /// <summary>The vector of one dispute in its current state.</summary>
    public static long[] Of(Dispute d)
    {
        var v = new long[Count];
        var closed = d.Status.IsClosed();
        v[Opened] = 1;
        v[StillOpen] = closed ? 0 : 1;
        switch (d.Outcome)
        {
            case Outcome.ResolvedByNegotiation: v[ResolvedByNegotiation] = 1; break;
            case Outcome.ResolvedByMediation: v[ResolvedByMediation] = 1; break;
            case Outcome.Unresolved: v[Unresolved] = 1; break;
            case Outcome.Withdrawn: v[Withdrawn] = 1; break;
        }
        v[Escalated] = d.EscalatedAt is null ? 0 : 1;
        v[AutoEscalated] = d.EscalationReason is EscalationReason.FirstResponseOverdue or EscalationReason.NegotiationExpired ? 1 : 0;
        v[RoutedToMerchant] = d.MerchantEnrolled ? 1 : 0;
        // Whole Unix milliseconds, as stored: the raw SQL compares and subtracts the stored columns,
        // so finer ticks (which Clock.Now never produces) could otherwise land in another bucket.
        var created = Ms(d.CreatedAt);
        var firstDue = Ms(d.FirstResponseDueAt);
        if (d.FirstResponseAt is { } responseAt)
        {
            var response = Ms(responseAt);
            v[FirstResponseOnTime] = response <= firstDue ? 1 : 0;
            v[FirstResponseLate] = response > firstDue ? 1 : 0;
            v[AnsweredSameDay] = ReportingCalendar.DayOfUnixMs(response) == ReportingCalendar.DayOfUnixMs(created) ? 1 : 0;
            v[FirstResponded] = 1;
            v[FirstResponseBuckets + DurationHistogram.BucketOf(response - created)] = 1;
        }
        else if ((d.EscalatedAt ?? d.ClosedAt) is { } left && Ms(left) >= firstDue)
        {
            v[FirstResponseLate] = 1;
        }
        if (d.ClosedAt is { } closedAt)
        {
            v[ClosedOnTime] = Ms(closedAt) <= Ms(d.NegotiationDueAt) ? 1 : 0;
            v[TimeToCloseBuckets + DurationHistogram.BucketOf(Ms(closedAt) - created)] = 1;
        }
        if (d.SatisfactionRating > 0)
        {
            v[Rated] = 1;
            v[RatingSum] = d.SatisfactionRating;
        }
        if (d.Outcome is Outcome.ResolvedByNegotiation or Outcome.ResolvedByMediation && d.Settlement?.Amount is { } amount)
        {
            if (amount.Currency == "CNY")
            {
                v[SettlementsWithAmount] = 1;
                v[AgreedFen] = amount.MinorUnits;
                v[AgreedRefundFen] = IsRefund(d.Settlement.Remedy) ? amount.MinorUnits : 0;
                v[AgreedCompensationFen] = d.Settlement.Remedy == Remedy.Compensation ? amount.MinorUnits : 0;
            }
            else
            {
                v[SettlementsOtherCurrency] = 1;
            }
        }
        return v;
    }

    /// <summary>The remedies counted as refunds.</summary>
    public static bool IsRefund(Remedy r) => r is Remedy.FullRefund or Remedy.PartialRefund or Remedy.ReturnAndRefund;

    private static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();
}
