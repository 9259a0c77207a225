using System.Data.Common;
using System.Text;
using Dapper;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Reporting;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.UseCases;
using ResolutionGateway.Infrastructure.Persistence;

namespace ResolutionGateway.Reporting.Baseline;

/// <summary>
/// The statistics computed by one GROUP BY over the disputes table (typed columns, no JSON, no
/// rollups): the baseline the benchmark compares the rollups with, and the reference the store
/// contract tests check them against. Same validation, scope, filters and grouping as
/// <see cref="ReportingQueries.GetStatsAsync"/>; only where the sums come from differs.
/// </summary>
/// <param name="open">Opens a connection to the store's database (one per query).</param>
/// <param name="dialect">The database's SQL dialect.</param>
public sealed class RawReporting(Func<CancellationToken, Task<DbConnection>> open, SqlDialect dialect)
{
    /// <summary>The same statistics as <see cref="ReportingQueries.GetStatsAsync"/>, from the dispute table.</summary>
    public async Task<StatsResult> GetStatsAsync(Principal p, ReportFilterInput filter, IReadOnlyList<int> groupBy, int regionLevel, CancellationToken ct)
    {
        var query = ReportingQueries.ValidateStats(p, filter, groupBy, regionLevel);
        return StatsResult.From(query, await SumAsync(query, ct));
    }

    /// <summary>The sums a store's rollups give for <paramref name="query"/>, from the dispute table.</summary>
    public async Task<IReadOnlyList<MeasureRow>> SumAsync(StatsQuery query, CancellationToken ct)
    {
        await using var c = await open(ct);
        return await SumAsync(c, dialect, query, ct);
    }

    /// <summary>The sums for <paramref name="q"/> by one GROUP BY over the disputes table, on <paramref name="c"/>.</summary>
    public static async Task<IReadOnlyList<MeasureRow>> SumAsync(DbConnection c, SqlDialect dialect, StatsQuery q, CancellationToken ct)
    {
        var basisColumn = q.Filter.Basis == PeriodBasis.Closed ? "closed_at" : "created_at";
        var day = RawMeasureSql.DayOf(dialect, basisColumn);
        var groups = q.GroupBy.Select(g => DimensionSql(g, q.RegionLevel, day, $"({day} - (({day} + 3) % 7))", RawMeasureSql.MonthStartOf(dialect, day))).ToArray();
        var sql = new StringBuilder("SELECT ");
        foreach (var g in groups)
        {
            sql.Append(g).Append(", ");
        }
        sql.Append(RawMeasureSql.SelectList(dialect)).Append("\nFROM disputes\nWHERE ")
            .Append(basisColumn).Append(" >= @FromMs AND ").Append(basisColumn).Append(" < @ToMs");
        var parameters = new DynamicParameters(new
        {
            FromMs = ReportingCalendar.StartUnixMs(q.Filter.FromDay),
            ToMs = ReportingCalendar.StartUnixMs(q.Filter.ToDay + 1),
        });
        AppendFilters(sql, parameters, q.Filter);
        if (groups.Length > 0)
        {
            // By position: the same text on both dialects, and no repeated expressions.
            sql.Append("\nGROUP BY ").AppendJoin(", ", Enumerable.Range(1, groups.Length));
        }
        return await ReportingSql.ReadMeasureRowsAsync(c, sql.ToString(), parameters, groups.Length, ct);
    }

    // The grouping, filters and row reading below restate those of ReportingSql.SumRollupsAsync
    // rather than share them: the baseline is the reference the rollup path is checked against, and
    // stays valid whatever shape the production SQL builders take.

    private static string DimensionSql(GroupDimension g, int regionLevel, string day, string week, string month) => g switch
    {
        GroupDimension.Region => regionLevel >= 6 ? "region_code" : $"SUBSTR(region_code, 1, {regionLevel})",
        GroupDimension.Channel => "channel_id",
        GroupDimension.Merchant => "merchant_id",
        GroupDimension.Category => "category",
        GroupDimension.Day => day,
        GroupDimension.Week => week,
        GroupDimension.Month => month,
        _ => throw new ArgumentOutOfRangeException(nameof(g), g, "dimension"),
    };

    private static void AppendFilters(StringBuilder sql, DynamicParameters parameters, StatsFilter f)
    {
        if (f.RegionPrefix.Length > 0)
        {
            var (low, high) = RegionRange.Of(f.RegionPrefix);
            sql.Append(" AND region_code >= @RegionLow AND region_code < @RegionHigh");
            parameters.Add("RegionLow", low);
            parameters.Add("RegionHigh", high);
        }
        if (f.ChannelId.Length > 0)
        {
            sql.Append(" AND channel_id = @ChannelId");
            parameters.Add("ChannelId", f.ChannelId);
        }
        if (f.MerchantId.Length > 0)
        {
            sql.Append(" AND merchant_id = @MerchantId");
            parameters.Add("MerchantId", f.MerchantId);
        }
        if (f.Category != Category.Unspecified)
        {
            sql.Append(" AND category = @Category");
            parameters.Add("Category", (int)f.Category);
        }
    }
}
