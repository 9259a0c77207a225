namespace ResolutionGateway.Core.Reporting;

/// <summary>A figure of resolution.v1.StatsRow, computed from one group's summed measures.</summary>
public abstract class Figure
{
    private protected Figure(string name) => Name = name;

    /// <summary>The resolution.v1.StatsRow field (proto name) that carries it.</summary>
    public string Name { get; }

    /// <summary>The figure's value in <paramref name="row"/>, boxed as its type (long or double), for mappers that set fields by name.</summary>
    public abstract object ValueOf(StatsRow row);

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>A figure whose values are of type <typeparamref name="T"/> (long for counts, sums and seconds; double for rates and averages).</summary>
public sealed class Figure<T> : Figure where T : struct
{
    private readonly Func<StatsRow, T> _of;

    internal Figure(string name, Func<StatsRow, T> of) : base(name) => _of = of;

    /// <summary>The figure's value in <paramref name="row"/>.</summary>
    public T Of(StatsRow row) => _of(row);

    /// <inheritdoc />
    public override object ValueOf(StatsRow row) => _of(row);
}

/// <summary>
/// The figures of resolution.v1.StatsRow (definitions documented there): the sum of every reported
/// measure (<see cref="Measure.Reported"/>), and the figures derived from the measures below (sums of
/// counters, rates, percentiles from histogram buckets, an average). A rate whose denominator is 0 is 0.
/// </summary>
public static class Figures
{
    // As in Measures: entries are appended in declaration order; Reported is declared after them.
    private static readonly List<Figure> Derived = [];

    /// <summary>Closed (all outcomes).</summary>
    public static readonly Figure<long> Closed = Whole("closed",
        r => r[Measures.ResolvedByNegotiation] + r[Measures.ResolvedByMediation] + r[Measures.Unresolved] + r[Measures.Withdrawn]);
    /// <summary>Closed, not withdrawn.</summary>
    public static readonly Figure<long> Concluded = Whole("concluded",
        r => r[Measures.ResolvedByNegotiation] + r[Measures.ResolvedByMediation] + r[Measures.Unresolved]);

    /// <summary>resolved_by_negotiation / concluded.</summary>
    public static readonly Figure<double> NegotiationSettlementRate = Ratio("negotiation_settlement_rate",
        r => r[Measures.ResolvedByNegotiation], Concluded.Of);
    /// <summary>(negotiation + mediation) / concluded.</summary>
    public static readonly Figure<double> ResolutionRate = Ratio("resolution_rate",
        r => r[Measures.ResolvedByNegotiation] + r[Measures.ResolvedByMediation], Concluded.Of);
    /// <summary>mediation / (mediation + unresolved).</summary>
    public static readonly Figure<double> MediationSuccessRate = Ratio("mediation_success_rate",
        r => r[Measures.ResolvedByMediation], r => r[Measures.ResolvedByMediation] + r[Measures.Unresolved]);
    /// <summary>on time / (on time + late).</summary>
    public static readonly Figure<double> OnTimeFirstResponseRate = Ratio("on_time_first_response_rate",
        r => r[Measures.FirstResponseOnTime], r => r[Measures.FirstResponseOnTime] + r[Measures.FirstResponseLate]);
    /// <summary>closed on time / closed.</summary>
    public static readonly Figure<double> OnTimeCompletionRate = Ratio("on_time_completion_rate", r => r[Measures.ClosedOnTime], Closed.Of);
    /// <summary>same day / routed to merchant.</summary>
    public static readonly Figure<double> SameDayAnswerRate = Ratio("same_day_answer_rate", r => r[Measures.AnsweredSameDay], r => r[Measures.RoutedToMerchant]);
    /// <summary>escalated / opened.</summary>
    public static readonly Figure<double> EscalationRate = Ratio("escalation_rate", r => r[Measures.Escalated], r => r[Measures.Opened]);

    /// <summary>Median first-response time, seconds.</summary>
    public static readonly Figure<long> FirstResponseP50Seconds = Percentile("first_response_p50_seconds", Measures.FirstResponseBuckets, 0.5);
    /// <summary>90th percentile first-response time, seconds.</summary>
    public static readonly Figure<long> FirstResponseP90Seconds = Percentile("first_response_p90_seconds", Measures.FirstResponseBuckets, 0.9);
    /// <summary>Median time to close, seconds.</summary>
    public static readonly Figure<long> TimeToCloseP50Seconds = Percentile("time_to_close_p50_seconds", Measures.TimeToCloseBuckets, 0.5);
    /// <summary>90th percentile time to close, seconds.</summary>
    public static readonly Figure<long> TimeToCloseP90Seconds = Percentile("time_to_close_p90_seconds", Measures.TimeToCloseBuckets, 0.9);

    /// <summary>Mean rating over the rated.</summary>
    public static readonly Figure<double> AverageSatisfaction = Ratio("average_satisfaction", r => r[Measures.RatingSum], r => r[Measures.Rated]);

    /// <summary>cases_accepted + cases_refused.</summary>
    public static readonly Figure<long> CasesDecided = Whole("cases_decided", r => r[Measures.CasesAccepted] + r[Measures.CasesRefused]);
    /// <summary>cases_accepted / cases_decided (受理率).</summary>
    public static readonly Figure<double> CaseAcceptanceRate = Ratio("case_acceptance_rate", r => r[Measures.CasesAccepted], CasesDecided.Of);
    /// <summary>mediations_concluded_on_time / mediations_concluded.</summary>
    public static readonly Figure<double> MediationOnTimeRate = Ratio("mediation_on_time_rate",
        r => r[Measures.MediationsConcludedOnTime], r => r[Measures.MediationsConcluded]);
    /// <summary>mediations_resolved / mediations_concluded (调解成功率 over accepted cases).</summary>
    public static readonly Figure<double> AcceptedMediationSuccessRate = Ratio("accepted_mediation_success_rate",
        r => r[Measures.MediationsResolved], r => r[Measures.MediationsConcluded]);
    /// <summary>executed on time / (on time + late).</summary>
    public static readonly Figure<double> SettlementOnTimeRate = Ratio("settlement_on_time_rate",
        r => r[Measures.SettlementsExecutedOnTime], r => r[Measures.SettlementsExecutedOnTime] + r[Measures.SettlementsExecutedLate]);
    /// <summary>reopened / closed_with_settlement.</summary>
    public static readonly Figure<double> ReopenRate = Ratio("reopen_rate", r => r[Measures.Reopened], r => r[Measures.ClosedWithSettlement]);

    /// <summary>Every figure of resolution.v1.StatsRow: each reported measure's sum, then the derived figures.</summary>
    public static readonly IReadOnlyList<Figure> Reported =
        [.. Measures.All.Where(m => m.Reported).Select(m => new Figure<long>(m.Name, r => r[m])), .. Derived];

    private static Figure<long> Whole(string name, Func<StatsRow, long> of) => Add(new Figure<long>(name, of));

    private static Figure<double> Ratio(string name, Func<StatsRow, long> numerator, Func<StatsRow, long> denominator) =>
        Add(new Figure<double>(name, r => denominator(r) is var d && d > 0 ? numerator(r) / (double)d : 0));

    private static Figure<long> Percentile(string name, Measure histogram, double quantile) =>
        Add(new Figure<long>(name, r => DurationHistogram.Percentile(r.SumsOf(histogram), quantile)));

    private static Figure<T> Add<T>(Figure<T> f) where T : struct
    {
        Derived.Add(f);
        return f;
    }
}
