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

    // ---- the regulator's case (issue 17); CaseStatus stays ACCEPTED once mediation concludes ----

    /// <summary>Escalated and waiting for the regulator to accept or refuse it.</summary>
    public static readonly Measure CasesPending = Counter("cases_pending", "case_pending",
        d => Flag(d.Status == DisputeStatus.Escalated && d.CaseStatus == CaseStatus.Pending));
    /// <summary>Accepted by the regulator (受理).</summary>
    public static readonly Measure CasesAccepted = Counter("cases_accepted", "case_accepted", d => Flag(d.CaseStatus == CaseStatus.Accepted));
    /// <summary>Refused by the regulator (不予受理).</summary>
    public static readonly Measure CasesRefused = Counter("cases_refused", "case_refused", d => Flag(d.CaseStatus == CaseStatus.Refused));
    /// <summary>Accepted or refused after the acceptance deadline (the current one: a transfer restarts it).</summary>
    public static readonly Measure CasesDecidedLate = Counter("cases_decided_late", "case_decided_late", d => Flag(d.CaseAcceptDueAt is { } due && d.CaseStatus switch
    {
        CaseStatus.Accepted => d.CaseAcceptedAt is { } accepted && Ms(accepted) > Ms(due),
        CaseStatus.Refused => d.ClosedAt is { } refused && Ms(refused) > Ms(due),
        _ => false,
    }));
    /// <summary>Accepted, and mediation concluded (outcome RESOLVED_BY_MEDIATION or UNRESOLVED; a withdrawal is not a conclusion).</summary>
    public static readonly Measure MediationsConcluded = Counter("mediations_concluded", "mediation_concluded", d => Flag(MediationConcluded(d)));
    /// <summary>Of those, concluded at or before the mediation deadline.</summary>
    public static readonly Measure MediationsConcludedOnTime = Counter("mediations_concluded_on_time", "mediation_on_time",
        d => Flag(MediationConcluded(d) && d.MediationDueAt is { } due && Ms(d.ClosedAt!.Value) <= Ms(due)));
    /// <summary>Accepted and resolved by mediation (调解成功).</summary>
    public static readonly Measure MediationsResolved = Counter("mediations_resolved", "mediation_resolved",
        d => Flag(d.CaseStatus == CaseStatus.Accepted && d.Outcome == Outcome.ResolvedByMediation));

    // ---- settlement execution and reopening (issue 17): the dispute's current settlement ----

    /// <summary>Resolved with a settlement that moves money, so with an execution deadline.</summary>
    public static readonly Measure SettlementsDue = Counter("settlements_due", "settle_due", d => Flag(d.ExecutionDueAt is not null));
    /// <summary>Execution recorded at or before the execution deadline.</summary>
    public static readonly Measure SettlementsExecutedOnTime = Counter("settlements_executed_on_time", "settle_on_time",
        d => Flag(d.ExecutionDueAt is { } due && d.Execution is { } x && Ms(x.RecordedAt) <= Ms(due)));
    /// <summary>Execution recorded after the deadline, or none recorded and the deadline passed (the overdue event recorded).</summary>
    public static readonly Measure SettlementsExecutedLate = Counter("settlements_executed_late", "settle_late",
        d => Flag(d.ExecutionDueAt is { } due && (d.Execution is { } x ? Ms(x.RecordedAt) > Ms(due) : d.ExecutionOverdue)));
    /// <summary>An execution was recorded by the merchant.</summary>
    public static readonly Measure ExecutionsRecorded = Counter("executions_recorded", "settle_recorded", d => Flag(d.Execution is not null));
    /// <summary>The consumer confirmed the money arrived.</summary>
    public static readonly Measure SettlementsReceived = Counter("settlements_received", "settle_received", d => Flag(d.Receipt == SettlementReceipt.Received));
    /// <summary>The consumer said the money did not arrive (and has not confirmed it since).</summary>
    public static readonly Measure SettlementsNotReceived = Counter("settlements_not_received", "settle_not_received",
        d => Flag(d.Receipt == SettlementReceipt.NotReceived));
    /// <summary>Reopened by the consumer at least once.</summary>
    public static readonly Measure Reopened = Counter("reopened", "reopened", d => Flag(d.ReopenCount > 0));
    /// <summary>Closed with an agreed settlement that moves money, now or before a reopening (the reopen rate's population).</summary>
    public static readonly Measure ClosedWithSettlement = Counter("closed_with_settlement", "closed_with_settlement",
        d => Flag(d.ExecutionDueAt is not null || d.ReopenCount > 0));

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

    private static bool MediationConcluded(Dispute d) =>
        d.CaseStatus == CaseStatus.Accepted && d.Outcome is Outcome.ResolvedByMediation or Outcome.Unresolved;

    private static bool IsResolved(Dispute d) => d.Outcome is Outcome.ResolvedByNegotiation or Outcome.ResolvedByMediation;

    // The CNY amount of a resolved dispute's settlement, fen; null when it has none or another currency.
    private static long? AgreedCny(Dispute d) => IsResolved(d) && d.Settlement?.Amount is { Currency: "CNY" } amount ? amount.MinorUnits : null;

    // Whole Unix milliseconds, as stored: the raw SQL compares and subtracts the stored columns,
    // so finer ticks (which Clock.Now never produces) could otherwise land in another bucket.
    private static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();
}
