using ResolutionGateway.Core.Policies;
using static ResolutionGateway.Core.Tests.TestSupport.Calendars;

namespace ResolutionGateway.Core.Tests.Policies;

/// <summary>
/// Working days counted as the Civil Code counts periods: the starting day never counts, and a
/// period ends at 24:00 local of its last day. Fixture: the 2026 National Day schedule (rest
/// Thu 1 - Wed 7 October; Sun 20 September and Sat 10 October worked).
/// </summary>
public sealed class WorkingCalendarTests
{
    [Theory]
    [InlineData("2026-09-21", true)]  // Monday
    [InlineData("2026-09-25", true)]  // Friday
    [InlineData("2026-09-26", false)] // Saturday
    [InlineData("2026-09-27", false)] // Sunday
    [InlineData("2026-09-20", true)]  // Sunday, make-up workday
    [InlineData("2026-10-01", false)] // Thursday, National Day
    [InlineData("2026-10-05", false)] // Monday, holiday
    [InlineData("2026-10-07", false)] // Wednesday, last holiday
    [InlineData("2026-10-08", true)]  // Thursday, back to work
    [InlineData("2026-10-10", true)]  // Saturday, make-up workday
    [InlineData("2026-10-11", false)] // Sunday
    public void IsWorkingDay_China2026_WeekdaysHolidaysAndMakeUpDays(string date, bool expected)
    {
        // Arrange
        var day = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture);

        // Act
        var working = China2026.IsWorkingDay(day);

        // Assert
        Assert.Equal(expected, working);
    }

    [Theory]
    [InlineData("2026-10-01", true)]  // a Thursday: without holidays listed, an ordinary workday
    [InlineData("2026-10-10", false)] // a Saturday: without make-up days listed, a rest day
    public void IsWorkingDay_PlainCalendar_OnlyMondayToFriday(string date, bool expected)
    {
        // Arrange
        var day = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture);

        // Act
        var working = Plain.IsWorkingDay(day);

        // Assert
        Assert.Equal(expected, working);
    }

    [Fact]
    public void EndOfWorkingDays_FridayPlusOne_SkipsWeekendToEndOfMonday()
    {
        // Arrange: Friday 2026-09-04 10:00 local.
        var start = Local(2026, 9, 4, 10);

        // Act
        var due = Plain.EndOfWorkingDays(start, 1);

        // Assert: end of Monday 2026-09-07 local = 16:00Z the same day.
        Assert.Equal(Utc(2026, 9, 7, 16), due);
    }

    [Fact]
    public void EndOfWorkingDays_WednesdayPlusFive_CountsAcrossOneWeekend()
    {
        // Arrange: Wednesday 2026-09-09 10:00 local; Thu 10, Fri 11, Mon 14, Tue 15, Wed 16.
        var start = Local(2026, 9, 9, 10);

        // Act
        var due = Plain.EndOfWorkingDays(start, 5);

        // Assert
        Assert.Equal(Utc(2026, 9, 16, 16), due);
    }

    [Fact]
    public void EndOfWorkingDays_DayBeforeNationalDay_HolidaysSkipped()
    {
        // Arrange: Wednesday 2026-09-30 10:00 local; 1-7 October rest.
        var start = Local(2026, 9, 30, 10);

        // Act
        var due = China2026.EndOfWorkingDays(start, 1);

        // Assert: end of Thursday 2026-10-08.
        Assert.Equal(Utc(2026, 10, 8, 16), due);
    }

    [Fact]
    public void EndOfWorkingDays_SameStartPlainCalendar_HolidayIsAWorkday()
    {
        // Arrange: the same instant as above, without the holidays.
        var start = Local(2026, 9, 30, 10);

        // Act
        var due = Plain.EndOfWorkingDays(start, 1);

        // Assert: end of Thursday 2026-10-01.
        Assert.Equal(Utc(2026, 10, 1, 16), due);
    }

    [Fact]
    public void EndOfWorkingDays_FridayBeforeMakeUpSaturday_SaturdayCounts()
    {
        // Arrange: Friday 2026-10-09 10:00 local; Saturday 10 October is worked.
        var start = Local(2026, 10, 9, 10);

        // Act
        var due = China2026.EndOfWorkingDays(start, 1);

        // Assert: end of Saturday 2026-10-10 (a plain calendar would give Monday 12).
        Assert.Equal(Utc(2026, 10, 10, 16), due);
    }

    [Fact]
    public void EndOfWorkingDays_SaturdayBeforeMakeUpSunday_SundayCounts()
    {
        // Arrange: Saturday 2026-09-19 10:00 local; Sunday 20 September is worked.
        var start = Local(2026, 9, 19, 10);

        // Act
        var due = China2026.EndOfWorkingDays(start, 1);

        // Assert
        Assert.Equal(Utc(2026, 9, 20, 16), due);
    }

    [Fact]
    public void EndOfWorkingDays_FridayBeforeMakeUpSundayPlusThree_SundayMondayTuesday()
    {
        // Arrange: Friday 2026-09-18 10:00 local; Sat 19 rests, Sun 20 (1), Mon 21 (2), Tue 22 (3).
        var start = Local(2026, 9, 18, 10);

        // Act
        var due = China2026.EndOfWorkingDays(start, 3);

        // Assert
        Assert.Equal(Utc(2026, 9, 22, 16), due);
    }

    [Theory]
    [InlineData(1)] // Thursday, National Day itself
    [InlineData(3)] // Saturday within the holiday
    [InlineData(7)] // Wednesday, last day of the holiday
    public void EndOfWorkingDays_StartOnHoliday_FirstWorkdayAfterHolidayCounts(int octoberDay)
    {
        // Arrange
        var start = Local(2026, 10, octoberDay, 10);

        // Act
        var due = China2026.EndOfWorkingDays(start, 1);

        // Assert: end of Thursday 2026-10-08.
        Assert.Equal(Utc(2026, 10, 8, 16), due);
    }

    [Theory]
    [InlineData(26)] // Saturday
    [InlineData(27)] // Sunday
    public void EndOfWorkingDays_StartOnWeekend_MondayIsFirstWorkingDay(int septemberDay)
    {
        // Arrange
        var start = Local(2026, 9, septemberDay, 10);

        // Act
        var due = China2026.EndOfWorkingDays(start, 1);

        // Assert: end of Monday 2026-09-28.
        Assert.Equal(Utc(2026, 9, 28, 16), due);
    }

    [Fact]
    public void EndOfWorkingDays_StartOnMakeUpSaturday_StartDayDoesNotCount()
    {
        // Arrange: Saturday 2026-10-10 is worked, but it is the starting day.
        var start = Local(2026, 10, 10, 9);

        // Act
        var due = China2026.EndOfWorkingDays(start, 1);

        // Assert: Sunday 11 rests; end of Monday 2026-10-12.
        Assert.Equal(Utc(2026, 10, 12, 16), due);
    }

    [Fact]
    public void EndOfWorkingDays_StartOneSecondBeforeMidnight_StartDayDoesNotCount()
    {
        // Arrange: Monday 2026-09-28 23:59:59 local.
        var start = Local(2026, 9, 28, 23, 59, 59);

        // Act
        var due = China2026.EndOfWorkingDays(start, 1);

        // Assert: end of Tuesday 2026-09-29, not Monday.
        Assert.Equal(Utc(2026, 9, 29, 16), due);
    }

    [Fact]
    public void EndOfWorkingDays_StartAtLocalMidnight_StartDayDoesNotCount()
    {
        // Arrange: Monday 2026-09-28 00:00 local = Sunday 16:00Z.
        var start = Utc(2026, 9, 27, 16);

        // Act
        var due = China2026.EndOfWorkingDays(start, 1);

        // Assert: end of Tuesday 2026-09-29.
        Assert.Equal(Utc(2026, 9, 29, 16), due);
    }

    [Fact]
    public void LocalDate_UtcEveningBeforeNationalDay_IsNationalDayInUtcPlus8()
    {
        // Arrange: 2026-09-30T17:00Z is 01:00 on 1 October in China.
        var instant = Utc(2026, 9, 30, 17);

        // Act
        var local = China2026.LocalDate(instant);

        // Assert
        Assert.Equal(new DateOnly(2026, 10, 1), local);
    }

    [Fact]
    public void LocalDate_LastSecondBeforeLocalMidnight_SameLocalDay()
    {
        // Arrange: 2026-09-30T15:59:59Z is 23:59:59 on 30 September in China.
        var instant = Utc(2026, 9, 30, 15, 59, 59);

        // Act
        var local = China2026.LocalDate(instant);

        // Assert
        Assert.Equal(new DateOnly(2026, 9, 30), local);
    }

    [Fact]
    public void EndOfWorkingDays_UtcInstantOnNextLocalDay_CountsFromLocalDay()
    {
        // Arrange: 2026-09-29T17:00Z is Wednesday 30 September 01:00 local; counted from the UTC
        // date (Tuesday 29) the first working day would be the 30th.
        var start = Utc(2026, 9, 29, 17);

        // Act
        var due = China2026.EndOfWorkingDays(start, 1);

        // Assert: 1-7 October rest; end of Thursday 2026-10-08.
        Assert.Equal(Utc(2026, 10, 8, 16), due);
    }

    [Fact]
    public void EndOfWorkingDays_UtcThursdayEveningIsLocalFriday_WeekendSkipped()
    {
        // Arrange: 2026-09-24T17:00Z (a Thursday in UTC) is Friday 25 September 01:00 local.
        var start = Utc(2026, 9, 24, 17);

        // Act
        var due = China2026.EndOfWorkingDays(start, 1);

        // Assert: end of Monday 2026-09-28, not Friday 25.
        Assert.Equal(Utc(2026, 9, 28, 16), due);
    }

    [Fact]
    public void EndOfWorkingDays_AnyStart_EndsAt2400LocalWhichIs1600ZOfThatDay()
    {
        // Arrange
        var start = Local(2026, 9, 28, 10);

        // Act
        var due = China2026.EndOfWorkingDays(start, 1);

        // Assert: 24:00 of 29 September local = 00:00 of 30 September +08:00 = 16:00Z on the 29th.
        Assert.Equal(TimeSpan.Zero, due.Offset);
        Assert.Equal(new DateTime(2026, 9, 29, 16, 0, 0), due.DateTime);
        Assert.Equal(new DateTimeOffset(2026, 9, 30, 0, 0, 0, TimeSpan.FromHours(8)), due.ToOffset(TimeSpan.FromHours(8)));
    }

    [Fact]
    public void EndOfWorkingDays_CalendarInUtc_EndsAtUtcMidnight()
    {
        // Arrange: the same rules in UTC; Friday 2026-09-25 10:00Z.
        var calendar = WorkingCalendar.Plain("UTC") with { UtcOffset = TimeSpan.Zero };
        var start = Utc(2026, 9, 25, 10);

        // Act
        var due = calendar.EndOfWorkingDays(start, 1);

        // Assert: end of Monday 28 = 2026-09-29T00:00Z.
        Assert.Equal(Utc(2026, 9, 29), due);
    }

    [Fact]
    public void EndOfWorkingDays_TenFromFridayBeforeNationalDay_EndOfThursday15October()
    {
        // Arrange: opened Friday 2026-09-25 10:00 local. Counted: Mon 28, Tue 29, Wed 30 (3);
        // 1-7 October rest; Thu 8, Fri 9, Sat 10 (make-up), Mon 12, Tue 13, Wed 14, Thu 15 (10).
        var start = Local(2026, 9, 25, 10);

        // Act
        var due = China2026.EndOfWorkingDays(start, 10);

        // Assert
        Assert.Equal(Utc(2026, 10, 15, 16), due);
    }

    [Fact]
    public void EndOfWorkingDays_TenFromSameFridayPlainCalendar_EndOfFriday9October()
    {
        // Arrange: without the holidays: Sep 28, 29, 30, Oct 1, 2, 5, 6, 7, 8, 9.
        var start = Local(2026, 9, 25, 10);

        // Act
        var due = Plain.EndOfWorkingDays(start, 10);

        // Assert
        Assert.Equal(Utc(2026, 10, 9, 16), due);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void EndOfWorkingDays_NotPositive_ArgumentOutOfRange(int workingDays)
    {
        // Arrange
        var start = Local(2026, 9, 25, 10);

        // Act
        var ex = Record.Exception(() => China2026.EndOfWorkingDays(start, workingDays));

        // Assert
        Assert.IsType<ArgumentOutOfRangeException>(ex);
    }
}
