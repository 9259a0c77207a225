namespace ResolutionGateway.Hosting;

/// <summary>Settings of the deadline worker (configuration section "Deadlines").</summary>
public sealed class DeadlineOptions
{
    public const string SectionName = "Deadlines";

    /// <summary>Run the worker on this node (every node may: timers are claimed per dispute).</summary>
    public bool Enforce { get; set; } = true;

    /// <summary>How often due timers are looked for; a deadline fires at most this late.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Disputes handled per pass.</summary>
    public int BatchSize { get; set; } = 200;
}
