using ResolutionGateway.Core.Disputes;

namespace ResolutionGateway.Core.Reporting;

/// <summary>
/// The measure table: what one dispute contributes to a rollup row, declared once per measure (its
/// name, its rollup column(s), and a function of the dispute's state). The vector layout
/// (<see cref="Measure.Index"/>, <see cref="Count"/>, <see cref="Columns"/>) and <see cref="Of"/> are
/// derived from it, the rollup SQL reads <see cref="Columns"/>, and the gRPC mapper sets every
/// reported measure's StatsRow field by its name (<see cref="Figures.Reported"/>). A rollup row is
/// the sum of the vectors of its disputes, so every reported figure is a sum or a ratio of sums.
/// </summary>
/// <remarks>
/// Adding a measure: one entry here, its field on resolution.v1.StatsRow (the definition is
/// documented there), and a migration per dialect adding its column(s) to report_rollups. The raw
/// GROUP BY baseline (tests/ResolutionGateway.Reporting.Baseline) restates each definition in SQL
/// and its tests fail until the new one is written there too.
/// </remarks>
public static class Measures
{
    // The entries are appended in declaration order (static fields initialise in textual order),
    // which is the vector order; Count, Columns and All are declared after the last entry.
    private static readonly List<Measure> Table = [];

    /// <summary>1 per dispute.</summary>
    public static readonly Measure Opened = Counter("opened", "opened", _ => 1);
    /// <summary>1 while the dispute is not closed.</summary>
    public static readonly Measure StillOpen = Counter("open", "still_open", d => d.Status.IsClosed() ? 0 : 1);
    /// <summary>Outcome RESOLVED_BY_NEGOTIATION.</summary>
    public static readonly Measure ResolvedByNegotiation = Counter("resolved_by_negotiation", "resolved_negotiation", d => Flag(d.Outcome == Outcome.ResolvedByNegotiation));
    /// <summary>Outcome RESOLVED_BY_MEDIATION.</summary>
    public static readonly Measure ResolvedByMediation = Counter("resolved_by_mediation", "resolved_mediation", d => Flag(d.Outcome == Outcome.ResolvedByMediation));
    /// <summary>Outcome UNRESOLVED.</summary>
    public static readonly Measure Unresolved = Counter("unresolved", "unresolved", d => Flag(d.Outcome == Outcome.Unresolved));
    /// <summary>Outcome WITHDRAWN.</summary>
    public static readonly Measure Withdrawn = Counter("withdrawn", "withdrawn", d => Flag(d.Outcome == Outcome.Withdrawn));
    /// <summary>Escalated for any reason.</summary>
    public static readonly Measure Escalated = Counter("escalated", "escalated", d => Flag(d.EscalatedAt is not null));
    /// <summary>Escalated by the system for a missed deadline.</summary>
    public static readonly Measure AutoEscalated = Counter("auto_escalated", "auto_escalated",
        d => Flag(d.EscalationReason is EscalationReason.FirstResponseOverdue or EscalationReason.NegotiationExpired));
    /// <summary>The merchant was enrolled when the dispute opened.</summary>
    public static readonly Measure RoutedToMerchant = Counter("routed_to_merchant", "routed_to_merchant", d => Flag(d.MerchantEnrolled));
    /// <summary>First response at or before its deadline.</summary>
    public static readonly Measure FirstResponseOnTime = Counter("first_response_on_time", "fr_on_time",
        d => Flag(d.FirstResponseAt is { } response && Ms(response) <= Ms(d.FirstResponseDueAt)));
    /// <summary>First response after the deadline, or none and left "awaiting the merchant" at or after it.</summary>
    public static readonly Measure FirstResponseLate = Counter("first_response_late", "fr_late", d => Flag(d.FirstResponseAt is { } response
        ? Ms(response) > Ms(d.FirstResponseDueAt)
        : (d.EscalatedAt ?? d.ClosedAt) is { } left && Ms(left) >= Ms(d.FirstResponseDueAt)));
    /// <summary>First response on the opening's reporting day.</summary>
    public static readonly Measure AnsweredSameDay = Counter("answered_same_day", "answered_same_day",
        d => Flag(d.FirstResponseAt is { } response && ReportingCalendar.DayOfUnixMs(Ms(response)) == ReportingCalendar.DayOfUnixMs(Ms(d.CreatedAt))));
    /// <summary>Closed at or before the end of the negotiation window.</summary>
    public static readonly Measure ClosedOnTime = Counter("closed_on_time", "closed_on_time",
        d => Flag(d.ClosedAt is { } closedAt && Ms(closedAt) <= Ms(d.NegotiationDueAt)));
    /// <summary>Rated by the consumer.</summary>
    public static readonly Measure Rated = Counter("rated", "rated", d => Flag(d.SatisfactionRating > 0));
    /// <summary>Sum of the ratings (for the average).</summary>
    public static readonly Measure RatingSum = Counter("rating_sum", "rating_sum", d => d.SatisfactionRating > 0 ? d.SatisfactionRating : 0, reported: false);
    /// <summary>Agreed CNY amount, fen.</summary>
    public static readonly Measure AgreedFen = Counter("agreed_amount_fen", "agreed_fen", d => AgreedCny(d) ?? 0);
    /// <summary>The refund part of it.</summary>
    public static readonly Measure AgreedRefundFen = Counter("agreed_refund_fen", "agreed_refund_fen",
        d => AgreedCny(d) is { } fen && IsRefund(d.Settlement!.Remedy) ? fen : 0);
    /// <summary>The compensation part of it.</summary>
    public static readonly Measure AgreedCompensationFen = Counter("agreed_compensation_fen", "agreed_comp_fen",
        d => AgreedCny(d) is { } fen && d.Settlement!.Remedy == Remedy.Compensation ? fen : 0);
    /// <summary>Resolved with a CNY amount.</summary>
    public static readonly Measure SettlementsWithAmount = Counter("settlements_with_amount", "settled_with_amount", d => Flag(AgreedCny(d) is not null));
    /// <summary>Resolved with an amount in another currency.</summary>
    public static readonly Measure SettlementsOtherCurrency = Counter("settlements_other_currency", "settled_other_currency",
        d => Flag(IsResolved(d) && d.Settlement?.Amount is { } amount && amount.Currency != "CNY"));
    /// <summary>Has a first response (population of the first-response histogram).</summary>
    public static readonly Measure FirstResponded = Counter("first_responded", "fr_count", d => Flag(d.FirstResponseAt is not null));
    /// <summary>First-response-time histogram (opening to first response).</summary>
    public static readonly Measure FirstResponseBuckets = Histogram("first_response_time", "fr_b",
        d => d.FirstResponseAt is { } response ? Ms(response) - Ms(d.CreatedAt) : null);
    /// <summary>Time-to-close histogram (opening to closing).</summary>
    public static readonly Measure TimeToCloseBuckets = Histogram("time_to_close", "ttc_b",
        d => d.ClosedAt is { } closedAt ? Ms(closedAt) - Ms(d.CreatedAt) : null);

    // ---- derived from the entries above (keep below them) ----

    /// <summary>Every measure, in vector order.</summary>
    public static readonly IReadOnlyList<Measure> All = Table.ToArray();

    /// <summary>Length of the vector.</summary>
    public static readonly int Count = All.Sum(m => m.Width);

    /// <summary>Column names, by vector index (stable: they are the rollup tables' columns).</summary>
    public static readonly IReadOnlyList<string> Columns = All.SelectMany(m => m.Columns).ToArray();

    /// <summary>The vector of one dispute in its current state.</summary>
    public static long[] Of(Dispute d)
    {
        var v = new long[Count];
        foreach (var m in All)
        {
            m.Contribute(d, v);
        }
        return v;
    }

    /// <summary>The remedies counted as refunds.</summary>
    public static bool IsRefund(Remedy r) => r is Remedy.FullRefund or Remedy.PartialRefund or Remedy.ReturnAndRefund;

    private static Measure Counter(string name, string column, Func<Dispute, long> value, bool reported = true) =>
        Add(Measure.Counter(NextIndex(), name, column, reported, value));

    private static Measure Histogram(string name, string columnPrefix, Func<Dispute, long?> durationMs) =>
        Add(Measure.Histogram(NextIndex(), name, columnPrefix, durationMs));

    private static int NextIndex() => Table.Count == 0 ? 0 : Table[^1].Index + Table[^1].Width;

    private static Measure Add(Measure m)
    {
        Table.Add(m);
        return m;
    }

    private static long Flag(bool b) => b ? 1 : 0;

    private static bool IsResolved(Dispute d) => d.Outcome is Outcome.ResolvedByNegotiation or Outcome.ResolvedByMediation;

    // The CNY amount of a resolved dispute's settlement, fen; null when it has none or another currency.
    private static long? AgreedCny(Dispute d) => IsResolved(d) && d.Settlement?.Amount is { Currency: "CNY" } amount ? amount.MinorUnits : null;

    // Whole Unix milliseconds, as stored: the raw SQL compares and subtracts the stored columns,
    // so finer ticks (which Clock.Now never produces) could otherwise land in another bucket.
    private static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();
}
