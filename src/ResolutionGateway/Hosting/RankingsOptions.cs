namespace ResolutionGateway.Hosting;

/// <summary>Configuration section "Rankings": ListMerchantRankings' publication.</summary>
public sealed class RankingsOptions
{
    /// <summary>Section name.</summary>
    public const string SectionName = "Rankings";

    /// <summary>
    /// When true, ListMerchantRankings answers callers without a key (the published ranking:
    /// aggregates only). A call with a key is still authenticated and scoped as usual. Off by default.
    /// </summary>
    public bool Public { get; set; }

    /// <summary>Merchants with fewer disputes in the region and period are left out of every ranking; at least 1.</summary>
    public int MinimumDisputes { get; set; } = 10;
}
