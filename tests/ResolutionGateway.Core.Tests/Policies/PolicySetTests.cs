using ResolutionGateway.Core.Policies;

namespace ResolutionGateway.Core.Tests.Policies;

public sealed class PolicySetTests
{
    private static readonly RegionPolicy Zhejiang = new()
    {
        RegionPrefix = "33", FirstResponse = DeadlineRule.Hours(72), Negotiation = DeadlineRule.Days(7),
    };

    private static readonly RegionPolicy Hangzhou = new()
    {
        RegionPrefix = "3301", FirstResponse = DeadlineRule.Hours(96), Negotiation = DeadlineRule.Days(7),
        PurchaseWindow = TimeSpan.FromDays(31),
    };

    private static readonly RegionPolicy Xihu = new()
    {
        RegionPrefix = "330106", FirstResponse = DeadlineRule.Hours(48), Negotiation = DeadlineRule.Days(5),
        PurchaseWindow = TimeSpan.FromDays(31),
    };

    private static readonly PolicySet Set = new([Zhejiang, Hangzhou, Xihu], []);

    [Theory]
    [InlineData("330106", "xihu")]
    [InlineData("330105", "hangzhou")]
    [InlineData("330203", "zhejiang")]
    [InlineData("320106", "national")]
    [InlineData("110101", "national")]
    public void For_RegionCode_LongestMatchingPrefixWins(string regionCode, string expected)
    {
        // Arrange
        var byName = new Dictionary<string, RegionPolicy>
        {
            ["xihu"] = Xihu, ["hangzhou"] = Hangzhou, ["zhejiang"] = Zhejiang, ["national"] = RegionPolicy.NationalDefault,
        };

        // Act
        var effective = Set.For(regionCode);

        // Assert
        Assert.Same(byName[expected], effective.Policy);
    }

    [Fact]
    public void For_OnlyProvincePolicy_CityCodeFallsBackToProvince()
    {
        // Arrange: no city or district policy under 33.
        var set = new PolicySet([Zhejiang], []);

        // Act
        var effective = set.For("330106");

        // Assert
        Assert.Same(Zhejiang, effective.Policy);
    }

    [Fact]
    public void NationalDefault_Values_96Hours7DaysLimit14Window30Lead12CalendarCn()
    {
        // Arrange
        var policy = RegionPolicy.NationalDefault;

        // Act
        var values = (policy.RegionPrefix, policy.FirstResponse, policy.Negotiation, policy.NegotiationLimit, policy.PurchaseWindow,
            policy.WarningLead, policy.CalendarId, policy.Source);

        // Assert
        Assert.Equal(("", DeadlineRule.Hours(96), DeadlineRule.Days(7), TimeSpan.FromDays(14), TimeSpan.FromDays(30),
            TimeSpan.FromHours(12), "CN", PolicySource.BuiltIn), values);
    }

    [Fact]
    public void BuiltIn_AnyRegion_NationalDefaultWithPlainCnCalendar()
    {
        // Arrange
        var set = PolicySet.BuiltIn;

        // Act
        var effective = set.For("330106");

        // Assert
        Assert.Same(RegionPolicy.NationalDefault, effective.Policy);
        Assert.Equal("CN", effective.Calendar.CalendarId);
        Assert.Empty(effective.Calendar.Holidays);
        Assert.Empty(effective.Calendar.MakeUpWorkdays);
        Assert.Equal(TimeSpan.FromHours(8), effective.Calendar.UtcOffset);
    }

    [Fact]
    public void For_EmptyPrefixPolicy_ReplacesNationalDefault()
    {
        // Arrange
        var national = new RegionPolicy { RegionPrefix = "", FirstResponse = DeadlineRule.Hours(72), Negotiation = DeadlineRule.Days(10) };
        var set = new PolicySet([national, Zhejiang], []);

        // Act
        var beijing = set.For("110101");
        var hangzhou = set.For("330106");

        // Assert
        Assert.Same(national, beijing.Policy);
        Assert.Same(Zhejiang, hangzhou.Policy);
        Assert.Same(national, set.Exact(""));
    }

    [Fact]
    public void Constructor_SamePrefixTwice_LaterEntryWins()
    {
        // Arrange: configured first, then the one set through the API (as PolicyCatalog passes them).
        var admin = Zhejiang with { FirstResponse = DeadlineRule.Hours(24), Source = PolicySource.Admin };

        // Act
        var set = new PolicySet([Zhejiang, admin], []);

        // Assert
        Assert.Same(admin, set.For("330203").Policy);
        Assert.Equal(2, set.Policies.Count);
    }

    [Fact]
    public void Policies_SeveralPrefixes_NationalDefaultFirstThenByPrefix()
    {
        // Arrange
        var set = new PolicySet([Xihu, Zhejiang, Hangzhou], []);

        // Act
        var prefixes = set.Policies.Select(p => p.RegionPrefix);

        // Assert
        Assert.Equal(["", "33", "3301", "330106"], prefixes);
    }

    [Theory]
    [InlineData("33", true)]
    [InlineData("3301", true)]
    [InlineData("330106", true)]
    [InlineData("3302", false)]
    [InlineData("", true)]
    [InlineData("32", false)]
    public void Exact_Prefix_OnlyThatPrefix(string prefix, bool found)
    {
        // Arrange
        var set = Set;

        // Act
        var policy = set.Exact(prefix);

        // Assert
        Assert.Equal(found, policy is not null);
        Assert.True(policy is null || policy.RegionPrefix == prefix);
    }

    [Fact]
    public void For_PolicyNamesDefinedCalendar_UsesThatCalendar()
    {
        // Arrange
        var calendar = new WorkingCalendar { CalendarId = "ZJ", Holidays = new HashSet<DateOnly> { new(2026, 10, 1) } };
        var policy = Zhejiang with { CalendarId = "ZJ" };
        var set = new PolicySet([policy], [calendar]);

        // Act
        var effective = set.For("330106");

        // Assert
        Assert.Same(calendar, effective.Calendar);
    }

    [Fact]
    public void Calendar_UnknownId_PlainMondayToFridayUtcPlus8()
    {
        // Arrange
        var set = new PolicySet([], [new WorkingCalendar { CalendarId = "CN" }]);

        // Act
        var calendar = set.Calendar("XX");

        // Assert
        Assert.Equal("XX", calendar.CalendarId);
        Assert.Equal(TimeSpan.FromHours(8), calendar.UtcOffset);
        Assert.Empty(calendar.Holidays);
        Assert.Empty(calendar.MakeUpWorkdays);
        Assert.Equal(PolicySource.BuiltIn, calendar.Source);
        Assert.False(set.HasCalendar("XX"));
        Assert.True(set.HasCalendar("CN"));
    }

    [Fact]
    public void For_PolicyNamesUnknownCalendar_FallsBackToPlainCalendarOfThatId()
    {
        // Arrange
        var policy = Zhejiang with { CalendarId = "ZJ" };
        var set = new PolicySet([policy], []);

        // Act
        var effective = set.For("330106");

        // Assert
        Assert.Equal("ZJ", effective.Calendar.CalendarId);
        Assert.Empty(effective.Calendar.Holidays);
    }

    [Fact]
    public void Constructor_SameCalendarIdTwice_LaterEntryWins()
    {
        // Arrange: configured first, then the one set through the API (as PolicyCatalog passes them).
        var configured = new WorkingCalendar { CalendarId = "CN", DisplayName = "configured" };
        var admin = new WorkingCalendar { CalendarId = "CN", DisplayName = "admin", Source = PolicySource.Admin };

        // Act
        var set = new PolicySet([], [configured, admin]);

        // Assert
        Assert.Same(admin, set.Calendar("CN"));
        Assert.Same(admin, Assert.Single(set.Calendars));
    }
}
