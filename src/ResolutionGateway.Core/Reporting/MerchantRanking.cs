namespace ResolutionGateway.Core.Reporting;

/// <summary>What a merchant ranking is ordered by (resolution.v1.RankingOrder, same numbers).</summary>
public enum RankingOrder
{
    /// <summary>Not set: the negotiation settlement rate.</summary>
    Unspecified = 0,
    /// <summary>Most disputes received first.</summary>
    DisputesReceived = 1,
    /// <summary>Shortest median first response first (merchants without any response last).</summary>
    FirstResponseMedian = 2,
    /// <summary>Highest share answered on time first.</summary>
    OnTimeRate = 3,
    /// <summary>Highest negotiation settlement rate first.</summary>
    NegotiationSettlementRate = 4,
    /// <summary>Most overdue first responses first.</summary>
    Overdue = 5,
    /// <summary>Highest average satisfaction first.</summary>
    AverageSatisfaction = 6,
}

/// <summary>
/// One merchant's line in a ranking: aggregates of the rollups only (no dispute, consumer or
/// free text), each figure as StatsRow defines it.
/// </summary>
public sealed record MerchantRanking(
    int Rank,
    string MerchantId,
    long DisputesReceived,
    long FirstResponded,
    long FirstResponseMedianSeconds,
    double OnTimeFirstResponseRate,
    long Concluded,
    double NegotiationSettlementRate,
    long Overdue,
    long Rated,
    double AverageSatisfaction)
{
    /// <summary>The merchant's line from its group's figures (rank 0 until ordered).</summary>
    public static MerchantRanking From(string merchantId, StatsRow r) => new(
        0,
        merchantId,
        r[Measures.Opened],
        r[Measures.FirstResponded],
        Figures.FirstResponseP50Seconds.Of(r),
        Figures.OnTimeFirstResponseRate.Of(r),
        Figures.Concluded.Of(r),
        Figures.NegotiationSettlementRate.Of(r),
        r[Measures.FirstResponseLate],
        r[Measures.Rated],
        Figures.AverageSatisfaction.Of(r));

    /// <summary>
    /// Orders lines best first by <paramref name="order"/>, ties by merchant id, and numbers them
    /// from 1 (equal figures get distinct ranks, in merchant id order).
    /// </summary>
    public static IReadOnlyList<MerchantRanking> Order(IEnumerable<MerchantRanking> lines, RankingOrder order)
    {
        var sorted = order switch
        {
            RankingOrder.DisputesReceived => lines.OrderByDescending(l => l.DisputesReceived),
            // No response yet: no median, ranked after every merchant that has one.
            RankingOrder.FirstResponseMedian => lines.OrderBy(l => l.FirstResponded == 0).ThenBy(l => l.FirstResponseMedianSeconds),
            RankingOrder.OnTimeRate => lines.OrderByDescending(l => l.OnTimeFirstResponseRate),
            RankingOrder.Overdue => lines.OrderByDescending(l => l.Overdue),
            RankingOrder.AverageSatisfaction => lines.OrderByDescending(l => l.AverageSatisfaction),
            _ => lines.OrderByDescending(l => l.NegotiationSettlementRate),
        };
        return sorted.ThenBy(l => l.MerchantId, StringComparer.Ordinal).Select((l, i) => l with { Rank = i + 1 }).ToArray();
    }
}
