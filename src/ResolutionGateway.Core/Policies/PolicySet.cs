namespace ResolutionGateway.Core.Policies;

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
