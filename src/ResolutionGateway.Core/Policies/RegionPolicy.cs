namespace ResolutionGateway.Core.Policies;

/// <summary>A region's dispute rules.</summary>
public sealed record RegionPolicy
{
    /// <summary>The national default's hard limit of negotiation, as in Hubei's "7 days, 14 at the most".</summary>
    public const int DefaultNegotiationLimitDays = 14;

    /// <summary>The calendar used when a policy names none.</summary>
    public const string DefaultCalendarId = "CN";

    /// <summary>GB/T 2260 prefix (2, 4 or 6 digits), or "" for the national default.</summary>
    public required string RegionPrefix { get; init; }
    /// <summary>The merchant's first-response deadline (Hangzhou: 96 h; ODR: 10 working days).</summary>
    public required DeadlineRule FirstResponse { get; init; }
    /// <summary>The negotiation window from opening (Hubei: 7 days).</summary>
    public required DeadlineRule Negotiation { get; init; }
    /// <summary>Hard limit of the negotiation window from opening.</summary>
    public TimeSpan NegotiationLimit { get; init; } = TimeSpan.FromDays(DefaultNegotiationLimitDays);
    /// <summary>Orders paid longer ago than this cannot be disputed (30 days).</summary>
    public TimeSpan PurchaseWindow { get; init; } = TimeSpan.FromDays(30);
    /// <summary>How long before a deadline a warning is recorded; zero means none.</summary>
    public TimeSpan WarningLead { get; init; } = TimeSpan.FromHours(12);
    /// <summary>
    /// The regulator's deadline to accept or refuse an escalated case, from escalation: 7 working
    /// days (art. 14 of 《市场监督管理投诉举报处理暂行办法》).
    /// </summary>
    public DeadlineRule CaseAcceptance { get; init; } = DeadlineRule.WorkingDays(7);
    /// <summary>
    /// The end of mediation, from acceptance: 45 working days (art. 21 (5) of the same rules: mediation
    /// ends when no agreement is reached within 45 working days of acceptance).
    /// </summary>
    public DeadlineRule Mediation { get; init; } = DeadlineRule.WorkingDays(45);
    /// <summary>
    /// The merchant's deadline to execute an agreed settlement that moves money (refund or
    /// payment), from the agreement: 7 days by default.
    /// </summary>
    public DeadlineRule SettlementExecution { get; init; } = DeadlineRule.Days(7);
    /// <summary>How long after a settlement was agreed the consumer may reopen the dispute when it was not executed as agreed: 15 days by default.</summary>
    public TimeSpan ReopenWindow { get; init; } = TimeSpan.FromDays(15);
    /// <summary>Calendar for working-day rules.</summary>
    public string CalendarId { get; init; } = DefaultCalendarId;
    /// <summary>Where it comes from.</summary>
    public PolicySource Source { get; init; } = PolicySource.Config;
    /// <summary>When it was set through the API; null otherwise.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>The built-in national default: 96 h to respond, 7 days (at most 14) to settle, 30 days to open, warnings 12 h ahead.</summary>
    public static readonly RegionPolicy NationalDefault = new()
    {
        RegionPrefix = "",
        FirstResponse = DeadlineRule.Hours(96),
        Negotiation = DeadlineRule.Days(7),
        Source = PolicySource.BuiltIn,
    };
}
