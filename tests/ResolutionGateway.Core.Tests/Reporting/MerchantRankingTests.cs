using ResolutionGateway.Core.Reporting;

namespace ResolutionGateway.Core.Tests.Reporting;

/// <summary><see cref="MerchantRanking.Order"/>: best first by the chosen figure, ties by merchant id, ranks from 1.</summary>
public sealed class MerchantRankingTests
{
    private static MerchantRanking Line(string id, long received = 10, long responded = 10, long medianSeconds = 600, double onTime = 1,
        double settled = 0.5, long overdue = 0, double satisfaction = 4) =>
        new(0, id, received, responded, medianSeconds, onTime, 8, settled, overdue, 5, satisfaction);

    [Fact]
    public void Order_Unspecified_NegotiationSettlementRateDescendingTiesByMerchantId()
    {
        // Arrange
        MerchantRanking[] lines = [Line("b", settled: 0.9), Line("c", settled: 0.5), Line("a", settled: 0.9)];

        // Act
        var ranked = MerchantRanking.Order(lines, RankingOrder.Unspecified);

        // Assert
        Assert.Equal(["a", "b", "c"], ranked.Select(l => l.MerchantId));
        Assert.Equal([1, 2, 3], ranked.Select(l => l.Rank));
    }

    [Fact]
    public void Order_FirstResponseMedian_FastestFirstMerchantsWithoutResponseLast()
    {
        // Arrange: "silent" has no response, so its median (0) means nothing.
        MerchantRanking[] lines = [Line("slow", medianSeconds: 7200), Line("silent", responded: 0, medianSeconds: 0), Line("fast", medianSeconds: 60)];

        // Act
        var ranked = MerchantRanking.Order(lines, RankingOrder.FirstResponseMedian);

        // Assert
        Assert.Equal(["fast", "slow", "silent"], ranked.Select(l => l.MerchantId));
    }

    [Theory]
    [InlineData(RankingOrder.DisputesReceived, "x")]
    [InlineData(RankingOrder.OnTimeRate, "y")]
    [InlineData(RankingOrder.Overdue, "x")]
    [InlineData(RankingOrder.AverageSatisfaction, "y")]
    public void Order_ByFigure_BestFirst(RankingOrder order, string first)
    {
        // Arrange
        MerchantRanking[] lines =
        [
            Line("x", received: 50, onTime: 0.5, overdue: 9, satisfaction: 3),
            Line("y", received: 20, onTime: 0.9, overdue: 1, satisfaction: 5),
        ];

        // Act
        var ranked = MerchantRanking.Order(lines, order);

        // Assert
        Assert.Equal(first, ranked[0].MerchantId);
        Assert.Equal(1, ranked[0].Rank);
    }
}
