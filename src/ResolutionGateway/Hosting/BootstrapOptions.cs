namespace ResolutionGateway.Hosting;

/// <summary>First start (section "Bootstrap").</summary>
public sealed class BootstrapOptions
{
    public const string SectionName = "Bootstrap";

    /// <summary>
    /// Where the first admin key is saved (mode 600) for rgctl; "admin-key" in the data directory when
    /// not configured, and "" saves none (the key is only shown on the console).
    /// </summary>
    public string? AdminKeyFile { get; set; }
}
