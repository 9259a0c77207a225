namespace ResolutionGateway.Core.UseCases;

/// <summary>Time at the precision we store (milliseconds), so states rebuilt from the log equal stored ones.</summary>
public static class Clock
{
    /// <summary>Now, truncated to whole milliseconds.</summary>
    public static DateTimeOffset Now(TimeProvider time) =>
        DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
}
