namespace ResolutionGateway.Core.Policies;

/// <summary>A region's rules for disputes.</summary>
/// <param name="FirstResponse">Time the merchant has to respond after opening (Hangzhou: 96 h).</param>
/// <param name="NegotiationWindow">Time from opening after which negotiation counts as failed (Hubei: 7 days).</param>
/// <param name="PurchaseWindow">Orders paid longer ago than this cannot be disputed (30 days).</param>
public sealed record RegionPolicy(TimeSpan FirstResponse, TimeSpan NegotiationWindow, TimeSpan PurchaseWindow)
{
    /// <summary>The national default: 96 h to respond, 7 days to settle, 30 days to open.</summary>
    public static readonly RegionPolicy NationalDefault = new(TimeSpan.FromHours(96), TimeSpan.FromDays(7), TimeSpan.FromDays(30));
}

/// <summary>Finds the policy of a region: the longest matching code prefix wins, else the national default.</summary>
public interface IRegionPolicyProvider
{
    /// <summary>The policy for a 6-digit region code.</summary>
    RegionPolicy For(string regionCode);
}

/// <summary>Policies from a fixed table of prefixes (configuration).</summary>
public sealed class TableRegionPolicyProvider(RegionPolicy fallback, IReadOnlyDictionary<string, RegionPolicy> byPrefix) : IRegionPolicyProvider
{
    /// <inheritdoc />
    public RegionPolicy For(string regionCode)
    {
        for (var len = Math.Min(6, regionCode.Length); len >= 2; len -= 2)
        {
            if (byPrefix.TryGetValue(regionCode[..len], out var p))
            {
                return p;
            }
        }
        return fallback;
    }
}
