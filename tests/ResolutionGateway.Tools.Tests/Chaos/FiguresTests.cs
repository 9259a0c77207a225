using ResolutionGateway.Tools.Chaos;

namespace ResolutionGateway.Tools.Tests.Chaos;

public sealed class FiguresTests
{
    [Fact]
    public void MaxGap_NoAckInWindow_WholeWindow()
    {
        Assert.Equal(50, Figures.MaxGap([5, 200], from: 100, to: 150));
    }

    [Fact]
    public void MaxGap_AcksInside_LongestStretchCountingTheEdges()
    {
        // 100 → 110 → 112 → 140 → (end) 145: the longest stretch is 112 → 140.
        Assert.Equal(28, Figures.MaxGap([140, 110, 112], from: 100, to: 145));
    }

    [Fact]
    public void MaxGap_LastAckLongBeforeEnd_GapRunsToTheEnd()
    {
        Assert.Equal(80, Figures.MaxGap([105, 120], from: 100, to: 200));
    }

    [Fact]
    public void P99_Empty_Zero()
    {
        Assert.Equal(0, Figures.P99([]));
    }

    [Fact]
    public void P99_HundredValues_NinetyNinthByRank()
    {
        var values = Enumerable.Range(1, 100).Select(i => (double)i).Reverse();

        Assert.Equal(99, Figures.P99(values));
    }

    [Fact]
    public void MeetsTargets_GapOverFiveSeconds_False()
    {
        var r = new FaultResult("kill", 0, 0, 0, 0, 0, max_write_gap_s: 5.01, 1, 1);

        Assert.False(r.MeetsTargets);
        Assert.True(r with { max_write_gap_s = 5 } is { MeetsTargets: true });
    }

    [Fact]
    public void MeetsTargets_OneWebhookMissing_False()
    {
        Assert.False(new FaultResult("kill", 0, 0, 0, 0, webhooks_missing: 1, 0.5, 1, 1).MeetsTargets);
    }
}
