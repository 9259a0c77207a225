namespace ResolutionGateway.Core.Reporting;

/// <summary>
/// Fixed buckets for response and closing times. Rollups store a count per bucket, so any group's
/// percentiles can be estimated by summing the buckets; the bounds are part of the stored data and
/// must never change for a deployed store (add a new histogram instead).
/// </summary>
public static class DurationHistogram
{
    /// <summary>
    /// Upper bounds (exclusive) in seconds: bucket i holds durations in [Bounds[i-1], Bounds[i]);
    /// the last bucket, index <see cref="Buckets"/> − 1, holds everything from the last bound on.
    /// Dense where the deadlines are (same day, 72 h, 96 h, 7 and 14 days).
    /// </summary>
    public static readonly IReadOnlyList<long> Bounds =
    [
        60, 300, 900, 1_800, 3_600, 7_200, 14_400, 28_800, 43_200, 86_400,
        129_600, 172_800, 259_200, 345_600, 432_000, 604_800, 864_000, 1_209_600, 1_814_400, 2_592_000, 5_184_000,
    ];

    /// <summary>Number of buckets (one more than bounds).</summary>
    public static int Buckets => Bounds.Count + 1;

    /// <summary>The bucket of a duration in milliseconds (negative durations, from clock skew between nodes, fall in bucket 0).</summary>
    public static int BucketOf(long durationMs)
    {
        for (var i = 0; i < Bounds.Count; i++)
        {
            if (durationMs < Bounds[i] * 1000)
            {
                return i;
            }
        }
        return Bounds.Count;
    }

    /// <summary>
    /// The <paramref name="quantile"/> (0..1) of the durations counted in <paramref name="counts"/>,
    /// in seconds: the bucket holding the rank ⌈q·n⌉, interpolated linearly inside it. For the
    /// open-ended last bucket its lower bound is returned. 0 when there are no durations.
    /// </summary>
    public static long Percentile(ReadOnlySpan<long> counts, double quantile)
    {
        long total = 0;
        foreach (var c in counts)
        {
            total += c;
        }
        if (total <= 0)
        {
            return 0;
        }
        var rank = Math.Max(1, (long)Math.Ceiling(quantile * total));
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            if (counts[i] <= 0 || seen + counts[i] < rank)
            {
                seen += Math.Max(0, counts[i]);
                continue;
            }
            var lower = i == 0 ? 0 : Bounds[i - 1];
            if (i >= Bounds.Count)
            {
                return lower;
            }
            var upper = Bounds[i];
            var fraction = (rank - seen) / (double)counts[i];
            return lower + (long)Math.Round((upper - lower) * fraction);
        }
        return Bounds[^1];
    }
}
