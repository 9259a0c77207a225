using MySqlConnector;
using ResolutionGateway.Core.Policies;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Infrastructure.Persistence;

namespace ResolutionGateway.Infrastructure.MySql;

/// <summary>API-set policies and calendars on MySQL/MariaDB; each write is one statement.</summary>
public sealed class MySqlPolicyStore(MySqlDataSource dataSource) : IPolicyStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<RegionPolicy>> ListPoliciesAsync(CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        return await PolicySql.ListPoliciesAsync(c, ct);
    }

    /// <inheritdoc />
    public async Task UpsertPolicyAsync(RegionPolicy policy, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        await PolicySql.UpsertPolicyAsync(c, null, policy, ct);
    }

    /// <inheritdoc />
    public async Task<bool> DeletePolicyAsync(string regionPrefix, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        return await PolicySql.DeletePolicyAsync(c, null, regionPrefix, ct);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<WorkingCalendar>> ListCalendarsAsync(CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        return await PolicySql.ListCalendarsAsync(c, ct);
    }

    /// <inheritdoc />
    public async Task UpsertCalendarAsync(WorkingCalendar calendar, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        await PolicySql.UpsertCalendarAsync(c, null, calendar, ct);
    }
}
