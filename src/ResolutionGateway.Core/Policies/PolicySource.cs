namespace ResolutionGateway.Core.Policies;

/// <summary>Where a policy or calendar comes from (values as in resolution.v1 PolicySource).</summary>
public enum PolicySource
{
    /// <summary>Not set.</summary>
    Unspecified = 0,
    /// <summary>The configuration file.</summary>
    Config = 1,
    /// <summary>Set through AdminService; overrides configuration.</summary>
    Admin = 2,
    /// <summary>The built-in national default.</summary>
    BuiltIn = 3,
}
