using System.Globalization;
using ResolutionGateway.Core.Errors;
using ResolutionGateway.Core.Policies;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Core.Validation;

namespace ResolutionGateway.Core.UseCases;

/// <summary>Operator use cases for regional policies and working-day calendars. Admins only.</summary>
public sealed class PolicyCommands(IPolicyStore store, PolicyCatalog catalog, TimeProvider time)
{
    /// <summary>Creates or replaces the policy of a prefix ("" = national default).</summary>
    public async Task<RegionPolicy> SetPolicyAsync(Principal p, RegionPolicyInput input, CancellationToken ct)
    {
        AdminCommands.RequireAdmin(p);
        var policy = ToPolicy(input, PolicySource.Admin, Clock.Now(time));
        var usesWorkingDays = policy.FirstResponse.Unit == DeadlineUnit.WorkingDays || policy.Negotiation.Unit == DeadlineUnit.WorkingDays;
        if (usesWorkingDays && !catalog.Current.HasCalendar(policy.CalendarId))
        {
            throw new PreconditionFailedException("CALENDAR_NOT_FOUND", $"calendars/{policy.CalendarId}",
                $"working-day rules need calendar {policy.CalendarId}; set it with SetWorkingCalendar first");
        }
        await store.UpsertPolicyAsync(policy, ct);
        await catalog.RefreshAsync(ct);
        return policy;
    }

    /// <summary>
    /// Validates a policy (field paths as in SetRegionPolicyRequest) and fills in defaults; used for
    /// API input and for the configuration file alike.
    /// </summary>
    public static RegionPolicy ToPolicy(RegionPolicyInput input, PolicySource source, DateTimeOffset? updatedAt)
    {
        var v = new Violations();
        if (input.RegionPrefix.Length > 0 && !Violations.IsRegionPrefix(input.RegionPrefix))
        {
            v.Add("policy.region_prefix", "a region code prefix of 2, 4 or 6 digits (e.g. 3301), or empty for the national default");
        }
        Rule(v, input.FirstResponse, "policy.first_response");
        Rule(v, input.Negotiation, "policy.negotiation");
        Range(v, input.NegotiationLimitDays, 0, 30, "policy.negotiation_limit_days");
        Range(v, input.PurchaseWindowDays, 0, 365, "policy.purchase_window_days");
        Range(v, input.WarningLeadHours, 0, 168, "policy.warning_lead_hours");
        // The regulator's and the settlement's deadlines are optional: absent keeps the national rule.
        OptionalRule(v, input.CaseAcceptance, "policy.case_acceptance");
        OptionalRule(v, input.Mediation, "policy.mediation");
        OptionalRule(v, input.SettlementExecution, "policy.settlement_execution");
        Range(v, input.ReopenWindowDays, 0, 90, "policy.reopen_window_days");
        var calendarId = input.CalendarId.Length == 0 ? RegionPolicy.DefaultCalendarId : input.CalendarId;
        v.Identifier(calendarId, "policy.calendar_id");
        v.ThrowIfAny();
        return new RegionPolicy
        {
            RegionPrefix = input.RegionPrefix,
            FirstResponse = input.FirstResponse!,
            Negotiation = input.Negotiation!,
            NegotiationLimit = TimeSpan.FromDays(input.NegotiationLimitDays == 0 ? RegionPolicy.DefaultNegotiationLimitDays : input.NegotiationLimitDays),
            PurchaseWindow = TimeSpan.FromDays(input.PurchaseWindowDays == 0 ? 30 : input.PurchaseWindowDays),
            WarningLead = TimeSpan.FromHours(input.WarningLeadHours),
            CaseAcceptance = input.CaseAcceptance ?? DeadlineRule.WorkingDays(7),
            Mediation = input.Mediation ?? DeadlineRule.WorkingDays(45),
            SettlementExecution = input.SettlementExecution ?? DeadlineRule.Days(7),
            ReopenWindow = TimeSpan.FromDays(input.ReopenWindowDays == 0 ? 15 : input.ReopenWindowDays),
            CalendarId = calendarId,
            Source = source,
            UpdatedAt = updatedAt,
        };
    }

    /// <summary>Removes an API-set policy; returns the policy that now applies to the prefix.</summary>
    public async Task<RegionPolicy> DeletePolicyAsync(Principal p, string regionPrefix, CancellationToken ct)
    {
        AdminCommands.RequireAdmin(p);
        if (regionPrefix.Length > 0 && !Violations.IsRegionPrefix(regionPrefix))
        {
            throw new ValidationException("region_prefix", "a region code prefix of 2, 4 or 6 digits, or empty for the national default");
        }
        if (!await store.DeletePolicyAsync(regionPrefix, ct))
        {
            throw new NotFoundException("region policy", regionPrefix.Length == 0 ? "(national default)" : regionPrefix);
        }
        await catalog.RefreshAsync(ct);
        return catalog.Current.Exact(regionPrefix) ?? catalog.For(regionPrefix).Policy;
    }

    /// <summary>The policies in force.</summary>
    public IReadOnlyList<RegionPolicy> ListPolicies(Principal p)
    {
        AdminCommands.RequireAdmin(p);
        return catalog.Current.Policies;
    }

    /// <summary>The policy of a region code and the deadlines of a dispute opened at <paramref name="openedAt"/> (now when null).</summary>
    public (EffectivePolicy Policy, DisputeDeadlines Deadlines) Resolve(Principal p, string regionCode, DateTimeOffset? openedAt)
    {
        AdminCommands.RequireAdmin(p);
        var v = new Violations();
        v.RegionCode(regionCode, "region_code");
        v.ThrowIfAny();
        var effective = catalog.For(regionCode);
        return (effective, effective.DeadlinesFrom(openedAt ?? Clock.Now(time)));
    }

    /// <summary>Creates or replaces a calendar.</summary>
    public async Task<WorkingCalendar> SetCalendarAsync(Principal p, WorkingCalendarInput input, CancellationToken ct)
    {
        AdminCommands.RequireAdmin(p);
        var calendar = ToCalendar(input, PolicySource.Admin, Clock.Now(time));
        await store.UpsertCalendarAsync(calendar, ct);
        await catalog.RefreshAsync(ct);
        return calendar;
    }

    /// <summary>Validates a calendar (field paths as in SetWorkingCalendarRequest); API input and configuration alike.</summary>
    public static WorkingCalendar ToCalendar(WorkingCalendarInput input, PolicySource source, DateTimeOffset? updatedAt)
    {
        var v = new Violations();
        v.Identifier(input.CalendarId, "calendar.calendar_id");
        v.OptionalText(input.DisplayName, "calendar.display_name", 200);
        Range(v, input.UtcOffsetMinutes, -720, 840, "calendar.utc_offset_minutes");
        var holidays = Dates(v, input.Holidays, "calendar.holidays", 400);
        var makeUp = Dates(v, input.MakeUpWorkdays, "calendar.make_up_workdays", 100);
        foreach (var both in holidays.Intersect(makeUp).Order())
        {
            v.Add("calendar.make_up_workdays", $"{both:yyyy-MM-dd} is also listed as a holiday");
        }
        v.ThrowIfAny();
        return new WorkingCalendar
        {
            CalendarId = input.CalendarId,
            DisplayName = input.DisplayName,
            UtcOffset = TimeSpan.FromMinutes(input.UtcOffsetMinutes),
            Holidays = holidays,
            MakeUpWorkdays = makeUp,
            Source = source,
            UpdatedAt = updatedAt,
        };
    }

    /// <summary>The calendars in force.</summary>
    public IReadOnlyList<WorkingCalendar> ListCalendars(Principal p)
    {
        AdminCommands.RequireAdmin(p);
        return catalog.Current.Calendars;
    }

    private static void OptionalRule(Violations v, DeadlineRule? rule, string field)
    {
        if (rule is not null)
        {
            Rule(v, rule, field);
        }
    }

    private static void Rule(Violations v, DeadlineRule? rule, string field)
    {
        switch (rule)
        {
            case null:
                v.Add(field, "required: hours, days or working_days");
                break;
            case { Unit: DeadlineUnit.Hours }:
                Range(v, rule.Amount, 1, 2160, field + ".hours");
                break;
            case { Unit: DeadlineUnit.Days }:
                Range(v, rule.Amount, 1, 90, field + ".days");
                break;
            case { Unit: DeadlineUnit.WorkingDays }:
                Range(v, rule.Amount, 1, 60, field + ".working_days");
                break;
        }
    }

    private static void Range(Violations v, int value, int min, int max, string field)
    {
        if (value < min || value > max)
        {
            v.Add(field, $"must be between {min} and {max}");
        }
    }

    private static SortedSet<DateOnly> Dates(Violations v, IReadOnlyList<string> values, string field, int max)
    {
        var set = new SortedSet<DateOnly>();
        if (values.Count > max)
        {
            v.Add(field, $"at most {max} dates");
            return set;
        }
        for (var i = 0; i < values.Count; i++)
        {
            if (DateOnly.TryParseExact(values[i], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                set.Add(d);
            }
            else
            {
                v.Add($"{field}[{i}]", "a date as YYYY-MM-DD");
            }
        }
        return set;
    }
}
