namespace ResolutionGateway.Core.Policies;

/// <summary>How a deadline is counted (numeric values as in resolution.v1 DeadlineRule's oneof cases).</summary>
public enum DeadlineUnit
{
    /// <summary>Elapsed hours.</summary>
    Hours = 1,
    /// <summary>Elapsed days of 24 hours.</summary>
    Days = 2,
    /// <summary>Working days of a <see cref="WorkingCalendar"/>.</summary>
    WorkingDays = 3,
}

/// <summary>A deadline counted from opening: 96 hours, 7 days, 10 working days.</summary>
public sealed record DeadlineRule(DeadlineUnit Unit, int Amount)
{
    /// <summary>Hours.</summary>
    public static DeadlineRule Hours(int n) => new(DeadlineUnit.Hours, n);

    /// <summary>Days of 24 hours.</summary>
    public static DeadlineRule Days(int n) => new(DeadlineUnit.Days, n);

    /// <summary>Working days.</summary>
    public static DeadlineRule WorkingDays(int n) => new(DeadlineUnit.WorkingDays, n);

    /// <summary>The deadline for something that started at <paramref name="start"/>.</summary>
    public DateTimeOffset DueFrom(DateTimeOffset start, WorkingCalendar calendar) => Unit switch
    {
        DeadlineUnit.Hours => start.AddHours(Amount),
        DeadlineUnit.Days => start.AddDays(Amount),
        DeadlineUnit.WorkingDays => calendar.EndOfWorkingDays(start, Amount),
        _ => throw new InvalidOperationException($"unknown deadline unit {Unit}"),
    };

    /// <inheritdoc />
    public override string ToString() => Unit switch
    {
        DeadlineUnit.Hours => $"{Amount} h",
        DeadlineUnit.Days => $"{Amount} days",
        _ => $"{Amount} working days",
    };
}

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

/// <summary>The deadlines of a dispute, fixed when it is opened.</summary>
/// <param name="FirstResponseDue">The merchant must respond by then.</param>
/// <param name="FirstResponseWarnAt">When to warn about it; null for no warning.</param>
/// <param name="NegotiationDue">Negotiation must end by then.</param>
/// <param name="NegotiationWarnAt">When to warn about it; null for no warning.</param>
public sealed record DisputeDeadlines(
    DateTimeOffset FirstResponseDue, DateTimeOffset? FirstResponseWarnAt, DateTimeOffset NegotiationDue, DateTimeOffset? NegotiationWarnAt);

/// <summary>The policy that applies to a region, with its calendar.</summary>
public sealed record EffectivePolicy(RegionPolicy Policy, WorkingCalendar Calendar)
{
    /// <summary>The deadlines of a dispute opened at <paramref name="openedAt"/>.</summary>
    public DisputeDeadlines DeadlinesFrom(DateTimeOffset openedAt)
    {
        var first = Policy.FirstResponse.DueFrom(openedAt, Calendar);
        var negotiation = Policy.Negotiation.DueFrom(openedAt, Calendar);
        var limit = openedAt + Policy.NegotiationLimit;
        if (negotiation > limit)
        {
            negotiation = limit;
        }
        return new DisputeDeadlines(first, WarnAt(openedAt, first), negotiation, WarnAt(openedAt, negotiation));
    }

    // A warning only makes sense when it falls after the opening: with a lead longer than the
    // deadline, the merchant learns the deadline from the opening itself.
    private DateTimeOffset? WarnAt(DateTimeOffset openedAt, DateTimeOffset due) =>
        Policy.WarningLead > TimeSpan.Zero && due - Policy.WarningLead > openedAt ? due - Policy.WarningLead : null;
}

/// <summary>Finds the policy of a region: the longest matching code prefix wins, else the national default.</summary>
public interface IRegionPolicyProvider
{
    /// <summary>The policy for a 6-digit region code.</summary>
    EffectivePolicy For(string regionCode);
}

/// <summary>
/// An immutable set of policies and calendars: what applies at one moment. Lookups are in memory
/// (opening a dispute never waits for the database to learn its deadlines).
/// </summary>
public sealed class PolicySet : IRegionPolicyProvider
{
    private readonly Dictionary<string, RegionPolicy> _byPrefix;
    private readonly Dictionary<string, WorkingCalendar> _calendars;

    /// <summary>A set; a policy with an empty prefix replaces the built-in national default.</summary>
    public PolicySet(IEnumerable<RegionPolicy> policies, IEnumerable<WorkingCalendar> calendars)
    {
        _byPrefix = new Dictionary<string, RegionPolicy>(StringComparer.Ordinal) { [""] = RegionPolicy.NationalDefault };
        foreach (var p in policies)
        {
            _byPrefix[p.RegionPrefix] = p;
        }
        // Later entries win, as for policies: API-set calendars override configured ones with the same id.
        _calendars = new Dictionary<string, WorkingCalendar>(StringComparer.Ordinal);
        foreach (var c in calendars)
        {
            _calendars[c.CalendarId] = c;
        }
    }

    /// <summary>Only the built-in national default, and no calendars (an unknown calendar id means plain Monday-Friday in UTC+8).</summary>
    public static PolicySet BuiltIn { get; } = new([], []);

    /// <summary>The policies, national default first, then by prefix.</summary>
    public IReadOnlyList<RegionPolicy> Policies => _byPrefix.Values.OrderBy(p => p.RegionPrefix, StringComparer.Ordinal).ToArray();

    /// <summary>The calendars by id.</summary>
    public IReadOnlyList<WorkingCalendar> Calendars => _calendars.Values.OrderBy(c => c.CalendarId, StringComparer.Ordinal).ToArray();

    /// <summary>The policy with exactly this prefix, if any.</summary>
    public RegionPolicy? Exact(string prefix) => _byPrefix.GetValueOrDefault(prefix);

    /// <summary>The calendar with this id; an unknown id gets a plain Monday-Friday calendar in UTC+8.</summary>
    public WorkingCalendar Calendar(string calendarId) =>
        _calendars.GetValueOrDefault(calendarId) ?? WorkingCalendar.Plain(calendarId);

    /// <summary>True when the calendar id is defined.</summary>
    public bool HasCalendar(string calendarId) => _calendars.ContainsKey(calendarId);

    /// <inheritdoc />
    public EffectivePolicy For(string regionCode)
    {
        for (var len = Math.Min(6, regionCode.Length); len >= 2; len -= 2)
        {
            if (_byPrefix.TryGetValue(regionCode[..len], out var p))
            {
                return new EffectivePolicy(p, Calendar(p.CalendarId));
            }
        }
        var national = _byPrefix[""];
        return new EffectivePolicy(national, Calendar(national.CalendarId));
    }
}
