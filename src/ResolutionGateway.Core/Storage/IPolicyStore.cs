using ResolutionGateway.Core.Policies;

namespace ResolutionGateway.Core.Storage;

/// <summary>Region policies and working-day calendars set through AdminService (configured ones live in configuration).</summary>
public interface IPolicyStore
{
    /// <summary>Every policy set through the API.</summary>
    Task<IReadOnlyList<RegionPolicy>> ListPoliciesAsync(CancellationToken ct);

    /// <summary>Creates or replaces the policy of its prefix.</summary>
    Task UpsertPolicyAsync(RegionPolicy policy, CancellationToken ct);

    /// <summary>Deletes the policy of a prefix; false when there was none.</summary>
    Task<bool> DeletePolicyAsync(string regionPrefix, CancellationToken ct);

    /// <summary>Every calendar set through the API.</summary>
    Task<IReadOnlyList<WorkingCalendar>> ListCalendarsAsync(CancellationToken ct);

    /// <summary>Creates or replaces a calendar.</summary>
    Task UpsertCalendarAsync(WorkingCalendar calendar, CancellationToken ct);
}
