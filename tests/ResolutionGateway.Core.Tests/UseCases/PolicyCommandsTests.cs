using ResolutionGateway.Core.Errors;
using ResolutionGateway.Core.Policies;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.Tests.TestSupport;
using ResolutionGateway.Core.UseCases;
using static ResolutionGateway.Core.Tests.TestSupport.Calendars;

namespace ResolutionGateway.Core.Tests.UseCases;

public sealed class PolicyCommandsTests
{
    private static readonly DateTimeOffset Now = Utc(2026, 9, 20, 8);
    private static readonly Principal Admin = new(CredentialRole.Admin, "", "key_admin");
    private static readonly CancellationToken Ct = CancellationToken.None;

    /// <summary>Configured (from the configuration file): Zhejiang, 72 h and 7 days.</summary>
    private static readonly RegionPolicy ConfiguredZhejiang = new()
    {
        RegionPrefix = "33", FirstResponse = DeadlineRule.Hours(72), Negotiation = DeadlineRule.Days(7),
    };

    private readonly InMemoryPolicyStore _store = new();
    private readonly ManualTimeProvider _clock = new(Now);
    private readonly PolicyCatalog _catalog;
    private readonly PolicyCommands _commands;

    public PolicyCommandsTests()
    {
        _catalog = new PolicyCatalog([ConfiguredZhejiang], [], _store);
        _commands = new PolicyCommands(_store, _catalog, _clock);
    }

    private static RegionPolicyInput Valid(string prefix = "3301") =>
        new(prefix, DeadlineRule.Hours(24), DeadlineRule.Days(10), 0, 0, 12, "");

    private static WorkingCalendarInput ValidCalendar(string id = "CN") => new(id, "China 2026", 480,
        ["2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07"], ["2026-09-20", "2026-10-10"]);

    private static async Task<ValidationException> InvalidAsync(Func<Task> act) =>
        Assert.IsType<ValidationException>(await Record.ExceptionAsync(act));

    // --- permissions ---

    [Theory]
    [InlineData(CredentialRole.Channel, "alipay")]
    [InlineData(CredentialRole.Merchant, "m_west_lake_tea")]
    [InlineData(CredentialRole.Regulator, "33")]
    [InlineData(CredentialRole.Unspecified, "")]
    public async Task EveryCommand_NonAdmin_PermissionDenied(CredentialRole role, string scope)
    {
        // Arrange
        var p = new Principal(role, scope, "key_other");

        // Act
        Exception?[] errors =
        [
            await Record.ExceptionAsync(() => _commands.SetPolicyAsync(p, Valid(), Ct)),
            await Record.ExceptionAsync(() => _commands.DeletePolicyAsync(p, "33", Ct)),
            Record.Exception(() => _commands.ListPolicies(p)),
            Record.Exception(() => _commands.Resolve(p, "330106", null)),
            await Record.ExceptionAsync(() => _commands.SetCalendarAsync(p, ValidCalendar(), Ct)),
            Record.Exception(() => _commands.ListCalendars(p)),
        ];

        // Assert
        Assert.All(errors, e => Assert.IsType<PermissionDeniedException>(e));
        Assert.Empty(_store.Policies);
        Assert.Empty(_store.Calendars);
    }

    // --- SetPolicy validation ---

    [Theory]
    [InlineData("3")]
    [InlineData("330")]
    [InlineData("3301061")]
    [InlineData("99")]   // no province 99
    [InlineData("10")]   // no province 10
    [InlineData("3a")]
    [InlineData(" 33")]
    public async Task SetPolicyAsync_BadPrefix_ViolationOnRegionPrefix(string prefix)
    {
        // Arrange
        var input = Valid(prefix);

        // Act
        var ex = await InvalidAsync(() => _commands.SetPolicyAsync(Admin, input, Ct));

        // Assert
        Assert.Equal("policy.region_prefix", Assert.Single(ex.Violations).Field);
    }

    [Fact]
    public async Task SetPolicyAsync_MissingRules_ViolationOnEachRule()
    {
        // Arrange
        var input = Valid() with { FirstResponse = null, Negotiation = null };

        // Act
        var ex = await InvalidAsync(() => _commands.SetPolicyAsync(Admin, input, Ct));

        // Assert
        Assert.Equal(["policy.first_response", "policy.negotiation"], ex.Violations.Select(v => v.Field));
    }

    [Fact]
    public async Task SetPolicyAsync_MissingNegotiationOnly_ViolationOnNegotiation()
    {
        // Arrange
        var input = Valid() with { Negotiation = null };

        // Act
        var ex = await InvalidAsync(() => _commands.SetPolicyAsync(Admin, input, Ct));

        // Assert
        Assert.Equal("policy.negotiation", Assert.Single(ex.Violations).Field);
    }

    public static TheoryData<string, RegionPolicyInput> OutOfRange() => new()
    {
        { "policy.first_response.hours", Valid() with { FirstResponse = DeadlineRule.Hours(0) } },
        { "policy.first_response.hours", Valid() with { FirstResponse = DeadlineRule.Hours(2161) } },
        { "policy.first_response.days", Valid() with { FirstResponse = DeadlineRule.Days(0) } },
        { "policy.first_response.days", Valid() with { FirstResponse = DeadlineRule.Days(91) } },
        { "policy.first_response.working_days", Valid() with { FirstResponse = DeadlineRule.WorkingDays(0) } },
        { "policy.first_response.working_days", Valid() with { FirstResponse = DeadlineRule.WorkingDays(61) } },
        { "policy.negotiation.hours", Valid() with { Negotiation = DeadlineRule.Hours(-1) } },
        { "policy.negotiation.days", Valid() with { Negotiation = DeadlineRule.Days(91) } },
        { "policy.negotiation.working_days", Valid() with { Negotiation = DeadlineRule.WorkingDays(61) } },
        { "policy.negotiation_limit_days", Valid() with { NegotiationLimitDays = -1 } },
        { "policy.negotiation_limit_days", Valid() with { NegotiationLimitDays = 31 } },
        { "policy.purchase_window_days", Valid() with { PurchaseWindowDays = -1 } },
        { "policy.purchase_window_days", Valid() with { PurchaseWindowDays = 366 } },
        { "policy.warning_lead_hours", Valid() with { WarningLeadHours = -1 } },
        { "policy.warning_lead_hours", Valid() with { WarningLeadHours = 169 } },
        { "policy.calendar_id", Valid() with { CalendarId = "no spaces" } },
        { "policy.calendar_id", Valid() with { CalendarId = new string('c', 65) } },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public async Task SetPolicyAsync_OutOfRange_ViolationNamingTheField(string field, RegionPolicyInput input)
    {
        // Arrange: one bad value per case.

        // Act
        var ex = await InvalidAsync(() => _commands.SetPolicyAsync(Admin, input, Ct));

        // Assert
        Assert.Equal(field, Assert.Single(ex.Violations).Field);
        Assert.Empty(_store.Policies);
    }

    [Fact]
    public async Task SetPolicyAsync_SeveralBadValues_AllReportedTogether()
    {
        // Arrange
        var input = new RegionPolicyInput("3", DeadlineRule.Hours(0), null, 31, 366, 169, "a b");

        // Act
        var ex = await InvalidAsync(() => _commands.SetPolicyAsync(Admin, input, Ct));

        // Assert
        Assert.Equal(
            ["policy.region_prefix", "policy.first_response.hours", "policy.negotiation", "policy.negotiation_limit_days",
                "policy.purchase_window_days", "policy.warning_lead_hours", "policy.calendar_id"],
            ex.Violations.Select(v => v.Field));
    }

    public static TheoryData<RegionPolicyInput> Boundaries() =>
    [
        Valid() with { FirstResponse = DeadlineRule.Hours(1), Negotiation = DeadlineRule.Hours(2160) },
        Valid() with { FirstResponse = DeadlineRule.Days(1), Negotiation = DeadlineRule.Days(90) },
        Valid() with { NegotiationLimitDays = 30, PurchaseWindowDays = 365, WarningLeadHours = 168 },
        Valid() with { NegotiationLimitDays = 1, PurchaseWindowDays = 1, WarningLeadHours = 0 },
        Valid("") with { },
        Valid("33"),
        Valid("330106"),
        Valid("11"),
        Valid("82"),
    ];

    [Theory]
    [MemberData(nameof(Boundaries))]
    public async Task SetPolicyAsync_BoundaryValues_Stored(RegionPolicyInput input)
    {
        // Arrange: every value at an edge of its range.

        // Act
        var policy = await _commands.SetPolicyAsync(Admin, input, Ct);

        // Assert
        Assert.Same(policy, _store.Policies[input.RegionPrefix]);
    }

    [Fact]
    public async Task SetPolicyAsync_WorkingDaysWithUnknownCalendar_CalendarNotFound()
    {
        // Arrange
        var input = Valid() with { FirstResponse = DeadlineRule.WorkingDays(10), CalendarId = "ZJ" };

        // Act
        var ex = await Record.ExceptionAsync(() => _commands.SetPolicyAsync(Admin, input, Ct));

        // Assert
        var failed = Assert.IsType<PreconditionFailedException>(ex);
        Assert.Equal("CALENDAR_NOT_FOUND", failed.Type);
        Assert.Equal("calendars/ZJ", failed.Subject);
        Assert.Empty(_store.Policies);
    }

    [Fact]
    public async Task SetPolicyAsync_WorkingDaysNegotiationDefaultCalendarNotDefined_CalendarNotFound()
    {
        // Arrange: no "CN" calendar has been set, and the policy names none.
        var input = Valid() with { Negotiation = DeadlineRule.WorkingDays(5) };

        // Act
        var ex = await Record.ExceptionAsync(() => _commands.SetPolicyAsync(Admin, input, Ct));

        // Assert
        Assert.Equal("calendars/CN", Assert.IsType<PreconditionFailedException>(ex).Subject);
    }

    [Fact]
    public async Task SetPolicyAsync_HoursRulesWithUnknownCalendar_Stored()
    {
        // Arrange: the calendar only matters to working-day rules.
        var input = Valid() with { CalendarId = "ZJ" };

        // Act
        var policy = await _commands.SetPolicyAsync(Admin, input, Ct);

        // Assert
        Assert.Equal("ZJ", policy.CalendarId);
    }

    [Fact]
    public async Task SetPolicyAsync_Valid_StoredWithDefaultsAndCatalogUsesIt()
    {
        // Arrange
        var input = Valid("3301");

        // Act
        var policy = await _commands.SetPolicyAsync(Admin, input, Ct);

        // Assert
        Assert.Equal(new RegionPolicy
        {
            RegionPrefix = "3301",
            FirstResponse = DeadlineRule.Hours(24),
            Negotiation = DeadlineRule.Days(10),
            NegotiationLimit = TimeSpan.FromDays(14),
            PurchaseWindow = TimeSpan.FromDays(30),
            WarningLead = TimeSpan.FromHours(12),
            CalendarId = "CN",
            Source = PolicySource.Admin,
            UpdatedAt = Now,
        }, policy);
        Assert.Same(policy, _catalog.For("330106").Policy);
        Assert.Same(ConfiguredZhejiang, _catalog.For("330203").Policy);
        Assert.Equal(Now.AddHours(24), _catalog.For("330106").DeadlinesFrom(Now).FirstResponseDue);
    }

    [Fact]
    public async Task SetPolicyAsync_ExplicitLimitAndWindow_Kept()
    {
        // Arrange
        var input = Valid() with { NegotiationLimitDays = 10, PurchaseWindowDays = 60, WarningLeadHours = 0 };

        // Act
        var policy = await _commands.SetPolicyAsync(Admin, input, Ct);

        // Assert
        Assert.Equal(TimeSpan.FromDays(10), policy.NegotiationLimit);
        Assert.Equal(TimeSpan.FromDays(60), policy.PurchaseWindow);
        Assert.Equal(TimeSpan.Zero, policy.WarningLead);
    }

    [Fact]
    public async Task SetPolicyAsync_PrefixOfConfiguredPolicy_OverridesConfiguration()
    {
        // Arrange
        var input = Valid("33");

        // Act
        var policy = await _commands.SetPolicyAsync(Admin, input, Ct);

        // Assert
        Assert.Same(policy, _catalog.For("330203").Policy);
        Assert.Same(policy, _catalog.Current.Exact("33"));
    }

    [Fact]
    public async Task SetPolicyAsync_EmptyPrefix_ReplacesNationalDefault()
    {
        // Arrange
        var input = Valid("");

        // Act
        var policy = await _commands.SetPolicyAsync(Admin, input, Ct);

        // Assert
        Assert.Same(policy, _catalog.For("110101").Policy);
    }

    // --- DeletePolicy ---

    [Fact]
    public async Task DeletePolicyAsync_Unknown_NotFound()
    {
        // Arrange: "3302" has no API-set policy.

        // Act
        var ex = await Record.ExceptionAsync(() => _commands.DeletePolicyAsync(Admin, "3302", Ct));

        // Assert
        Assert.IsType<NotFoundException>(ex);
    }

    [Fact]
    public async Task DeletePolicyAsync_ConfiguredOnly_NotFound()
    {
        // Arrange: Zhejiang comes from configuration, which the API cannot delete.

        // Act
        var ex = await Record.ExceptionAsync(() => _commands.DeletePolicyAsync(Admin, "33", Ct));

        // Assert
        Assert.IsType<NotFoundException>(ex);
        Assert.Same(ConfiguredZhejiang, _catalog.For("330106").Policy);
    }

    [Theory]
    [InlineData("3")]
    [InlineData("99")]
    public async Task DeletePolicyAsync_BadPrefix_ViolationOnRegionPrefix(string prefix)
    {
        // Arrange: nothing stored.

        // Act
        var ex = await InvalidAsync(() => _commands.DeletePolicyAsync(Admin, prefix, Ct));

        // Assert
        Assert.Equal("region_prefix", Assert.Single(ex.Violations).Field);
    }

    [Fact]
    public async Task DeletePolicyAsync_OverrideOfConfigured_ConfiguredPolicyAppliesAgain()
    {
        // Arrange
        await _commands.SetPolicyAsync(Admin, Valid("33"), Ct);

        // Act
        var now = await _commands.DeletePolicyAsync(Admin, "33", Ct);

        // Assert
        Assert.Same(ConfiguredZhejiang, now);
        Assert.Same(ConfiguredZhejiang, _catalog.For("330106").Policy);
        Assert.Empty(_store.Policies);
    }

    [Fact]
    public async Task DeletePolicyAsync_CityPolicy_ProvincePolicyApplies()
    {
        // Arrange
        await _commands.SetPolicyAsync(Admin, Valid("3301"), Ct);

        // Act
        var now = await _commands.DeletePolicyAsync(Admin, "3301", Ct);

        // Assert
        Assert.Same(ConfiguredZhejiang, now);
        Assert.Same(ConfiguredZhejiang, _catalog.For("330106").Policy);
    }

    [Fact]
    public async Task DeletePolicyAsync_NationalOverride_BuiltInDefaultApplies()
    {
        // Arrange
        await _commands.SetPolicyAsync(Admin, Valid(""), Ct);

        // Act
        var now = await _commands.DeletePolicyAsync(Admin, "", Ct);

        // Assert
        Assert.Same(RegionPolicy.NationalDefault, now);
    }

    // --- Resolve and lists ---

    [Fact]
    public async Task Resolve_WorkingDaysPolicyWithCalendar_DeadlinesFromThatCalendar()
    {
        // Arrange: the 2026 calendar, then 10 working days for Hangzhou.
        await _commands.SetCalendarAsync(Admin, ValidCalendar(), Ct);
        await _commands.SetPolicyAsync(Admin, Valid("3301") with { FirstResponse = DeadlineRule.WorkingDays(10) }, Ct);

        // Act
        var (effective, deadlines) = _commands.Resolve(Admin, "330106", Local(2026, 9, 25, 10));

        // Assert: Sep 28-30, Oct 8, 9, 10 (make-up), 12-15: end of 15 October local.
        Assert.Equal("3301", effective.Policy.RegionPrefix);
        Assert.Equal("CN", effective.Calendar.CalendarId);
        Assert.Equal(Utc(2026, 10, 15, 16), deadlines.FirstResponseDue);
    }

    [Fact]
    public void Resolve_NoOpeningTime_DeadlinesFromNow()
    {
        // Arrange: Zhejiang is configured with 72 h.

        // Act
        var (_, deadlines) = _commands.Resolve(Admin, "330106", null);

        // Assert
        Assert.Equal(Now.AddHours(72), deadlines.FirstResponseDue);
    }

    [Theory]
    [InlineData("")]
    [InlineData("3301")]
    [InlineData("33010a")]
    public void Resolve_BadRegionCode_ViolationOnRegionCode(string regionCode)
    {
        // Arrange: the catalog as configured.

        // Act
        var ex = Assert.IsType<ValidationException>(Record.Exception(() => _commands.Resolve(Admin, regionCode, null)));

        // Assert
        Assert.Equal("region_code", Assert.Single(ex.Violations).Field);
    }

    [Fact]
    public async Task ListPolicies_ConfiguredAndSet_NationalFirstThenByPrefix()
    {
        // Arrange
        await _commands.SetPolicyAsync(Admin, Valid("330106"), Ct);

        // Act
        var policies = _commands.ListPolicies(Admin);

        // Assert
        Assert.Equal(["", "33", "330106"], policies.Select(p => p.RegionPrefix));
        Assert.Equal([PolicySource.BuiltIn, PolicySource.Config, PolicySource.Admin], policies.Select(p => p.Source));
    }

    // --- SetCalendar ---

    [Fact]
    public async Task SetCalendarAsync_Valid_StoredAndUsable()
    {
        // Arrange
        var input = ValidCalendar("ZJ");

        // Act
        var calendar = await _commands.SetCalendarAsync(Admin, input, Ct);

        // Assert
        Assert.Same(calendar, _store.Calendars["ZJ"]);
        Assert.True(_catalog.Current.HasCalendar("ZJ"));
        Assert.Equal(TimeSpan.FromHours(8), calendar.UtcOffset);
        Assert.Equal(7, calendar.Holidays.Count);
        Assert.Equal([new DateOnly(2026, 9, 20), new DateOnly(2026, 10, 10)], calendar.MakeUpWorkdays.Order());
        Assert.Equal(PolicySource.Admin, calendar.Source);
        Assert.Equal(Now, calendar.UpdatedAt);
        Assert.Equal(["ZJ"], _commands.ListCalendars(Admin).Select(c => c.CalendarId));
        Assert.Equal(Utc(2026, 10, 15, 16), calendar.EndOfWorkingDays(Local(2026, 9, 25, 10), 10));
    }

    [Fact]
    public async Task SetCalendarAsync_ThenWorkingDaysPolicy_Accepted()
    {
        // Arrange
        await _commands.SetCalendarAsync(Admin, ValidCalendar("ZJ"), Ct);
        var input = Valid() with { FirstResponse = DeadlineRule.WorkingDays(10), CalendarId = "ZJ" };

        // Act
        var policy = await _commands.SetPolicyAsync(Admin, input, Ct);

        // Assert
        Assert.Equal("ZJ", _catalog.For("330106").Calendar.CalendarId);
        Assert.Same(policy, _catalog.For("330106").Policy);
    }

    [Fact]
    public async Task SetCalendarAsync_MalformedSecondHoliday_ViolationOnThatIndex()
    {
        // Arrange
        var input = ValidCalendar() with { Holidays = ["2026-10-01", "2026-13-01", "2026-10-03"] };

        // Act
        var ex = await InvalidAsync(() => _commands.SetCalendarAsync(Admin, input, Ct));

        // Assert
        Assert.Equal("calendar.holidays[1]", Assert.Single(ex.Violations).Field);
    }

    [Theory]
    [InlineData("2026/10/10")]
    [InlineData("10-10-2026")]
    [InlineData("2026-10-1")]
    [InlineData("2026-02-29")] // not a leap year
    [InlineData("")]
    public async Task SetCalendarAsync_MalformedMakeUpDay_ViolationOnThatIndex(string date)
    {
        // Arrange
        var input = ValidCalendar() with { MakeUpWorkdays = [date] };

        // Act
        var ex = await InvalidAsync(() => _commands.SetCalendarAsync(Admin, input, Ct));

        // Assert
        Assert.Equal("calendar.make_up_workdays[0]", Assert.Single(ex.Violations).Field);
    }

    [Fact]
    public async Task SetCalendarAsync_DateInBothLists_ViolationNamingTheDate()
    {
        // Arrange
        var input = ValidCalendar() with { MakeUpWorkdays = ["2026-09-20", "2026-10-07"] };

        // Act
        var ex = await InvalidAsync(() => _commands.SetCalendarAsync(Admin, input, Ct));

        // Assert
        var violation = Assert.Single(ex.Violations);
        Assert.Equal("calendar.make_up_workdays", violation.Field);
        Assert.Contains("2026-10-07", violation.Description, StringComparison.Ordinal);
        Assert.Empty(_store.Calendars);
    }

    [Theory]
    [InlineData(-721)]
    [InlineData(841)]
    public async Task SetCalendarAsync_OffsetOutOfRange_ViolationOnOffset(int minutes)
    {
        // Arrange
        var input = ValidCalendar() with { UtcOffsetMinutes = minutes };

        // Act
        var ex = await InvalidAsync(() => _commands.SetCalendarAsync(Admin, input, Ct));

        // Assert
        Assert.Equal("calendar.utc_offset_minutes", Assert.Single(ex.Violations).Field);
    }

    [Theory]
    [InlineData("")]
    [InlineData("C N")]
    public async Task SetCalendarAsync_BadId_ViolationOnId(string id)
    {
        // Arrange
        var input = ValidCalendar(id);

        // Act
        var ex = await InvalidAsync(() => _commands.SetCalendarAsync(Admin, input, Ct));

        // Assert
        Assert.Equal("calendar.calendar_id", Assert.Single(ex.Violations).Field);
    }

    [Fact]
    public async Task SetCalendarAsync_TooManyHolidays_ViolationOnList()
    {
        // Arrange
        var input = ValidCalendar() with
        {
            Holidays = [.. Enumerable.Range(0, 401).Select(i => new DateOnly(2026, 1, 1).AddDays(i).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))],
            MakeUpWorkdays = [],
        };

        // Act
        var ex = await InvalidAsync(() => _commands.SetCalendarAsync(Admin, input, Ct));

        // Assert
        Assert.Equal("calendar.holidays", Assert.Single(ex.Violations).Field);
    }

    [Fact]
    public async Task SetCalendarAsync_IdOfConfiguredCalendar_OverridesConfiguredCalendar()
    {
        // Arrange: a plain "CN" calendar comes from the configuration file.
        var catalog = new PolicyCatalog([], [new WorkingCalendar { CalendarId = "CN", DisplayName = "configured" }], _store);
        var commands = new PolicyCommands(_store, catalog, _clock);

        // Act
        var calendar = await commands.SetCalendarAsync(Admin, ValidCalendar("CN"), Ct);

        // Assert
        Assert.Same(calendar, catalog.For("330106").Calendar);
        Assert.False(catalog.For("330106").Calendar.IsWorkingDay(new DateOnly(2026, 10, 1)));
    }
}
