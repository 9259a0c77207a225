using Microsoft.Extensions.Options;
using ResolutionGateway.Core.Errors;
using ResolutionGateway.Core.Policies;
using ResolutionGateway.Core.UseCases;

namespace ResolutionGateway.Hosting;

/// <summary>
/// Turns the bound <see cref="PolicyOptions"/> and <see cref="CalendarOptions"/> into the configured
/// policies (national default first when configured) and calendars, with the rules the API applies.
/// As options validation, an invalid one stops the start with its section and every violation.
/// </summary>
internal sealed class PolicyConfiguration : IValidateOptions<PolicyOptions>, IValidateOptions<CalendarOptions>
{
    /// <summary>The configured policies; throws when one is invalid.</summary>
    public static IReadOnlyList<RegionPolicy> Policies(PolicyOptions options)
    {
        var national = options.Default is { } configured
            ? Policy($"{PolicyOptions.SectionName}:Default", "", configured, RegionPolicy.NationalDefault)
            : RegionPolicy.NationalDefault;
        var policies = new List<RegionPolicy>();
        if (options.Default is not null)
        {
            policies.Add(national);
        }
        policies.AddRange(options.Regions.Select(r => Policy($"{PolicyOptions.SectionName}:Regions:{r.Key}", r.Key, r.Value, national)));
        return policies;
    }

    /// <summary>The configured calendars; throws when one is invalid.</summary>
    public static IReadOnlyList<WorkingCalendar> Calendars(CalendarOptions options) =>
        options.Select(c => Calendar($"{CalendarOptions.SectionName}:{c.Key}", c.Key, c.Value)).ToList();

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, PolicyOptions options) => Check(() => Policies(options));

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, CalendarOptions options) => Check(() => Calendars(options));

    private static RegionPolicy Policy(string path, string prefix, PolicyOptions.PolicySection s, RegionPolicy inherit)
    {
        var input = new RegionPolicyInput(
            prefix,
            Rule(s.FirstResponseHours, s.FirstResponseDays, s.FirstResponseWorkingDays) ?? inherit.FirstResponse,
            Rule(s.NegotiationHours, s.NegotiationDays, s.NegotiationWorkingDays) ?? inherit.Negotiation,
            s.NegotiationLimitDays ?? (int)inherit.NegotiationLimit.TotalDays,
            s.PurchaseWindowDays ?? (int)inherit.PurchaseWindow.TotalDays,
            s.WarningLeadHours ?? (int)inherit.WarningLead.TotalHours,
            s.Calendar ?? inherit.CalendarId);
        return Checked(path, () => PolicyCommands.ToPolicy(input, PolicySource.Config, null));
    }

    private static DeadlineRule? Rule(int? hours, int? days, int? workingDays) =>
        hours is { } h ? DeadlineRule.Hours(h)
        : days is { } d ? DeadlineRule.Days(d)
        : workingDays is { } w ? DeadlineRule.WorkingDays(w)
        : null;

    private static WorkingCalendar Calendar(string path, string id, CalendarOptions.CalendarSection s)
    {
        var input = new WorkingCalendarInput(id, s.DisplayName ?? "", s.UtcOffsetMinutes ?? 480, s.Holidays ?? [], s.MakeUpWorkdays ?? []);
        return Checked(path, () => PolicyCommands.ToCalendar(input, PolicySource.Config, null));
    }

    // Invalid configuration stops the start with the section and every violation.
    private static T Checked<T>(string path, Func<T> build)
    {
        try
        {
            return build();
        }
        catch (ValidationException e)
        {
            throw new InvalidOperationException($"configuration {path} is invalid: " +
                string.Join("; ", e.Violations.Select(v => $"{v.Field}: {v.Description}")), e);
        }
    }

    private static ValidateOptionsResult Check<T>(Func<T> build)
    {
        try
        {
            build();
            return ValidateOptionsResult.Success;
        }
        catch (InvalidOperationException e)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }
    }
}
