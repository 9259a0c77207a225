namespace ResolutionGateway.Quotas;

/// <summary>The "Quotas" section: per-role defaults of every key's quota.</summary>
public sealed class QuotaOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Quotas";

    /// <summary>False turns quotas off (the load generator measures capacity with one key per party).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Defaults by role name (Channel, Merchant, Regulator, Analyst); a role without an entry is not limited. Admin keys never are.</summary>
    public Dictionary<string, RoleQuota> Roles { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long a node keeps a key's override (SetKeyQuota) before reading it again; the node that sets it drops it at once.</summary>
    public TimeSpan OverrideRefresh { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>One role's default quota per key.</summary>
public sealed class RoleQuota
{
    /// <summary>Sustained calls per second per key, across nodes.</summary>
    public double RequestsPerSecond { get; set; }

    /// <summary>Calls allowed at once above the rate (the bucket size).</summary>
    public int Burst { get; set; }

    /// <summary>Concurrent streams (WatchDispute, WatchDisputes, ExportOutcomes) per key, across nodes; 0 forbids them.</summary>
    public int Streams { get; set; }
}
