using System.Data.Common;
using System.Text.Json;
using Dapper;
using ResolutionGateway.Core.Policies;

namespace ResolutionGateway.Infrastructure.Persistence;

/// <summary>Region policy and calendar SQL shared by both backends; each row is the record as JSON.</summary>
public static class PolicySql
{
    private const string ListPoliciesSql = "SELECT policy_json FROM region_policies ORDER BY region_prefix";

    /// <summary>Every API-set policy.</summary>
    public static async Task<IReadOnlyList<RegionPolicy>> ListPoliciesAsync(DbConnection c, CancellationToken ct) =>
        (await c.QueryAsync<string>(new CommandDefinition(ListPoliciesSql, cancellationToken: ct)))
        .Select(j => JsonSerializer.Deserialize<RegionPolicy>(j, StoreJson.Options) ?? throw new InvalidDataException("null policy"))
        .ToArray();

    // REPLACE INTO: the upsert both dialects share.
    private const string UpsertPolicySql = """
        REPLACE INTO region_policies (region_prefix, policy_json, updated_at) VALUES (@RegionPrefix, @PolicyJson, @UpdatedAt)
        """;

    /// <summary>Creates or replaces a policy.</summary>
    public static Task<int> UpsertPolicyAsync(DbConnection c, DbTransaction? tx, RegionPolicy p, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(UpsertPolicySql, new
        {
            p.RegionPrefix,
            PolicyJson = JsonSerializer.Serialize(p, StoreJson.Options),
            UpdatedAt = UnixMs.From(p.UpdatedAt ?? DateTimeOffset.UnixEpoch),
        }, tx, cancellationToken: ct));

    private const string DeletePolicySql = "DELETE FROM region_policies WHERE region_prefix = @RegionPrefix";

    /// <summary>Deletes a policy; false when there was none.</summary>
    public static async Task<bool> DeletePolicyAsync(DbConnection c, DbTransaction? tx, string prefix, CancellationToken ct) =>
        await c.ExecuteAsync(new CommandDefinition(DeletePolicySql, new { RegionPrefix = prefix }, tx, cancellationToken: ct)) > 0;

    private const string ListCalendarsSql = "SELECT calendar_json FROM working_calendars ORDER BY calendar_id";

    /// <summary>Every API-set calendar.</summary>
    public static async Task<IReadOnlyList<WorkingCalendar>> ListCalendarsAsync(DbConnection c, CancellationToken ct) =>
        (await c.QueryAsync<string>(new CommandDefinition(ListCalendarsSql, cancellationToken: ct)))
        .Select(j => (JsonSerializer.Deserialize<CalendarJson>(j, StoreJson.Options) ?? throw new InvalidDataException("null calendar")).ToCalendar())
        .ToArray();

    private const string UpsertCalendarSql = """
        REPLACE INTO working_calendars (calendar_id, calendar_json, updated_at) VALUES (@CalendarId, @CalendarJson, @UpdatedAt)
        """;

    /// <summary>Creates or replaces a calendar.</summary>
    public static Task<int> UpsertCalendarAsync(DbConnection c, DbTransaction? tx, WorkingCalendar cal, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(UpsertCalendarSql, new
        {
            cal.CalendarId,
            CalendarJson = JsonSerializer.Serialize(CalendarJson.From(cal), StoreJson.Options),
            UpdatedAt = UnixMs.From(cal.UpdatedAt ?? DateTimeOffset.UnixEpoch),
        }, tx, cancellationToken: ct));

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
