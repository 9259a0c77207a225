using ResolutionGateway.Core.Policies;

namespace ResolutionGateway.Core.Tests.TestSupport;

/// <summary>Working-day calendars as fixtures.</summary>
internal static class Calendars
{
    /// <summary>
    /// The 2026 National Day schedule as published by the State Council: rest from Thursday 1 to
    /// Wednesday 7 October; Sunday 20 September and Saturday 10 October are worked instead.
    /// </summary>
    public static WorkingCalendar China2026 { get; } = new()
    {
        CalendarId = "CN",
        DisplayName = "Mainland China 2026 (National Day only)",
        Holidays = new HashSet<DateOnly>(Enumerable.Range(1, 7).Select(day => new DateOnly(2026, 10, day))),
        MakeUpWorkdays = new HashSet<DateOnly> { new(2026, 9, 20), new(2026, 10, 10) },
    };

    /// <summary>Monday to Friday in UTC+8, nothing else.</summary>
    public static WorkingCalendar Plain { get; } = WorkingCalendar.Plain("PLAIN");

    /// <summary>An instant given in China's local time (UTC+8).</summary>
    public static DateTimeOffset Local(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) =>
        new(year, month, day, hour, minute, second, TimeSpan.FromHours(8));

    /// <summary>An instant in UTC.</summary>
    public static DateTimeOffset Utc(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) =>
        new(year, month, day, hour, minute, second, TimeSpan.Zero);
}
