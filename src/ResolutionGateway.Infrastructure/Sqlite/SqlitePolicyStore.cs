using ResolutionGateway.Core.Policies;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Infrastructure.Persistence;

namespace ResolutionGateway.Infrastructure.Sqlite;

/// <summary>API-set policies and calendars on the embedded store.</summary>
public sealed class SqlitePolicyStore(SqliteDatabase db) : IPolicyStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<RegionPolicy>> ListPoliciesAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await PolicySql.ListPoliciesAsync(c, ct);
    }

    /// <inheritdoc />
    public Task UpsertPolicyAsync(RegionPolicy policy, CancellationToken ct) =>
        db.WriteAsync((c, tx) => PolicySql.UpsertPolicyAsync(c, tx, policy, ct), ct);

    /// <inheritdoc />
    public Task<bool> DeletePolicyAsync(string regionPrefix, CancellationToken ct) =>
        db.WriteAsync((c, tx) => PolicySql.DeletePolicyAsync(c, tx, regionPrefix, ct), ct);

    /// <inheritdoc />
    public async Task<IReadOnlyList<WorkingCalendar>> ListCalendarsAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await PolicySql.ListCalendarsAsync(c, ct);
    }

    /// <inheritdoc />
    public Task UpsertCalendarAsync(WorkingCalendar calendar, CancellationToken ct) =>
        db.WriteAsync((c, tx) => PolicySql.UpsertCalendarAsync(c, tx, calendar, ct), ct);
}
