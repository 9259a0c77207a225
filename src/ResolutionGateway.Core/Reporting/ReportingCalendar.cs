using System.Globalization;

namespace ResolutionGateway.Core.Reporting;

/// <summary>
/// Reporting days are calendar days in Beijing time (UTC+8, no daylight saving), numbered from
/// 1970-01-01: day n covers [n·86,400,000 − 28,800,000, (n+1)·86,400,000 − 28,800,000) in Unix ms.
/// Weeks start on Monday (ISO); months are calendar months. Rollups and raw queries use the same numbers.
/// </summary>
public static class ReportingCalendar
{
    /// <summary>The reporting time zone's offset from UTC, in milliseconds.</summary>
    public const long OffsetMs = 8 * 3_600_000L;

    /// <summary>Milliseconds in a day.</summary>
    public const long DayMs = 86_400_000L;

    private static readonly DateOnly Epoch = new(1970, 1, 1);

    /// <summary>The reporting day of an instant.</summary>
    public static int DayOf(DateTimeOffset t) => DayOfUnixMs(t.ToUnixTimeMilliseconds());

    /// <summary>The reporting day of a Unix millisecond time.</summary>
    public static int DayOfUnixMs(long ms) => (int)Math.Floor((ms + OffsetMs) / (double)DayMs);

    /// <summary>First instant (Unix ms) of a reporting day.</summary>
    public static long StartUnixMs(int day) => (day * DayMs) - OffsetMs;

    /// <summary>The Monday that starts the ISO week of <paramref name="day"/> (1970-01-01 was a Thursday).</summary>
    public static int WeekStart(int day) => day - (((day + 3) % 7) + 7) % 7;

    /// <summary>The first day of the month of <paramref name="day"/>.</summary>
    public static int MonthStart(int day)
    {
        var date = ToDate(day);
        return FromDate(new DateOnly(date.Year, date.Month, 1));
    }

    /// <summary>The first day of the month after the one <paramref name="day"/> is in.</summary>
    public static int NextMonthStart(int day) => FromDate(ToDate(MonthStart(day)).AddMonths(1));

    /// <summary>The calendar date of a day number.</summary>
    public static DateOnly ToDate(int day) => Epoch.AddDays(day);

    /// <summary>The day number of a calendar date.</summary>
    public static int FromDate(DateOnly date) => date.DayNumber - Epoch.DayNumber;

    /// <summary>"YYYY-MM-DD" of a day number.</summary>
    public static string Format(int day) => ToDate(day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Parses "YYYY-MM-DD" (exactly); null when it is not a valid date.</summary>
    public static int? Parse(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? FromDate(date)
            : null;
}
