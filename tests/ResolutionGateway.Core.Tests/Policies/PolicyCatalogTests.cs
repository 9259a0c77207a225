using ResolutionGateway.Core.Policies;
using ResolutionGateway.Core.Tests.TestSupport;

namespace ResolutionGateway.Core.Tests.Policies;

public sealed class PolicyCatalogTests
{
    private static readonly RegionPolicy Configured = new()
    {
        RegionPrefix = "33", FirstResponse = DeadlineRule.Hours(72), Negotiation = DeadlineRule.Days(7),
    };

    private static readonly WorkingCalendar ConfiguredCalendar = new() { CalendarId = "CN", DisplayName = "configured" };

    [Fact]
    public async Task For_BeforeRefresh_ConfiguredPolicies()
    {
        // Arrange
        var store = new InMemoryPolicyStore();
        await store.UpsertPolicyAsync(Configured with { FirstResponse = DeadlineRule.Hours(1), Source = PolicySource.Admin }, CancellationToken.None);

        // Act
        var catalog = new PolicyCatalog([Configured], [ConfiguredCalendar], store);

        // Assert: the store is read only on refresh.
        Assert.Same(Configured, catalog.For("330106").Policy);
        Assert.Same(ConfiguredCalendar, catalog.For("330106").Calendar);
        Assert.Equal([Configured], catalog.ConfiguredPolicies);
    }

    [Fact]
    public async Task RefreshAsync_StoredPolicyWithSamePrefix_OverridesConfigured()
    {
        // Arrange
        var store = new InMemoryPolicyStore();
        var admin = Configured with { FirstResponse = DeadlineRule.Hours(24), Source = PolicySource.Admin };
        await store.UpsertPolicyAsync(admin, CancellationToken.None);
        var catalog = new PolicyCatalog([Configured], [], store);

        // Act
        await catalog.RefreshAsync(CancellationToken.None);

        // Assert
        Assert.Same(admin, catalog.For("330106").Policy);
        Assert.Equal([Configured], catalog.ConfiguredPolicies);
    }

    [Fact]
    public async Task RefreshAsync_StoredCalendarWithSameId_OverridesConfigured()
    {
        // Arrange
        var store = new InMemoryPolicyStore();
        await store.UpsertCalendarAsync(Calendars.China2026, CancellationToken.None);
        var catalog = new PolicyCatalog([Configured], [ConfiguredCalendar], store);

        // Act
        await catalog.RefreshAsync(CancellationToken.None);

        // Assert
        Assert.Same(Calendars.China2026, catalog.For("330106").Calendar);
        Assert.Same(Calendars.China2026, Assert.Single(catalog.Current.Calendars));
    }

    [Fact]
    public async Task RefreshAsync_StoredPolicyRemoved_ConfiguredAppliesAgain()
    {
        // Arrange
        var store = new InMemoryPolicyStore();
        await store.UpsertPolicyAsync(Configured with { Source = PolicySource.Admin }, CancellationToken.None);
        var catalog = new PolicyCatalog([Configured], [], store);
        await catalog.RefreshAsync(CancellationToken.None);
        await store.DeletePolicyAsync("33", CancellationToken.None);

        // Act
        await catalog.RefreshAsync(CancellationToken.None);

        // Assert
        Assert.Same(Configured, catalog.For("330106").Policy);
    }

    [Fact]
    public async Task RefreshAsync_StoredPolicyForOtherPrefix_BothApply()
    {
        // Arrange
        var store = new InMemoryPolicyStore();
        var hangzhou = new RegionPolicy
        {
            RegionPrefix = "3301", FirstResponse = DeadlineRule.Hours(24), Negotiation = DeadlineRule.Days(5), Source = PolicySource.Admin,
        };
        await store.UpsertPolicyAsync(hangzhou, CancellationToken.None);
        var catalog = new PolicyCatalog([Configured], [], store);

        // Act
        await catalog.RefreshAsync(CancellationToken.None);

        // Assert
        Assert.Same(hangzhou, catalog.For("330106").Policy);
        Assert.Same(Configured, catalog.For("330203").Policy);
        Assert.Same(RegionPolicy.NationalDefault, catalog.For("110101").Policy);
    }
}
