namespace ResolutionGateway.Hosting;

/// <summary>Schema migrations (section "Migrations").</summary>
public sealed class MigrationOptions
{
    public const string SectionName = "Migrations";

    /// <summary>List the pending migrations and exit instead of migrating and serving.</summary>
    public bool DryRun { get; set; }
}
