using ResolutionGateway.Core.Policies;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Infrastructure.Tests.TestSupport;

namespace ResolutionGateway.Infrastructure.Tests.Storage;

[Collection(SqliteCollection.Name)]
public sealed class PolicyStoreContractTestsSqlite(SqliteStoreFixture fixture) : PolicyStoreContractTests<SqliteStoreFixture>(fixture);

[Collection(MySqlCollection.Name)]
public sealed class PolicyStoreContractTestsMySql(MySqlStoreFixture fixture) : PolicyStoreContractTests<MySqlStoreFixture>(fixture);

/// <summary>
/// What every <see cref="IPolicyStore"/> must do, run on each backend. The policy and calendar
/// tables are shared by the collection: each test uses prefixes and calendar ids of its own and
/// only looks at those in the lists.
/// </summary>
public abstract class PolicyStoreContractTests<TFixture>(TFixture fixture) where TFixture : StoreFixture
{
    private static readonly DateTimeOffset T0 = new(2025, 9, 1, 10, 30, 15, 123, TimeSpan.FromHours(8));

    private readonly IPolicyStore _store = fixture.Policies;

    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task UpsertPolicyAsync_NewPolicies_ListedInPrefixOrderWithEveryField()
    {
        var (first, second) = (UniquePrefix(), UniquePrefix());
        var hours = new RegionPolicy
        {
            RegionPrefix = Max(first, second),
            FirstResponse = DeadlineRule.Hours(96),
            Negotiation = DeadlineRule.Days(7),
            Source = PolicySource.Admin,
            UpdatedAt = T0,
        };
        var workingDays = new RegionPolicy
        {
            RegionPrefix = Min(first, second),
            FirstResponse = DeadlineRule.WorkingDays(10),
            Negotiation = DeadlineRule.Hours(36),
            NegotiationLimit = new TimeSpan(10, 6, 30, 0),
            PurchaseWindow = TimeSpan.FromDays(90),
            WarningLead = TimeSpan.Zero,
            CalendarId = "odr-" + first,
            Source = PolicySource.Admin,
            UpdatedAt = T0.AddMinutes(1),
        };
        var mine = new[] { hours.RegionPrefix, workingDays.RegionPrefix };

        await _store.UpsertPolicyAsync(hours, Ct);
        await _store.UpsertPolicyAsync(workingDays, Ct);

        var listed = (await _store.ListPoliciesAsync(Ct)).Where(p => mine.Contains(p.RegionPrefix)).ToArray();
        Assert.Equal([workingDays, hours], listed);
        Assert.Equal((DeadlineUnit.WorkingDays, 10), (listed[0].FirstResponse.Unit, listed[0].FirstResponse.Amount));
        Assert.Equal(new TimeSpan(10, 6, 30, 0), listed[0].NegotiationLimit);
        Assert.Equal(T0.AddMinutes(1), listed[0].UpdatedAt);
        Assert.Equal(TimeSpan.FromHours(12), listed[1].WarningLead);
    }

    [Fact]
    public async Task UpsertPolicyAsync_ExistingPrefix_ReplacesIt()
    {
        var prefix = UniquePrefix();
        var original = new RegionPolicy
        {
            RegionPrefix = prefix,
            FirstResponse = DeadlineRule.Hours(96),
            Negotiation = DeadlineRule.Days(7),
            Source = PolicySource.Admin,
            UpdatedAt = T0,
        };
        var changed = original with { FirstResponse = DeadlineRule.Hours(48), WarningLead = TimeSpan.FromHours(6), UpdatedAt = T0.AddDays(1) };

        await _store.UpsertPolicyAsync(original, Ct);
        await _store.UpsertPolicyAsync(changed, Ct);

        Assert.Equal([changed], (await _store.ListPoliciesAsync(Ct)).Where(p => p.RegionPrefix == prefix));
    }

    [Fact]
    public async Task DeletePolicyAsync_KnownThenAgainThenUnknown_TrueThenFalse()
    {
        var prefix = UniquePrefix();
        var policy = new RegionPolicy
        {
            RegionPrefix = prefix,
            FirstResponse = DeadlineRule.Days(3),
            Negotiation = DeadlineRule.Days(14),
            Source = PolicySource.Admin,
            UpdatedAt = T0,
        };
        await _store.UpsertPolicyAsync(policy, Ct);
        // The national default can be overridden (and the override removed) too.
        var national = RegionPolicy.NationalDefault with { WarningLead = TimeSpan.FromHours(24), Source = PolicySource.Admin, UpdatedAt = T0 };
        await _store.UpsertPolicyAsync(national, Ct);
        var withNational = await _store.ListPoliciesAsync(Ct);

        var deleted = await _store.DeletePolicyAsync(prefix, Ct);
        var again = await _store.DeletePolicyAsync(prefix, Ct);
        var unknown = await _store.DeletePolicyAsync(UniquePrefix(), Ct);
        var nationalDeleted = await _store.DeletePolicyAsync("", Ct);

        Assert.True(deleted);
        Assert.False(again);
        Assert.False(unknown);
        Assert.True(nationalDeleted);
        Assert.Contains(national, withNational);
        var after = await _store.ListPoliciesAsync(Ct);
        Assert.DoesNotContain(after, p => p.RegionPrefix == prefix || p.RegionPrefix == "");
    }

    [Fact]
    public async Task UpsertCalendarAsync_NewCalendars_ListedWithEveryField()
    {
        var id = Samples.Unique("cal");
        var golden = new WorkingCalendar
        {
            CalendarId = id + "-cn",
            DisplayName = "中国大陆 2025",
            UtcOffset = TimeSpan.FromHours(8),
            Holidays = new HashSet<DateOnly> { new(2025, 10, 8), new(2025, 10, 1), new(2025, 10, 2), new(2025, 10, 3) },
            MakeUpWorkdays = new HashSet<DateOnly> { new(2025, 10, 11), new(2025, 9, 28) },
            Source = PolicySource.Admin,
            UpdatedAt = T0,
        };
        var plain = new WorkingCalendar
        {
            CalendarId = id + "-in",
            DisplayName = "",
            UtcOffset = new TimeSpan(-5, -30, 0),
            Source = PolicySource.Admin,
            UpdatedAt = T0.AddHours(1),
        };

        await _store.UpsertCalendarAsync(plain, Ct);
        await _store.UpsertCalendarAsync(golden, Ct);

        var listed = (await _store.ListCalendarsAsync(Ct)).Where(c => c.CalendarId.StartsWith(id, StringComparison.Ordinal)).ToArray();
        Assert.Equal([golden.CalendarId, plain.CalendarId], listed.Select(c => c.CalendarId));
        AssertSameCalendar(golden, listed[0]);
        AssertSameCalendar(plain, listed[1]);
        Assert.True(listed[0].IsWorkingDay(new DateOnly(2025, 9, 28)));
        Assert.False(listed[0].IsWorkingDay(new DateOnly(2025, 10, 1)));
        Assert.Equal(golden.EndOfWorkingDays(T0, 5), listed[0].EndOfWorkingDays(T0, 5));
    }

    [Fact]
    public async Task UpsertCalendarAsync_ExistingId_ReplacesIt()
    {
        var original = new WorkingCalendar
        {
            CalendarId = Samples.Unique("cal"),
            DisplayName = "before",
            Holidays = new HashSet<DateOnly> { new(2025, 1, 1) },
            MakeUpWorkdays = new HashSet<DateOnly> { new(2025, 1, 26) },
            Source = PolicySource.Admin,
            UpdatedAt = T0,
        };
        var changed = original with
        {
            DisplayName = "after",
            UtcOffset = TimeSpan.FromHours(9),
            Holidays = new HashSet<DateOnly> { new(2025, 5, 1), new(2025, 5, 2) },
            MakeUpWorkdays = new HashSet<DateOnly>(),
            UpdatedAt = T0.AddDays(1),
        };

        await _store.UpsertCalendarAsync(original, Ct);
        await _store.UpsertCalendarAsync(changed, Ct);

        var listed = Assert.Single(await _store.ListCalendarsAsync(Ct), c => c.CalendarId == original.CalendarId);
        AssertSameCalendar(changed, listed);
    }

    private static void AssertSameCalendar(WorkingCalendar expected, WorkingCalendar actual)
    {
        Assert.Equal((expected.CalendarId, expected.DisplayName, expected.UtcOffset, expected.Source, expected.UpdatedAt),
            (actual.CalendarId, actual.DisplayName, actual.UtcOffset, actual.Source, actual.UpdatedAt));
        Assert.Equal(expected.Holidays.Order(), actual.Holidays.Order());
        Assert.Equal(expected.MakeUpWorkdays.Order(), actual.MakeUpWorkdays.Order());
    }

    // Eight digits (the longest prefix the MySQL column holds); no real region code is that long.
    private static string UniquePrefix() => Random.Shared.NextInt64(10_000_000, 100_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Min(string a, string b) => string.CompareOrdinal(a, b) <= 0 ? a : b;

    private static string Max(string a, string b) => string.CompareOrdinal(a, b) <= 0 ? b : a;
}
