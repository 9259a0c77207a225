using System.Globalization;
using ResolutionGateway.Core.Policies;
using ResolutionGateway.Core.UseCases;
using V1 = ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.Grpc.Mapping;

/// <summary>Maps the messages of resolution/v1/policy.proto: regional policies, deadline rules and working calendars.</summary>
public static class PolicyMapper
{
    /// <summary>A policy request as the use case takes it.</summary>
    public static RegionPolicyInput ToInput(V1.RegionPolicy? p) => p is null
        ? new RegionPolicyInput("", null, null, 0, 0, 0, "")
        : new RegionPolicyInput(p.RegionPrefix, ToDomain(p.FirstResponse), ToDomain(p.Negotiation), p.NegotiationLimitDays,
            p.PurchaseWindowDays, p.WarningLeadHours, p.CalendarId, ToDomain(p.CaseAcceptance), ToDomain(p.Mediation),
            ToDomain(p.SettlementExecution), p.ReopenWindowDays);

    private static DeadlineRule? ToDomain(V1.DeadlineRule? r) => r?.RuleCase switch
    {
        V1.DeadlineRule.RuleOneofCase.Hours => DeadlineRule.Hours(r.Hours),
        V1.DeadlineRule.RuleOneofCase.Days => DeadlineRule.Days(r.Days),
        V1.DeadlineRule.RuleOneofCase.WorkingDays => DeadlineRule.WorkingDays(r.WorkingDays),
        _ => null,
    };

    /// <summary>A policy as the contract shows it.</summary>
    public static V1.RegionPolicy ToProto(RegionPolicy p) => new()
    {
        RegionPrefix = p.RegionPrefix,
        FirstResponse = ToProto(p.FirstResponse),
        Negotiation = ToProto(p.Negotiation),
        NegotiationLimitDays = (int)p.NegotiationLimit.TotalDays,
        PurchaseWindowDays = (int)p.PurchaseWindow.TotalDays,
        WarningLeadHours = (int)p.WarningLead.TotalHours,
        CalendarId = p.CalendarId,
        Source = (V1.PolicySource)p.Source,
        UpdateTime = TypesMapper.ToProto(p.UpdatedAt),
        CaseAcceptance = ToProto(p.CaseAcceptance),
        Mediation = ToProto(p.Mediation),
        SettlementExecution = ToProto(p.SettlementExecution),
        ReopenWindowDays = (int)p.ReopenWindow.TotalDays,
    };

    private static V1.DeadlineRule ToProto(DeadlineRule r) => r.Unit switch
    {
        DeadlineUnit.Hours => new V1.DeadlineRule { Hours = r.Amount },
        DeadlineUnit.Days => new V1.DeadlineRule { Days = r.Amount },
        _ => new V1.DeadlineRule { WorkingDays = r.Amount },
    };

    /// <summary>A calendar request as the use case takes it.</summary>
    public static WorkingCalendarInput ToInput(V1.WorkingCalendar? c) => c is null
        ? new WorkingCalendarInput("", "", 0, [], [])
        : new WorkingCalendarInput(c.CalendarId, c.DisplayName, c.UtcOffsetMinutes, [.. c.Holidays], [.. c.MakeUpWorkdays]);

    /// <summary>A calendar as the contract shows it.</summary>
    public static V1.WorkingCalendar ToProto(WorkingCalendar c)
    {
        var p = new V1.WorkingCalendar
        {
            CalendarId = c.CalendarId,
            DisplayName = c.DisplayName,
            UtcOffsetMinutes = (int)c.UtcOffset.TotalMinutes,
            Source = (V1.PolicySource)c.Source,
            UpdateTime = TypesMapper.ToProto(c.UpdatedAt),
        };
        p.Holidays.AddRange(c.Holidays.Order().Select(Date));
        p.MakeUpWorkdays.AddRange(c.MakeUpWorkdays.Order().Select(Date));
        return p;
    }

    private static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
