using System.Globalization;
using ResolutionGateway.Core.Errors;
using ResolutionGateway.Core.Policies;
using ResolutionGateway.Core.UseCases;

namespace ResolutionGateway.Hosting;

/// <summary>
/// Reads the configured policies and calendars. Policies:Default and Policies:Regions:&lt;prefix&gt;
/// take FirstResponseHours | FirstResponseDays | FirstResponseWorkingDays, NegotiationHours |
/// NegotiationDays | NegotiationWorkingDays, NegotiationLimitDays, PurchaseWindowDays,
/// WarningLeadHours and Calendar; a region inherits what it does not set from Default (and Default
/// from the built-in national default). Calendars:&lt;id&gt; take DisplayName, UtcOffsetMinutes,
/// Holidays and MakeUpWorkdays (lists of YYYY-MM-DD). Invalid values stop the start with a message.
/// </summary>
public static class PolicyConfiguration
{
    /// <summary>The configured policies (national default first when configured) and calendars.</summary>
    public static (IReadOnlyList<RegionPolicy> Policies, IReadOnlyList<WorkingCalendar> Calendars) Read(IConfiguration config)
    {
        var defaults = config.GetSection("Policies:Default");
        var national = defaults.Exists() ? Policy("", defaults, RegionPolicy.NationalDefault) : RegionPolicy.NationalDefault;
        var policies = new List<RegionPolicy>();
        if (defaults.Exists())
        {
            policies.Add(national);
        }
        policies.AddRange(config.GetSection("Policies:Regions").GetChildren().Select(s => Policy(s.Key, s, national)));
        var calendars = config.GetSection("Calendars").GetChildren().Select(Calendar).ToList();
        return (policies, calendars);
    }

    private static RegionPolicy Policy(string prefix, IConfigurationSection s, RegionPolicy inherit)
    {
        var input = new RegionPolicyInput(
            prefix,
            Rule(s, "FirstResponse") ?? inherit.FirstResponse,
            Rule(s, "Negotiation") ?? inherit.Negotiation,
            Int(s, "NegotiationLimitDays") ?? (int)inherit.NegotiationLimit.TotalDays,
            Int(s, "PurchaseWindowDays") ?? (int)inherit.PurchaseWindow.TotalDays,
            Int(s, "WarningLeadHours") ?? (int)inherit.WarningLead.TotalHours,
            s["Calendar"] ?? inherit.CalendarId);
        return Checked(s, () => PolicyCommands.ToPolicy(input, PolicySource.Config, null));
    }

    private static DeadlineRule? Rule(IConfigurationSection s, string name) =>
        Int(s, name + "Hours") is { } h ? DeadlineRule.Hours(h)
        : Int(s, name + "Days") is { } d ? DeadlineRule.Days(d)
        : Int(s, name + "WorkingDays") is { } w ? DeadlineRule.WorkingDays(w)
        : null;

    private static int? Int(IConfigurationSection s, string key) =>
        s[key] is { } v ? int.Parse(v, NumberStyles.Integer, CultureInfo.InvariantCulture) : null;

    private static WorkingCalendar Calendar(IConfigurationSection s)
    {
        var input = new WorkingCalendarInput(s.Key, s["DisplayName"] ?? "", Int(s, "UtcOffsetMinutes") ?? 480,
            s.GetSection("Holidays").Get<string[]>() ?? [], s.GetSection("MakeUpWorkdays").Get<string[]>() ?? []);
        return Checked(s, () => PolicyCommands.ToCalendar(input, PolicySource.Config, null));
    }

    // Invalid configuration stops the start with the section and every violation.
    private static T Checked<T>(IConfigurationSection s, Func<T> build)
    {
        try
        {
            return build();
        }
        catch (ValidationException e)
        {
            throw new InvalidOperationException($"configuration {s.Path} is invalid: " +
                string.Join("; ", e.Violations.Select(v => $"{v.Field}: {v.Description}")), e);
        }
    }
}
