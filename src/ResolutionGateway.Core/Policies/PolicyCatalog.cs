using ResolutionGateway.Core.Storage;

namespace ResolutionGateway.Core.Policies;

/// <summary>
/// The policies in force: configured ones overlaid by those set through AdminService. Lookups read
/// an immutable snapshot in memory; <see cref="RefreshAsync"/> rebuilds it from the store (at
/// start, after every change on this node, and every few seconds for changes made on other nodes).
/// </summary>
public sealed class PolicyCatalog(IReadOnlyList<RegionPolicy> configuredPolicies, IReadOnlyList<WorkingCalendar> configuredCalendars, IPolicyStore store)
    : IRegionPolicyProvider
{
    private volatile PolicySet _current = new(configuredPolicies, configuredCalendars);

    /// <summary>The snapshot in use.</summary>
    public PolicySet Current => _current;

    /// <summary>The configured policies (read-only through the API).</summary>
    public IReadOnlyList<RegionPolicy> ConfiguredPolicies => configuredPolicies;

    /// <inheritdoc />
    public EffectivePolicy For(string regionCode) => _current.For(regionCode);

    /// <summary>Reloads the policies and calendars set through the API.</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        var policies = await store.ListPoliciesAsync(ct);
        var calendars = await store.ListCalendarsAsync(ct);
        // Later entries win: API-set policies and calendars override configured ones with the same key.
        _current = new PolicySet([.. configuredPolicies, .. policies], [.. configuredCalendars, .. calendars]);
    }
}
