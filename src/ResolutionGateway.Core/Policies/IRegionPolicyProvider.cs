namespace ResolutionGateway.Core.Policies;

/// <summary>Finds the policy of a region: the longest matching code prefix wins, else the national default.</summary>
public interface IRegionPolicyProvider
{
    /// <summary>The policy for a 6-digit region code.</summary>
    EffectivePolicy For(string regionCode);
}
