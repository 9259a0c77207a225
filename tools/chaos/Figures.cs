namespace ResolutionGateway.Tools.Chaos;

/// <summary>The two timing figures of a fault, from the acknowledgements' timestamps and latencies.</summary>
public static class Figures
{
    /// <summary>
    /// The longest stretch without an acknowledged write inside [from, to], counting from the window's
    /// edges (no write at all is a gap of the whole window). Timestamps in any one unit.
    /// </summary>
    public static long MaxGap(IEnumerable<long> acks, long from, long to)
    {
        var times = acks.Where(t => t > from && t <= to).Order().Prepend(from).Append(to).ToList();
        var max = 0L;
        for (var i = 1; i < times.Count; i++)
        {
            max = Math.Max(max, times[i] - times[i - 1]);
        }
        return max;
    }

    /// <summary>The 99th percentile (nearest rank); 0 when there is nothing to rank.</summary>
    public static double P99(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[(int)Math.Ceiling(sorted.Count * 0.99) - 1];
    }
}
