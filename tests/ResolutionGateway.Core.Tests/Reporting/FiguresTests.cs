using ResolutionGateway.Core.Reporting;

namespace ResolutionGateway.Core.Tests.Reporting;

public sealed class FiguresTests
{
    private static StatsRow Row(params (Measure Measure, long Sum)[] sums)
    {
        var v = new long[Measures.Count];
        foreach (var (m, sum) in sums)
        {
            v[m.Index] = sum;
        }
        return new StatsRow([], v);
    }

    [Fact]
    public void Reported_Names_Unique()
    {
        Assert.Equal(Figures.Reported.Count, Figures.Reported.Select(f => f.Name).Distinct().Count());
    }

    [Fact]
    public void Reported_EveryReportedMeasure_AsItsSum()
    {
        var row = new StatsRow([], Enumerable.Range(1, Measures.Count).Select(i => (long)i).ToArray());

        foreach (var m in Measures.All.Where(m => m.Reported))
        {
            var figure = Assert.Single(Figures.Reported, f => f.Name == m.Name);
            Assert.Equal(m.Index + 1L, figure.ValueOf(row));
        }
        Assert.DoesNotContain(Figures.Reported, f => f.Name is "rating_sum" or "first_response_time" or "time_to_close");
    }

    [Fact]
    public void Ratios_ZeroDenominator_Zero()
    {
        var row = Row((Measures.Opened, 3), (Measures.RatingSum, 9));

        Assert.Equal(0, Figures.ResolutionRate.Of(row));
        Assert.Equal(0, Figures.AverageSatisfaction.Of(row));
        Assert.Equal(0, Figures.OnTimeCompletionRate.Of(row));
    }

    [Fact]
    public void Figures_FromSums_CountsRatesAndAverage()
    {
        var row = Row((Measures.Opened, 10), (Measures.Escalated, 4), (Measures.ResolvedByMediation, 3), (Measures.Unresolved, 1),
            (Measures.Withdrawn, 2), (Measures.ClosedOnTime, 5), (Measures.Rated, 4), (Measures.RatingSum, 18));

        Assert.Equal(6, Figures.Closed.Of(row));
        Assert.Equal(4, Figures.Concluded.Of(row));
        Assert.Equal(0.75, Figures.MediationSuccessRate.Of(row));
        Assert.Equal(5 / 6.0, Figures.OnTimeCompletionRate.Of(row), 12);
        Assert.Equal(0.4, Figures.EscalationRate.Of(row), 12);
        Assert.Equal(4.5, Figures.AverageSatisfaction.Of(row));
    }

    [Fact]
    public void Percentiles_FromTheirHistogramsBuckets()
    {
        var v = new long[Measures.Count];
        v[Measures.FirstResponseBuckets.Index + 0] = 1; // [0, 60 s)
        v[Measures.FirstResponseBuckets.Index + 1] = 1; // [60 s, 300 s)
        v[Measures.TimeToCloseBuckets.Index + 9] = 2;   // [12 h, 24 h)
        var row = new StatsRow([], v);

        Assert.Equal(60, Figures.FirstResponseP50Seconds.Of(row));
        Assert.Equal(300, Figures.FirstResponseP90Seconds.Of(row));
        Assert.Equal(64_800, Figures.TimeToCloseP50Seconds.Of(row));
        Assert.Equal(DurationHistogram.Percentile(row.SumsOf(Measures.TimeToCloseBuckets), 0.9), Figures.TimeToCloseP90Seconds.Of(row));
    }

    [Fact]
    public void Indexer_Histogram_Refused()
    {
        var row = Row();

        Assert.Throws<ArgumentException>(() => row[Measures.FirstResponseBuckets]);
    }
}
