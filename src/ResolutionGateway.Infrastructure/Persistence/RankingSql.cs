using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Reporting;

namespace ResolutionGateway.Infrastructure.Persistence;

/// <summary>
/// The ranking rollup (ranking_rollups, migration 0016; <see cref="RankingRollups"/>) for both
/// backends: the upsert each change makes in its own transaction (planned by
/// <see cref="ChangeWriter"/>), the read of ListMerchantRankings, and the rebuild from the
/// per-merchant report rollups (migration 0016's backfill, and bulk loads).
/// </summary>
public static class RankingSql
{
    // The embedded store's conflict target (its key has no shard; MySQL's has, last).
    private const string KeyColumns = "grain, region_level, region_code, period_day, merchant_id";

    /// <summary>
    /// The ranking rollup upsert of a change (null when it moves no ranking figure, as most
    /// messages): the rows' deltas added to the existing rows, in key order.
    /// <paramref name="shard"/>: the MySQL shard of the writer (<see cref="ChangeWriter.RollupShards"/>); null keeps shard 0.
    /// </summary>
    public static (string Sql, Dictionary<string, object?> Parameters)? Upsert(SqlDialect dialect, Dispute? before, Dispute after, int? shard)
    {
        var rows = RankingRollups.Between(before, after);
        // Only the columns some row moves are named (a new dispute moves one or two of the 31).
        var moved = Enumerable.Range(0, RankingRollups.Columns.Count).Where(i => rows.Any(r => r.Delta[i] != 0)).ToArray();
        if (moved.Length == 0)
        {
            return null;
        }
        var inv = CultureInfo.InvariantCulture;
        var columns = moved.Select(i => RankingRollups.Columns[i]).ToArray();
        var sql = new StringBuilder("INSERT INTO ranking_rollups (").Append(KeyColumns).Append(shard is null ? "" : ", shard").Append(", ")
            .AppendJoin(", ", columns).Append(") VALUES ");
        var parameters = new Dictionary<string, object?>();
        var shardValue = shard is { } n ? ", " + n.ToString(inv) : "";
        for (var r = 0; r < rows.Count; r++)
        {
            var (k, delta) = (rows[r].Key, rows[r].Delta);
            // Keys from enums and day numbers and deltas from the measure table are integers this
            // code computed, written as literals; the strings are parameters.
            sql.Append(r == 0 ? "\n(" : ",\n(")
                .Append(inv, $"{(int)k.Grain}, {k.RegionLevel}, @K{r}Region, {k.PeriodDay}, @K{r}Merchant{shardValue}");
            foreach (var i in moved)
            {
                sql.Append(", ").Append(delta[i].ToString(inv));
            }
            sql.Append(')');
            parameters[$"K{r}Region"] = k.RegionCode;
            parameters[$"K{r}Merchant"] = k.MerchantId;
        }
        sql.Append(dialect.OnConflictUpdate(KeyColumns)).AppendJoin(", ", columns.Select(c => $"{c} = {c} + {dialect.Proposed(c)}"));
        return (sql.ToString(), parameters);
    }

    private static readonly string SumColumnsSql = string.Join(", ", RankingRollups.Columns.Select(c => $"SUM({c})"));

    /// <summary>
    /// Sums a ranking selection's rows by merchant. The key's equalities (grain, level, region)
    /// and the day range are the primary key's prefix, so a ranking reads only its own rows.
    /// </summary>
    public static async Task<IReadOnlyList<MeasureRow>> SumAsync(DbConnection c, RankingSelection s, CancellationToken ct)
    {
        var sql = new StringBuilder("SELECT merchant_id, ").Append(SumColumnsSql)
            .Append("\nFROM ranking_rollups\nWHERE region_level = @Level AND region_code = @Region AND (");
        var parameters = new DynamicParameters(new { Level = s.RegionLevel, Region = s.Query.Filter.RegionPrefix });
        for (var i = 0; i < s.Ranges.Count; i++)
        {
            var r = s.Ranges[i];
            sql.Append(i == 0 ? "" : " OR ").Append(CultureInfo.InvariantCulture, $"(grain = {(int)r.Grain} AND period_day BETWEEN @From{i} AND @To{i})");
            parameters.Add($"From{i}", r.FromDay);
            parameters.Add($"To{i}", r.ToDay);
        }
        sql.Append(")\nGROUP BY merchant_id");
        var rows = new List<MeasureRow>();
        var sums = new long[RankingRollups.Columns.Count];
        await using var reader = await c.ExecuteReaderAsync(new CommandDefinition(sql.ToString(), parameters, cancellationToken: ct));
        while (await reader.ReadAsync(ct))
        {
            for (var i = 0; i < sums.Length; i++)
            {
                sums[i] = reader.IsDBNull(1 + i) ? 0 : Convert.ToInt64(reader.GetValue(1 + i), CultureInfo.InvariantCulture);
            }
            rows.Add(new MeasureRow([reader.GetString(0)], RankingRollups.ToMeasureVector(sums)));
        }
        return rows;
    }

    private const string ClearSql = "DELETE FROM ranking_rollups";

    // The per-merchant report rollups (cuboid 2), basis opened, of one grain and span of days,
    // summed over channel, category and shard, region cut to the level: the rows the changes would
    // have written (into shard 0). The span is the primary key's range after (cuboid, basis, grain).
    private static string RebuildLevelSql(int level)
    {
        var columns = string.Join(", ", RankingRollups.Columns);
        return $"""
            INSERT INTO ranking_rollups ({KeyColumns}, shard, {columns})
            SELECT grain, {level}, SUBSTR(region_code, 1, {level}), period_day, merchant_id, 0, {SumColumnsSql}
            FROM report_rollups
            WHERE cuboid = {(int)RollupCuboid.ByMerchant} AND basis = {(int)PeriodBasis.Opened}
              AND grain = @Grain AND period_day BETWEEN @From AND @To
            GROUP BY grain, SUBSTR(region_code, 1, {level}), period_day, merchant_id
            """;
    }

    // The days the per-merchant rollups cover, per grain (a loose scan of the primary key's prefix).
    private static readonly string SpansSql = $"""
        SELECT grain AS Grain, MIN(period_day) AS FromDay, MAX(period_day) AS ToDay
        FROM report_rollups
        WHERE cuboid = {(int)RollupCuboid.ByMerchant} AND basis = {(int)PeriodBasis.Opened}
        GROUP BY grain
        """;

    // Properties, not a positional record: Dapper converts INT (MySQL) and INTEGER (SQLite) into them.
    private sealed class Span
    {
        public long Grain { get; init; }
        public long FromDay { get; init; }
        public long ToDay { get; init; }
    }

    /// <summary>Days of rollups one rebuild statement groups: a month of days, or one month row.</summary>
    public const int RebuildChunkDays = 31;

    /// <summary>
    /// Rebuilds every ranking rollup row from the per-merchant report rollups, in the caller's
    /// transaction (writers must be stopped: migration 0016's data step, and bulk loads after their
    /// rollups). One statement per region level, grain and month of days, so no statement groups
    /// more than a month: at 1 M disputes a single GROUP BY over the 4.4 M rollup rows spilled a
    /// temporary table MariaDB could not keep. Returns the rows written.
    /// </summary>
    public static async Task<int> RebuildAsync(DbConnection c, DbTransaction? tx, CancellationToken ct)
    {
        await c.ExecuteAsync(new CommandDefinition(ClearSql, transaction: tx, cancellationToken: ct));
        var spans = (await c.QueryAsync<Span>(new CommandDefinition(SpansSql, transaction: tx, commandTimeout: 0, cancellationToken: ct))).ToList();
        var rows = 0;
        foreach (var level in RankingRollups.Levels)
        {
            var sql = RebuildLevelSql(level);
            foreach (var span in spans)
            {
                for (var from = span.FromDay; from <= span.ToDay; from += RebuildChunkDays)
                {
                    var chunk = new { span.Grain, From = from, To = Math.Min(span.ToDay, from + RebuildChunkDays - 1) };
                    rows += await c.ExecuteAsync(new CommandDefinition(sql, chunk, tx, commandTimeout: 0, cancellationToken: ct));
                }
            }
        }
        return rows;
    }
}
