using System.Globalization;
using System.Text.RegularExpressions;
using ResolutionGateway.Contracts.V1;
using ResolutionGateway.Tools.Rgctl.Cli;
using ResolutionGateway.Tools.Rgctl.Output;

namespace ResolutionGateway.Tools.Rgctl.Commands;

/// <summary>
/// policies set|list|delete|resolve and calendars set|list (SetRegionPolicy, ListRegionPolicies,
/// DeleteRegionPolicy, ResolveRegionPolicy, SetWorkingCalendar, ListWorkingCalendars).
/// </summary>
internal static partial class PolicyCommands
{
    public static async Task<int> Set(string[] argv)
    {
        var args = ArgReader.Parse("policies set", argv,
            "national first-response= negotiation= negotiation-limit-days= purchase-window-days= warning-lead-hours= calendar= " +
            "case-acceptance= mediation= settlement-execution= reopen-window-days= json");
        var policy = new RegionPolicy
        {
            RegionPrefix = Prefix(args),
            FirstResponse = Rule(args, "first-response") ?? throw new UsageException("missing required option --first-response", args.Command),
            Negotiation = Rule(args, "negotiation") ?? throw new UsageException("missing required option --negotiation", args.Command),
            NegotiationLimitDays = args.GetInt32("negotiation-limit-days") ?? 0,
            PurchaseWindowDays = args.GetInt32("purchase-window-days") ?? 0,
            WarningLeadHours = args.GetInt32("warning-lead-hours") ?? 0,
            CalendarId = args.Get("calendar") ?? string.Empty,
            CaseAcceptance = Rule(args, "case-acceptance"),
            Mediation = Rule(args, "mediation"),
            SettlementExecution = Rule(args, "settlement-execution"),
            ReopenWindowDays = args.GetInt32("reopen-window-days") ?? 0,
        };
        using var connection = Connection.Open(args);
        var response = await connection.Admin().SetRegionPolicyAsync(new SetRegionPolicyRequest { Policy = policy });
        if (args.Has("json"))
        {
            Printer.PrintJson(response);
            return 0;
        }
        Console.WriteLine($"policy set for {PrefixName(response.Policy.RegionPrefix)}");
        PrintPolicyTable([response.Policy]);
        return 0;
    }

    public static async Task<int> List(string[] argv)
    {
        var args = ArgReader.Parse("policies list", argv, "json");
        args.AllowPositionals(0);
        using var connection = Connection.Open(args);
        var response = await connection.Admin().ListRegionPoliciesAsync(new ListRegionPoliciesRequest());
        if (args.Has("json"))
        {
            Printer.PrintJson(response);
            return 0;
        }
        PrintPolicyTable(response.Policies);
        return 0;
    }

    public static async Task<int> Delete(string[] argv)
    {
        var args = ArgReader.Parse("policies delete", argv, "national json");
        var prefix = Prefix(args);
        using var connection = Connection.Open(args);
        var response = await connection.Admin().DeleteRegionPolicyAsync(new DeleteRegionPolicyRequest { RegionPrefix = prefix });
        if (args.Has("json"))
        {
            Printer.PrintJson(response);
            return 0;
        }
        var effective = response.EffectivePolicy;
        Console.WriteLine($"deleted the policy of {PrefixName(prefix)}; it now follows the policy of {PrefixName(effective.RegionPrefix)} ({Format.Enum(effective.Source)})");
        return 0;
    }

    public static async Task<int> Resolve(string[] argv)
    {
        var args = ArgReader.Parse("policies resolve", argv, "open-time= json");
        args.AllowPositionals(1);
        var request = new ResolveRegionPolicyRequest { RegionCode = args.Positional(0, "REGION_CODE") };
        if (args.GetTime("open-time") is { } openTime)
        {
            request.OpenTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(openTime);
        }
        using var connection = Connection.Open(args);
        var r = await connection.Admin().ResolveRegionPolicyAsync(request);
        if (args.Has("json"))
        {
            Printer.PrintJson(r);
            return 0;
        }
        Console.WriteLine($"region {request.RegionCode} follows the policy of {PrefixName(r.Policy.RegionPrefix)} ({Format.Enum(r.Policy.Source)}), calendar {r.Calendar?.CalendarId}");
        PrintPolicyTable([r.Policy]);
        Console.WriteLine($"a dispute opened {(request.OpenTime is null ? "now" : "at " + Format.Time(request.OpenTime))}:");
        Console.WriteLine($"  first response due  {Format.Time(r.FirstResponseDueTime)} (warning {Format.Time(r.FirstResponseWarningTime)})");
        Console.WriteLine($"  negotiation due     {Format.Time(r.NegotiationDueTime)} (warning {Format.Time(r.NegotiationWarningTime)})");
        return 0;
    }

    public static async Task<int> SetCalendar(string[] argv)
    {
        var args = ArgReader.Parse("calendars set", argv, "name= utc-offset-minutes= holiday= make-up-workday= json");
        args.AllowPositionals(1);
        var calendar = new WorkingCalendar
        {
            CalendarId = args.Positional(0, "CALENDAR_ID"),
            DisplayName = args.Get("name") ?? string.Empty,
            UtcOffsetMinutes = args.GetInt32("utc-offset-minutes") ?? 480,
        };
        calendar.Holidays.AddRange(Dates(args, "holiday"));
        calendar.MakeUpWorkdays.AddRange(Dates(args, "make-up-workday"));
        using var connection = Connection.Open(args);
        var response = await connection.Admin().SetWorkingCalendarAsync(new SetWorkingCalendarRequest { Calendar = calendar });
        if (args.Has("json"))
        {
            Printer.PrintJson(response);
            return 0;
        }
        Console.WriteLine($"calendar {response.Calendar.CalendarId} set");
        PrintCalendar(response.Calendar);
        return 0;
    }

    public static async Task<int> ListCalendars(string[] argv)
    {
        var args = ArgReader.Parse("calendars list", argv, "json");
        args.AllowPositionals(0);
        using var connection = Connection.Open(args);
        var response = await connection.Admin().ListWorkingCalendarsAsync(new ListWorkingCalendarsRequest());
        if (args.Has("json"))
        {
            Printer.PrintJson(response);
            return 0;
        }
        if (response.Calendars.Count == 0)
        {
            Console.WriteLine("(no calendars)");
        }
        foreach (var calendar in response.Calendars)
        {
            PrintCalendar(calendar);
        }
        return 0;
    }

    /// <summary>A deadline rule as written on the command line: 96h, 7d or 10wd (working days).</summary>
    public static string RuleText(DeadlineRule? rule) => rule is null ? "-" : rule.RuleCase switch
    {
        DeadlineRule.RuleOneofCase.Hours => $"{rule.Hours}h",
        DeadlineRule.RuleOneofCase.Days => $"{rule.Days}d",
        DeadlineRule.RuleOneofCase.WorkingDays => $"{rule.WorkingDays}wd",
        _ => "-",
    };

    private static DeadlineRule? Rule(ArgReader args, string name)
    {
        if (args.Get(name) is not { } text)
        {
            return null;
        }
        var match = RulePattern().Match(text.Trim());
        if (!match.Success || !int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            throw new UsageException($"--{name} must be a number followed by h (hours), d (days) or wd (working days), e.g. 96h, 7d, 10wd; got '{text}'", args.Command);
        }
        return match.Groups[2].Value switch
        {
            "h" => new DeadlineRule { Hours = n },
            "d" => new DeadlineRule { Days = n },
            _ => new DeadlineRule { WorkingDays = n },
        };
    }

    private static string Prefix(ArgReader args)
    {
        args.AllowPositionals(1);
        return (args.Positionals.Count, args.Has("national")) switch
        {
            (1, false) => args.Positionals[0],
            (0, true) => string.Empty,
            (1, true) => throw new UsageException("give a REGION_PREFIX or --national, not both", args.Command),
            _ => throw new UsageException("missing REGION_PREFIX (2, 4 or 6 digits) or --national (the national default)", args.Command),
        };
    }

    private static IEnumerable<string> Dates(ArgReader args, string name) =>
        args.GetAll(name).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string PrefixName(string prefix) => prefix.Length == 0 ? "the national default" : prefix;

    private static void PrintPolicyTable(IEnumerable<RegionPolicy> policies)
    {
        Console.WriteLine($"{"PREFIX",-10}  {"SOURCE",-8}  {"1ST RESP",-8}  {"NEGOTIATE",-9}  {"LIMIT",-5}  {"ACCEPT",-6}  {"MEDIATE",-7}  {"EXECUTE",-7}  {"REOPEN",-6}  {"PURCHASE",-8}  {"WARN",-4}  CALENDAR");
        foreach (var p in policies)
        {
            Console.WriteLine(
                $"{(p.RegionPrefix.Length == 0 ? "(national)" : p.RegionPrefix),-10}  {Format.Enum(p.Source),-8}  {RuleText(p.FirstResponse),-8}  " +
                $"{RuleText(p.Negotiation),-9}  {p.NegotiationLimitDays + "d",-5}  {RuleText(p.CaseAcceptance),-6}  {RuleText(p.Mediation),-7}  " +
                $"{RuleText(p.SettlementExecution),-7}  {p.ReopenWindowDays + "d",-6}  {p.PurchaseWindowDays + "d",-8}  {p.WarningLeadHours + "h",-4}  " +
                $"{(p.CalendarId.Length == 0 ? "CN" : p.CalendarId)}");
        }
    }

    private static void PrintCalendar(WorkingCalendar c)
    {
        var offset = TimeSpan.FromMinutes(c.UtcOffsetMinutes);
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var name = c.DisplayName.Length == 0 ? string.Empty : $" {c.DisplayName}";
        Console.WriteLine($"{c.CalendarId}{name} (UTC{sign}{offset.Duration():hh\\:mm}, {Format.Enum(c.Source)})");
        Console.WriteLine($"  holidays ({c.Holidays.Count}): {(c.Holidays.Count == 0 ? "-" : string.Join(' ', c.Holidays))}");
        Console.WriteLine($"  make-up workdays ({c.MakeUpWorkdays.Count}): {(c.MakeUpWorkdays.Count == 0 ? "-" : string.Join(' ', c.MakeUpWorkdays))}");
    }

    [GeneratedRegex("^([0-9]{1,6})(h|d|wd)$")]
    private static partial Regex RulePattern();
}
