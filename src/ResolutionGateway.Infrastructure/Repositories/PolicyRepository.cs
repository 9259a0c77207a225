using System.Text.Json;
using Dapper;
using ResolutionGateway.Core.Policies;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Infrastructure.Persistence;

namespace ResolutionGateway.Infrastructure.Repositories;

/// <summary>API-set region policies and working calendars, on either database; each row is the record as JSON.</summary>
public sealed class PolicyRepository(IDatabase db) : IPolicyStore
{
    private const string ListPoliciesSql = "SELECT policy_json FROM region_policies ORDER BY region_prefix";

    /// <inheritdoc />
    public Task<IReadOnlyList<RegionPolicy>> ListPoliciesAsync(CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<RegionPolicy>>(async (c, t) => (await c.QueryAsync<string>(new CommandDefinition(ListPoliciesSql, cancellationToken: t)))
            .Select(j => JsonSerializer.Deserialize<RegionPolicy>(j, StoreJson.Options) ?? throw new InvalidDataException("null policy"))
            .ToArray(), ct);

    // REPLACE INTO: the upsert both dialects share.
    private const string UpsertPolicySql = """
        REPLACE INTO region_policies (region_prefix, policy_json, updated_at) VALUES (@RegionPrefix, @PolicyJson, @UpdatedAt)
        """;

    /// <inheritdoc />
    public Task UpsertPolicyAsync(RegionPolicy policy, CancellationToken ct) =>
        db.ExecuteAsync(UpsertPolicySql, new
        {
            policy.RegionPrefix,
            PolicyJson = JsonSerializer.Serialize(policy, StoreJson.Options),
            UpdatedAt = UnixMs.From(policy.UpdatedAt ?? DateTimeOffset.UnixEpoch),
        }, ct);

    private const string DeletePolicySql = "DELETE FROM region_policies WHERE region_prefix = @RegionPrefix";

    /// <inheritdoc />
    public async Task<bool> DeletePolicyAsync(string regionPrefix, CancellationToken ct) =>
        await db.ExecuteAsync(DeletePolicySql, new { RegionPrefix = regionPrefix }, ct) > 0;

    private const string ListCalendarsSql = "SELECT calendar_json FROM working_calendars ORDER BY calendar_id";

    /// <inheritdoc />
    public Task<IReadOnlyList<WorkingCalendar>> ListCalendarsAsync(CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<WorkingCalendar>>(async (c, t) => (await c.QueryAsync<string>(new CommandDefinition(ListCalendarsSql, cancellationToken: t)))
            .Select(j => (JsonSerializer.Deserialize<CalendarJson>(j, StoreJson.Options) ?? throw new InvalidDataException("null calendar")).ToCalendar())
            .ToArray(), ct);

    private const string UpsertCalendarSql = """
        REPLACE INTO working_calendars (calendar_id, calendar_json, updated_at) VALUES (@CalendarId, @CalendarJson, @UpdatedAt)
        """;

    /// <inheritdoc />
    public Task UpsertCalendarAsync(WorkingCalendar calendar, CancellationToken ct) =>
        db.ExecuteAsync(UpsertCalendarSql, new
        {
            calendar.CalendarId,
            CalendarJson = JsonSerializer.Serialize(CalendarJson.From(calendar), StoreJson.Options),
            UpdatedAt = UnixMs.From(calendar.UpdatedAt ?? DateTimeOffset.UnixEpoch),
        }, ct);

    // The stored shape of a calendar: sorted date arrays, offset in minutes.
    private sealed record CalendarJson(string CalendarId, string DisplayName, int UtcOffsetMinutes, DateOnly[] Holidays,
        DateOnly[] MakeUpWorkdays, DateTimeOffset? UpdatedAt)
    {
        public static CalendarJson From(WorkingCalendar c) => new(c.CalendarId, c.DisplayName, (int)c.UtcOffset.TotalMinutes,
            [.. c.Holidays.Order()], [.. c.MakeUpWorkdays.Order()], c.UpdatedAt);

        public WorkingCalendar ToCalendar() => new()
        {
            CalendarId = CalendarId,
            DisplayName = DisplayName,
            UtcOffset = TimeSpan.FromMinutes(UtcOffsetMinutes),
            Holidays = new SortedSet<DateOnly>(Holidays),
            MakeUpWorkdays = new SortedSet<DateOnly>(MakeUpWorkdays),
            Source = PolicySource.Admin,
            UpdatedAt = UpdatedAt,
        };
    }
}
