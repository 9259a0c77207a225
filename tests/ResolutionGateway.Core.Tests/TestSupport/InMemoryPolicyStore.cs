using ResolutionGateway.Core.Policies;
using ResolutionGateway.Core.Storage;

namespace ResolutionGateway.Core.Tests.TestSupport;

/// <summary>An <see cref="IPolicyStore"/> in memory.</summary>
internal sealed class InMemoryPolicyStore : IPolicyStore
{
    private readonly Dictionary<string, RegionPolicy> _policies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WorkingCalendar> _calendars = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, RegionPolicy> Policies => _policies;

    public IReadOnlyDictionary<string, WorkingCalendar> Calendars => _calendars;

    public Task<IReadOnlyList<RegionPolicy>> ListPoliciesAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<RegionPolicy>>([.. _policies.Values.OrderBy(p => p.RegionPrefix, StringComparer.Ordinal)]);

    public Task UpsertPolicyAsync(RegionPolicy policy, CancellationToken ct)
    {
        _policies[policy.RegionPrefix] = policy;
        return Task.CompletedTask;
    }

    public Task<bool> DeletePolicyAsync(string regionPrefix, CancellationToken ct) => Task.FromResult(_policies.Remove(regionPrefix));

    public Task<IReadOnlyList<WorkingCalendar>> ListCalendarsAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<WorkingCalendar>>([.. _calendars.Values.OrderBy(c => c.CalendarId, StringComparer.Ordinal)]);

    public Task UpsertCalendarAsync(WorkingCalendar calendar, CancellationToken ct)
    {
        _calendars[calendar.CalendarId] = calendar;
        return Task.CompletedTask;
    }
}
