using ResolutionGateway.Core.Policies;
using ResolutionGateway.Core.Tests.TestSupport;
using static ResolutionGateway.Core.Tests.TestSupport.Calendars;

namespace ResolutionGateway.Core.Tests.Policies;

public sealed class EffectivePolicyTests
{
    /// <summary>Friday 2026-09-25 10:00 in China.</summary>
    private static readonly DateTimeOffset OpenedAt = Local(2026, 9, 25, 10);

    private static EffectivePolicy With(DeadlineRule firstResponse, DeadlineRule negotiation, TimeSpan? warningLead = null,
        TimeSpan? limit = null, WorkingCalendar? calendar = null)
    {
        var policy = new RegionPolicy
        {
            RegionPrefix = "33",
            FirstResponse = firstResponse,
            Negotiation = negotiation,
            WarningLead = warningLead ?? TimeSpan.FromHours(12),
            NegotiationLimit = limit ?? TimeSpan.FromDays(RegionPolicy.DefaultNegotiationLimitDays),
        };
        return new EffectivePolicy(policy, calendar ?? China2026);
    }

    [Fact]
    public void DeadlinesFrom_NationalDefault_96HoursAnd7DaysWarned12HoursAhead()
    {
        // Arrange
        var effective = PolicySet.BuiltIn.For(Samples.RegionCode);

        // Act
        var deadlines = effective.DeadlinesFrom(OpenedAt);

        // Assert
        Assert.Equal(new DisputeDeadlines(
            OpenedAt.AddHours(96), OpenedAt.AddHours(84), OpenedAt.AddDays(7), OpenedAt.AddDays(7).AddHours(-12)), deadlines);
    }

    [Fact]
    public void DeadlinesFrom_HoursRule_ElapsedHoursIgnoringHolidays()
    {
        // Arrange: 48 h from the Friday before National Day run straight through the weekend.
        var effective = With(DeadlineRule.Hours(48), DeadlineRule.Days(7));

        // Act
        var deadlines = effective.DeadlinesFrom(OpenedAt);

        // Assert
        Assert.Equal(Utc(2026, 9, 27, 2), deadlines.FirstResponseDue);
        Assert.Equal(Utc(2026, 9, 26, 14), deadlines.FirstResponseWarnAt);
    }

    [Fact]
    public void DeadlinesFrom_DaysRule_ElapsedDaysOf24Hours()
    {
        // Arrange
        var effective = With(DeadlineRule.Hours(96), DeadlineRule.Days(10));

        // Act
        var deadlines = effective.DeadlinesFrom(OpenedAt);

        // Assert: 10 days later at the same time of day, holidays or not.
        Assert.Equal(Utc(2026, 10, 5, 2), deadlines.NegotiationDue);
        Assert.Equal(Utc(2026, 10, 4, 14), deadlines.NegotiationWarnAt);
    }

    [Fact]
    public void DeadlinesFrom_WorkingDaysRule_EndOfTenthWorkingDayWarned12HoursAhead()
    {
        // Arrange: the ODR rule of 10 working days, with the 2026 National Day schedule.
        var effective = With(DeadlineRule.WorkingDays(10), DeadlineRule.Days(7));

        // Act
        var deadlines = effective.DeadlinesFrom(OpenedAt);

        // Assert: end of Thursday 15 October local; the warning at 12:00 local that day.
        Assert.Equal(Utc(2026, 10, 15, 16), deadlines.FirstResponseDue);
        Assert.Equal(Utc(2026, 10, 15, 4), deadlines.FirstResponseWarnAt);
    }

    [Fact]
    public void DeadlinesFrom_WorkingDaysRuleOtherCalendar_UsesThatCalendar()
    {
        // Arrange: the same rule on a calendar that knows no holidays.
        var effective = With(DeadlineRule.WorkingDays(10), DeadlineRule.Days(7), calendar: Plain);

        // Act
        var deadlines = effective.DeadlinesFrom(OpenedAt);

        // Assert: end of Friday 9 October local.
        Assert.Equal(Utc(2026, 10, 9, 16), deadlines.FirstResponseDue);
    }

    [Fact]
    public void DeadlinesFrom_NegotiationBeyondLimit_CappedAtOpeningPlusLimit()
    {
        // Arrange: 20 days asked, 14 at the most.
        var effective = With(DeadlineRule.Hours(96), DeadlineRule.Days(20));

        // Act
        var deadlines = effective.DeadlinesFrom(OpenedAt);

        // Assert: the warning follows the capped deadline.
        Assert.Equal(OpenedAt.AddDays(14), deadlines.NegotiationDue);
        Assert.Equal(OpenedAt.AddDays(14).AddHours(-12), deadlines.NegotiationWarnAt);
    }

    [Fact]
    public void DeadlinesFrom_WorkingDaysNegotiationAcrossHoliday_CappedAtLimit()
    {
        // Arrange: 10 working days would end on 15 October, 20 days after opening; the limit is 14.
        var effective = With(DeadlineRule.Hours(96), DeadlineRule.WorkingDays(10));

        // Act
        var deadlines = effective.DeadlinesFrom(OpenedAt);

        // Assert: 2026-10-09 10:00 local.
        Assert.Equal(Utc(2026, 10, 9, 2), deadlines.NegotiationDue);
    }

    [Fact]
    public void DeadlinesFrom_NegotiationWithinCustomLimit_NotCapped()
    {
        // Arrange
        var effective = With(DeadlineRule.Hours(96), DeadlineRule.Days(7), limit: TimeSpan.FromDays(10));

        // Act
        var deadlines = effective.DeadlinesFrom(OpenedAt);

        // Assert
        Assert.Equal(OpenedAt.AddDays(7), deadlines.NegotiationDue);
    }

    [Fact]
    public void DeadlinesFrom_NegotiationBeyondCustomLimit_CappedAtCustomLimit()
    {
        // Arrange
        var effective = With(DeadlineRule.Hours(96), DeadlineRule.Days(7), limit: TimeSpan.FromDays(5));

        // Act
        var deadlines = effective.DeadlinesFrom(OpenedAt);

        // Assert
        Assert.Equal(OpenedAt.AddDays(5), deadlines.NegotiationDue);
    }

    [Fact]
    public void DeadlinesFrom_NegotiationEqualToLimit_Unchanged()
    {
        // Arrange
        var effective = With(DeadlineRule.Hours(96), DeadlineRule.Days(14));

        // Act
        var deadlines = effective.DeadlinesFrom(OpenedAt);

        // Assert
        Assert.Equal(OpenedAt.AddDays(14), deadlines.NegotiationDue);
    }

    [Fact]
    public void DeadlinesFrom_CustomLead_WarningsThatLongBeforeEachDeadline()
    {
        // Arrange
        var effective = With(DeadlineRule.Hours(96), DeadlineRule.Days(7), warningLead: TimeSpan.FromHours(24));

        // Act
        var deadlines = effective.DeadlinesFrom(OpenedAt);

        // Assert
        Assert.Equal(OpenedAt.AddHours(72), deadlines.FirstResponseWarnAt);
        Assert.Equal(OpenedAt.AddDays(6), deadlines.NegotiationWarnAt);
    }

    [Theory]
    [InlineData(12)] // the warning would fall at the opening itself
    [InlineData(6)]  // the warning would fall before the opening
    public void DeadlinesFrom_LeadNotShorterThanDeadline_NoWarning(int firstResponseHours)
    {
        // Arrange: lead 12 h.
        var effective = With(DeadlineRule.Hours(firstResponseHours), DeadlineRule.Days(7));

        // Act
        var deadlines = effective.DeadlinesFrom(OpenedAt);

        // Assert
        Assert.Null(deadlines.FirstResponseWarnAt);
        Assert.Equal(OpenedAt.AddHours(firstResponseHours), deadlines.FirstResponseDue);
        Assert.NotNull(deadlines.NegotiationWarnAt);
    }

    [Fact]
    public void DeadlinesFrom_LeadJustShorterThanDeadline_WarningRightAfterOpening()
    {
        // Arrange: 13 h with a lead of 12 h.
        var effective = With(DeadlineRule.Hours(13), DeadlineRule.Days(7));

        // Act
        var deadlines = effective.DeadlinesFrom(OpenedAt);

        // Assert
        Assert.Equal(OpenedAt.AddHours(1), deadlines.FirstResponseWarnAt);
    }

    [Fact]
    public void DeadlinesFrom_LeadLongerThanCappedNegotiation_NoNegotiationWarning()
    {
        // Arrange: a limit of 1 day, lead of 36 h.
        var effective = With(DeadlineRule.Hours(96), DeadlineRule.Days(7), warningLead: TimeSpan.FromHours(36), limit: TimeSpan.FromDays(1));

        // Act
        var deadlines = effective.DeadlinesFrom(OpenedAt);

        // Assert
        Assert.Equal(OpenedAt.AddDays(1), deadlines.NegotiationDue);
        Assert.Null(deadlines.NegotiationWarnAt);
    }

    [Fact]
    public void DeadlinesFrom_ZeroLead_NoWarnings()
    {
        // Arrange
        var effective = With(DeadlineRule.Hours(96), DeadlineRule.Days(7), warningLead: TimeSpan.Zero);

        // Act
        var deadlines = effective.DeadlinesFrom(OpenedAt);

        // Assert
        Assert.Null(deadlines.FirstResponseWarnAt);
        Assert.Null(deadlines.NegotiationWarnAt);
        Assert.Equal(OpenedAt.AddHours(96), deadlines.FirstResponseDue);
        Assert.Equal(OpenedAt.AddDays(7), deadlines.NegotiationDue);
    }

    [Theory]
    [InlineData(DeadlineUnit.Hours, 5, "5 h")]
    [InlineData(DeadlineUnit.Days, 7, "7 days")]
    [InlineData(DeadlineUnit.WorkingDays, 10, "10 working days")]
    public void DeadlineRule_ToString_AmountAndUnit(DeadlineUnit unit, int amount, string expected)
    {
        // Arrange
        var rule = new DeadlineRule(unit, amount);

        // Act
        var text = rule.ToString();

        // Assert
        Assert.Equal(expected, text);
    }

    [Fact]
    public void DueFrom_UnknownUnit_InvalidOperation()
    {
        // Arrange
        var rule = new DeadlineRule((DeadlineUnit)99, 1);

        // Act
        var ex = Record.Exception(() => rule.DueFrom(OpenedAt, China2026));

        // Assert
        Assert.IsType<InvalidOperationException>(ex);
    }
}
