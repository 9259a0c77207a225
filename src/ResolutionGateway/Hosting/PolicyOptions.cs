namespace ResolutionGateway.Hosting;

/// <summary>
/// The configured regional policies (section "Policies"). Policies:Default and Policies:Regions:&lt;prefix&gt;
/// take FirstResponseHours | FirstResponseDays | FirstResponseWorkingDays, NegotiationHours |
/// NegotiationDays | NegotiationWorkingDays, NegotiationLimitDays, PurchaseWindowDays,
/// WarningLeadHours and Calendar; a region inherits what it does not set from Default (and Default
/// from the built-in national default). <see cref="PolicyConfiguration"/> turns them into policies.
/// </summary>
public sealed class PolicyOptions
{
    public const string SectionName = "Policies";

    /// <summary>How often API-set policies are reloaded, so changes made on other nodes apply here within it.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Replaces the built-in national default when set.</summary>
    public PolicySection? Default { get; set; }

    /// <summary>Policies by GB/T 2260 region code prefix.</summary>
    public Dictionary<string, PolicySection> Regions { get; set; } = [];

    /// <summary>One policy's settings; null means "inherit". Of the three forms of a rule, hours win over days over working days.</summary>
    public sealed class PolicySection
    {
        public int? FirstResponseHours { get; set; }
        public int? FirstResponseDays { get; set; }
        public int? FirstResponseWorkingDays { get; set; }
        public int? NegotiationHours { get; set; }
        public int? NegotiationDays { get; set; }
        public int? NegotiationWorkingDays { get; set; }
        public int? NegotiationLimitDays { get; set; }
        public int? PurchaseWindowDays { get; set; }
        public int? WarningLeadHours { get; set; }
        public string? Calendar { get; set; }
    }
}
