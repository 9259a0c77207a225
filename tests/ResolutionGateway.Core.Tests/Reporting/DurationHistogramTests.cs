using ResolutionGateway.Core.Reporting;

namespace ResolutionGateway.Core.Tests.Reporting;

public sealed class DurationHistogramTests
{
    [Theory]
    [InlineData(-5_000, 0)]
    [InlineData(0, 0)]
    [InlineData(59_999, 0)]
    [InlineData(60_000, 1)]
    [InlineData(345_599_999, 13)]  // just under 96 h
    [InlineData(345_600_000, 14)]  // 96 h opens the next bucket
    [InlineData(5_184_000_000, 21)]
    [InlineData(long.MaxValue / 2, 21)]
    public void BucketOf_Duration_IsBucketWhoseBoundsHoldIt(long ms, int bucket)
    {
        Assert.Equal(bucket, DurationHistogram.BucketOf(ms));
    }

    [Fact]
    public void Bounds_AreStrictlyIncreasing()
    {
        for (var i = 1; i < DurationHistogram.Bounds.Count; i++)
        {
            Assert.True(DurationHistogram.Bounds[i] > DurationHistogram.Bounds[i - 1]);
        }
        Assert.Equal(DurationHistogram.Bounds.Count + 1, DurationHistogram.Buckets);
    }

    [Fact]
    public void Percentile_AllInOneBucket_InterpolatesInsideIt()
    {
        var counts = new long[DurationHistogram.Buckets];
        counts[3] = 4; // [900 s, 1800 s)
        Assert.Equal(1350, DurationHistogram.Percentile(counts, 0.5)); // rank 2 of 4
        Assert.Equal(1800, DurationHistogram.Percentile(counts, 0.9)); // rank 4 of 4
        Assert.Equal(1125, DurationHistogram.Percentile(counts, 0.25)); // rank 1 of 4
    }

    [Fact]
    public void Percentile_SpreadOverBuckets_FindsBucketOfRank()
    {
        var counts = new long[DurationHistogram.Buckets];
        counts[0] = 5;  // < 60 s
        counts[9] = 4;  // [12 h, 24 h)
        counts[13] = 1; // [72 h, 96 h)
        Assert.Equal(60, DurationHistogram.Percentile(counts, 0.5)); // rank 5 is the last of bucket 0
        Assert.Equal(43_200 + 43_200 * 3 / 4, DurationHistogram.Percentile(counts, 0.8)); // rank 8 = 3rd of 4 in bucket 9
        Assert.Equal(345_600, DurationHistogram.Percentile(counts, 1.0));
    }

    [Fact]
    public void Percentile_NoDurations_IsZero()
    {
        Assert.Equal(0, DurationHistogram.Percentile(new long[DurationHistogram.Buckets], 0.5));
    }

    [Fact]
    public void Percentile_RankInOpenEndedLastBucket_IsItsLowerBound()
    {
        var counts = new long[DurationHistogram.Buckets];
        counts[^1] = 3;
        Assert.Equal(DurationHistogram.Bounds[^1], DurationHistogram.Percentile(counts, 0.5));
    }
}
