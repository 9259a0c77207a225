namespace ResolutionGateway.Infrastructure.Persistence;

/// <summary>Range bounds for a region-code prefix ("33" → ["33", "34")), so indexes serve prefix filters.</summary>
public static class RegionRange
{
    /// <summary>Lower (inclusive) and upper (exclusive) bound.</summary>
    public static (string Low, string High) Of(string prefix)
    {
        var next = (long.Parse(prefix) + 1).ToString().PadLeft(prefix.Length, '0');
        return (prefix, next);
    }
}
