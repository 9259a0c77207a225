using System.Diagnostics;

namespace ResolutionGateway.Tools.ReportBench.Bench;

/// <summary>Summary of a set of latencies, in milliseconds.</summary>
internal sealed record Summary(string Name, int Count, double MedianMs, double P90Ms, double MinMs, double MeanMs, double MaxMs)
{
    public static Summary Of(string name, IReadOnlyList<double> samples)
    {
        if (samples.Count == 0)
        {
            return new Summary(name, 0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }
        var sorted = samples.Order().ToArray();
        return new Summary(name, sorted.Length, Quantile(sorted, 0.5), Quantile(sorted, 0.9), sorted[0], sorted.Average(), sorted[^1]);
    }

    // Linear interpolation between closest ranks.
    private static double Quantile(double[] sorted, double q)
    {
        var pos = (sorted.Length - 1) * q;
        var lo = (int)Math.Floor(pos);
        var hi = (int)Math.Ceiling(pos);
        return sorted[lo] + ((sorted[hi] - sorted[lo]) * (pos - lo));
    }
}

/// <summary>Wall-clock timing of one call.</summary>
internal static class Clock
{
    public static async Task<(T Result, double Ms)> TimeAsync<T>(Func<Task<T>> call)
    {
        var start = Stopwatch.GetTimestamp();
        var result = await call();
        return (result, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }
}
