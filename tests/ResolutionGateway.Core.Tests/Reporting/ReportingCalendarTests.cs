using ResolutionGateway.Core.Reporting;

namespace ResolutionGateway.Core.Tests.Reporting;

public sealed class ReportingCalendarTests
{
    [Theory]
    [InlineData("2026-10-31T15:59:59.999Z", "2026-10-31")]
    [InlineData("2026-10-31T16:00:00.000Z", "2026-11-01")]
    [InlineData("1970-01-01T00:00:00.000Z", "1970-01-01")]
    [InlineData("1969-12-31T16:00:00.000Z", "1970-01-01")]
    public void DayOf_InstantNearBeijingMidnight_FallsOnBeijingDate(string instant, string expected)
    {
        var day = ReportingCalendar.DayOf(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(expected, ReportingCalendar.Format(day));
    }

    [Fact]
    public void StartUnixMs_Day_IsBeijingMidnightInUtc()
    {
        var day = ReportingCalendar.Parse("2026-11-01")!.Value;
        Assert.Equal(new DateTimeOffset(2026, 10, 31, 16, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), ReportingCalendar.StartUnixMs(day));
        Assert.Equal(day, ReportingCalendar.DayOfUnixMs(ReportingCalendar.StartUnixMs(day)));
        Assert.Equal(day - 1, ReportingCalendar.DayOfUnixMs(ReportingCalendar.StartUnixMs(day) - 1));
    }

    [Theory]
    [InlineData("2026-11-23", "2026-11-23")] // Monday
    [InlineData("2026-11-29", "2026-11-23")] // Sunday
    [InlineData("2026-11-22", "2026-11-16")]
    [InlineData("2026-01-01", "2025-12-29")] // Thursday, ISO week 1 starts in December
    public void WeekStart_Day_IsMondayOfItsWeek(string date, string monday)
    {
        Assert.Equal(monday, ReportingCalendar.Format(ReportingCalendar.WeekStart(ReportingCalendar.Parse(date)!.Value)));
    }

    [Theory]
    [InlineData("2026-12-31", "2026-12-01", "2027-01-01")]
    [InlineData("2026-02-01", "2026-02-01", "2026-03-01")]
    [InlineData("2028-02-29", "2028-02-01", "2028-03-01")]
    public void MonthStart_Day_IsFirstOfMonthAndNextMonthFollows(string date, string first, string next)
    {
        var day = ReportingCalendar.Parse(date)!.Value;
        Assert.Equal(first, ReportingCalendar.Format(ReportingCalendar.MonthStart(day)));
        Assert.Equal(next, ReportingCalendar.Format(ReportingCalendar.NextMonthStart(day)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("2026-2-01")]
    [InlineData("2026-02-30")]
    [InlineData("2026/02/01")]
    [InlineData("2026-02-01T00:00")]
    public void Parse_NotStrictIsoDate_ReturnsNull(string text)
    {
        Assert.Null(ReportingCalendar.Parse(text));
    }
}
