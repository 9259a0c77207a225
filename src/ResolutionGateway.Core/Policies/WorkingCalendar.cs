namespace ResolutionGateway.Core.Policies;

/// <summary>
/// A working-day calendar: Monday to Friday work, weekends rest, except the listed public holidays
/// (rest) and make-up workdays (调休: weekend days that are worked, around long holidays).
/// Dates are in the calendar's local time (China: UTC+8, no daylight saving).
/// </summary>
public sealed record WorkingCalendar
{
    /// <summary>Id, e.g. "CN".</summary>
    public required string CalendarId { get; init; }
    /// <summary>Display name.</summary>
    public string DisplayName { get; init; } = "";
    /// <summary>Local time offset from UTC.</summary>
    public TimeSpan UtcOffset { get; init; } = TimeSpan.FromHours(8);
    /// <summary>Public holidays (rest days that would otherwise be worked).</summary>
    public IReadOnlySet<DateOnly> Holidays { get; init; } = new HashSet<DateOnly>();
    /// <summary>Make-up workdays (weekend days that are worked).</summary>
    public IReadOnlySet<DateOnly> MakeUpWorkdays { get; init; } = new HashSet<DateOnly>();
    /// <summary>Where it comes from.</summary>
    public PolicySource Source { get; init; } = PolicySource.Config;
    /// <summary>When it was set through the API; null otherwise.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>A calendar without holidays, in UTC+8 (what an unknown calendar id falls back to).</summary>
    public static WorkingCalendar Plain(string calendarId) => new() { CalendarId = calendarId, Source = PolicySource.BuiltIn };

    /// <summary>True when people work on <paramref name="day"/>.</summary>
    public bool IsWorkingDay(DateOnly day) =>
        MakeUpWorkdays.Contains(day) || (!Holidays.Contains(day) && day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday));

    /// <summary>The local date of an instant.</summary>
    public DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(UtcOffset).DateTime);

    /// <summary>
    /// The end (24:00 local) of the <paramref name="workingDays"/>-th working day after the day of
    /// <paramref name="start"/>. As in the Civil Code: the starting day does not count (art. 201)
    /// and a period ends at 24:00 of its last day (art. 203).
    /// </summary>
    public DateTimeOffset EndOfWorkingDays(DateTimeOffset start, int workingDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(workingDays);
        var day = LocalDate(start);
        for (var counted = 0; counted < workingDays;)
        {
            day = day.AddDays(1);
            if (IsWorkingDay(day))
            {
                counted++;
            }
        }
        var midnightAfter = day.AddDays(1).ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(midnightAfter, UtcOffset).ToUniversalTime();
    }
}
