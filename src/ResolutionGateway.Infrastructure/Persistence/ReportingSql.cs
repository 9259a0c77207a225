using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Reporting;

namespace ResolutionGateway.Infrastructure.Persistence;

/// <summary>
/// Reporting SQL for both backends: the rollup and outcome writes each change makes in its own
/// transaction, the rollup sums that answer statistics, and the outcome export reads. Only the
/// upsert spelling differs between the dialects. (The same figures by a GROUP BY over the dispute
/// table, the benchmark's baseline, are in tests/ResolutionGateway.Reporting.Baseline.)
/// </summary>
public static class ReportingSql
{
    private const string RollupKeyColumns = "cuboid, basis, grain, period_day, region_code, channel_id, category, merchant_id";

    private const string InsertOutcomeColumns = """
        INSERT INTO dispute_outcomes (feed_partition, feed_position, dispute_id, revision, closed_day, region_code, channel_id,
                                      merchant_id, category, record_json)
        """;

    /// <summary>
    /// A change's outcome record, without its feed position: the feed sequencer gives it the
    /// position of the change's last event (seq = revision). Parameters: <see cref="OutcomeParameters"/>.
    /// </summary>
    public const string InsertOutcomeSql = InsertOutcomeColumns + """
        VALUES (@OutcomePartition, NULL, @OutcomeDisputeId, @OutcomeRevision, @OutcomeClosedDay, @OutcomeRegionCode,
                @OutcomeChannelId, @OutcomeMerchantId, @OutcomeCategory, @OutcomeJson)
        """;

    /// <summary>The outcome insert with its position as a parameter, @OutcomePosition (backfill and bulk loads).</summary>
    public const string InsertOutcomeAtPositionSql = InsertOutcomeColumns + """
        VALUES (@OutcomePartition, @OutcomePosition, @OutcomeDisputeId, @OutcomeRevision, @OutcomeClosedDay, @OutcomeRegionCode,
                @OutcomeChannelId, @OutcomeMerchantId, @OutcomeCategory, @OutcomeJson)
        """;

    /// <summary>
    /// The rollup upsert of a change (null when it moves no figure, as most messages): the rows'
    /// deltas added to the existing rows, in key order. <paramref name="shard"/>: the MySQL shard
    /// of the writer (see <see cref="ChangeWriter.RollupShards"/>); null keeps shard 0.
    /// </summary>
    public static (string Sql, Dictionary<string, object?> Parameters)? RollupUpsert(SqlDialect dialect, Dispute? before, Dispute after, int? shard)
    {
        var rows = Rollups.Between(before, after);
        if (rows.Count == 0)
        {
            return null;
        }
        var sql = new StringBuilder();
        var parameters = new Dictionary<string, object?>();
        AppendUpsert(sql, parameters, dialect, rows, "R", shard);
        return sql.Length == 0 ? null : (sql.ToString(), parameters);
    }

    /// <summary>Adds rollup rows in batches (backfill and bulk loads; rows should be sorted by key).</summary>
    public static async Task UpsertRollupsAsync(DbConnection c, DbTransaction? tx, SqlDialect dialect, IEnumerable<RollupChange> rows, CancellationToken ct)
    {
        foreach (var chunk in rows.Chunk(200))
        {
            var sql = new StringBuilder();
            var parameters = new Dictionary<string, object?>();
            // No shard column: shard 0 by default (bulk loads and the backfill).
            AppendUpsert(sql, parameters, dialect, chunk, "R", shard: null);
            if (sql.Length == 0)
            {
                continue;
            }
            await c.ExecuteAsync(new CommandDefinition(sql.ToString(), parameters, tx, cancellationToken: ct));
        }
    }

    // Only the measures some row moves are named: the others default to 0 in a new row and stay as
    // they are in an existing one (an open moves a handful of the 75 columns). Less for the server
    // to parse and update; OpenDispute's throughput did not move measurably with it (it is bound by
    // the gateway's CPU, see BENCHMARKS.md). The key strings are parameters; the numbers are integers this code computed
    // (keys from enums and day numbers, deltas from the measure table), written as literals to keep
    // a batch of 200 rows from needing thousands of parameters. Empty when no row moves anything.
    private static void AppendUpsert(StringBuilder sql, Dictionary<string, object?> parameters, SqlDialect dialect, IReadOnlyList<RollupChange> rows, string prefix, int? shard)
    {
        var moved = Enumerable.Range(0, Measures.Count).Where(i => rows.Any(r => r.Delta[i] != 0)).ToArray();
        if (moved.Length == 0)
        {
            return;
        }
        var inv = CultureInfo.InvariantCulture;
        sql.Append("INSERT INTO report_rollups (").Append(RollupKeyColumns).Append(shard is null ? "" : ", shard")
            .Append(", week_day, month_day, ").AppendJoin(", ", moved.Select(i => Measures.Columns[i])).Append(") VALUES ");
        var shardValue = shard is { } n ? n.ToString(inv) + ", " : "";
        for (var r = 0; r < rows.Count; r++)
        {
            var (k, delta) = (rows[r].Key, rows[r].Delta);
            var p = $"{prefix}{r}";
            sql.Append(r == 0 ? "\n(" : ",\n(")
                .Append(inv, $"{(int)k.Cuboid}, {(int)k.Basis}, {(int)k.Grain}, {k.PeriodDay}, @{p}Region, @{p}Channel, {(int)k.Category}, @{p}Merchant, {shardValue}{k.WeekDay}, {k.MonthDay}");
            foreach (var i in moved)
            {
                sql.Append(", ").Append(delta[i].ToString(inv));
            }
            sql.Append(')');
            parameters[p + "Region"] = k.RegionCode;
            parameters[p + "Channel"] = k.ChannelId;
            parameters[p + "Merchant"] = k.MerchantId;
        }
        sql.Append(dialect.OnConflictUpdate(RollupKeyColumns))
            .AppendJoin(", ", moved.Select(i => $"{Measures.Columns[i]} = {Measures.Columns[i]} + {dialect.Proposed(Measures.Columns[i])}"));
    }

    /// <summary>Parameters of the outcome insert.</summary>
    public static object OutcomeParameters(OutcomeRecord o, int partition) => new
    {
        OutcomePartition = partition,
        OutcomeDisputeId = o.DisputeId,
        OutcomeRevision = o.Revision,
        OutcomeClosedDay = ReportingCalendar.DayOf(o.ClosedAt),
        OutcomeRegionCode = o.RegionCode,
        OutcomeChannelId = o.ChannelId,
        OutcomeMerchantId = o.MerchantId,
        OutcomeCategory = (int)o.Category,
        OutcomeJson = StoreJson.Outcome(o),
    };

    /// <summary>Inserts one outcome record at a known position (backfill and bulk loads).</summary>
    public static Task InsertOutcomeAsync(DbConnection c, DbTransaction? tx, OutcomeRecord o, int partition, long position, CancellationToken ct)
    {
        var parameters = new DynamicParameters(OutcomeParameters(o, partition));
        parameters.Add("OutcomePosition", position);
        return c.ExecuteAsync(new CommandDefinition(InsertOutcomeAtPositionSql, parameters, tx, cancellationToken: ct));
    }

    // ---- statistics from the rollups ----

    private static readonly string SumMeasuresSql = string.Join(", ", Measures.Columns.Select(m => $"SUM({m})"));

    /// <summary>Sums the rollup rows a selection names, grouped by the query's dimensions.</summary>
    public static async Task<IReadOnlyList<MeasureRow>> SumRollupsAsync(DbConnection c, RollupSelection s, CancellationToken ct)
    {
        var q = s.Query;
        var groups = q.GroupBy.Select(g => DimensionSql(g, q.RegionLevel, "period_day", "week_day", "month_day")).ToArray();
        var sql = new StringBuilder("SELECT ");
        foreach (var g in groups)
        {
            sql.Append(g).Append(", ");
        }
        sql.Append(SumMeasuresSql).Append("\nFROM report_rollups\nWHERE cuboid = @Cuboid AND basis = @Basis AND (");
        var parameters = new DynamicParameters(new { Cuboid = (int)s.Cuboid, Basis = (int)q.Filter.Basis });
        for (var i = 0; i < s.Ranges.Count; i++)
        {
            var r = s.Ranges[i];
            sql.Append(i == 0 ? "" : " OR ").Append(CultureInfo.InvariantCulture, $"(grain = {(int)r.Grain} AND period_day BETWEEN @From{i} AND @To{i})");
            parameters.Add($"From{i}", r.FromDay);
            parameters.Add($"To{i}", r.ToDay);
        }
        sql.Append(')');
        AppendFilters(sql, parameters, q.Filter.RegionPrefix, q.Filter.ChannelId, q.Filter.MerchantId, q.Filter.Category);
        AppendGroupBy(sql, groups.Length);
        // A reopened dispute leaves the CLOSED rows of its closing holding 0 of everything (issue
        // 17: it is not closed any more), so rows can exist that count no dispute; every dispute
        // adds 1 to `opened` in each row it counts in, so a group of such rows only is no group.
        sql.Append(CultureInfo.InvariantCulture, $"\nHAVING SUM({Measures.Opened.Columns[0]}) <> 0");
        return await ReadMeasureRowsAsync(c, sql.ToString(), parameters, groups.Length, ct);
    }

    // ---- shared pieces ----

    // The SQL of a grouping dimension, given the SQL of the row's day, week and month.
    // Whole region codes group in index order, without a temporary table.
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

    private static void AppendFilters(StringBuilder sql, DynamicParameters parameters, string regionPrefix, string channelId, string merchantId, Category category)
    {
        if (regionPrefix.Length > 0)
        {
            var (low, high) = RegionRange.Of(regionPrefix);
            sql.Append(" AND region_code >= @RegionLow AND region_code < @RegionHigh");
            parameters.Add("RegionLow", low);
            parameters.Add("RegionHigh", high);
        }
        if (channelId.Length > 0)
        {
            sql.Append(" AND channel_id = @ChannelId");
            parameters.Add("ChannelId", channelId);
        }
        if (merchantId.Length > 0)
        {
            sql.Append(" AND merchant_id = @MerchantId");
            parameters.Add("MerchantId", merchantId);
        }
        if (category != Category.Unspecified)
        {
            sql.Append(" AND category = @Category");
            parameters.Add("Category", (int)category);
        }
    }

    // GROUP BY by position: the same text on both dialects, and no repeated expressions.
    private static void AppendGroupBy(StringBuilder sql, int groups)
    {
        if (groups > 0)
        {
            sql.Append("\nGROUP BY ").AppendJoin(", ", Enumerable.Range(1, groups));
        }
    }

    /// <summary>
    /// Runs a query whose columns are <paramref name="groups"/> grouping keys, then one sum per
    /// measure in table order (the rollups' sums here; the raw baseline's in tests).
    /// </summary>
    public static async Task<IReadOnlyList<MeasureRow>> ReadMeasureRowsAsync(DbConnection c, string sql, DynamicParameters parameters, int groups, CancellationToken ct)
    {
        var rows = new List<MeasureRow>();
        await using var reader = await c.ExecuteReaderAsync(new CommandDefinition(sql, parameters, cancellationToken: ct));
        while (await reader.ReadAsync(ct))
        {
            // A query without GROUP BY returns one row of NULL sums when nothing matches.
            if (groups == 0 && reader.IsDBNull(1))
            {
                continue;
            }
            var keys = new string[groups];
            for (var i = 0; i < groups; i++)
            {
                keys[i] = Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture) ?? "";
            }
            var sums = new long[Measures.Count];
            for (var i = 0; i < sums.Length; i++)
            {
                sums[i] = reader.IsDBNull(groups + i) ? 0 : Convert.ToInt64(reader.GetValue(groups + i), CultureInfo.InvariantCulture);
            }
            rows.Add(new MeasureRow(keys, sums));
        }
        return rows;
    }

    // ---- outcome export ----

    private const string FeedHeadSql = "SELECT last_position FROM feed_partitions WHERE partition_no = @Partition";
    private const string OutcomesSql = """
        SELECT feed_position, record_json FROM dispute_outcomes
        WHERE feed_partition = @Partition AND feed_position > @After AND feed_position <= @Head
        """;

    /// <summary>
    /// Outcome records of a partition after a position: the partition's head first, then the rows
    /// up to it, in the caller's transaction, which (as for the feed) guarantees every row up to the
    /// head is committed and visible.
    /// </summary>
    public static async Task<IReadOnlyList<PositionedOutcome>> ReadOutcomesAsync(
        DbConnection c, DbTransaction tx, int partition, long afterPosition, OutcomeFilter filter, int limit, CancellationToken ct)
    {
        var head = await c.ExecuteScalarAsync<long>(new CommandDefinition(FeedHeadSql, new { Partition = partition }, tx, cancellationToken: ct));
        var sql = new StringBuilder(OutcomesSql);
        var parameters = new DynamicParameters(new { Partition = partition, After = afterPosition, Head = head, Limit = limit });
        if (filter.FromDay is { } from)
        {
            sql.Append(" AND closed_day >= @FromDay");
            parameters.Add("FromDay", from);
        }
        if (filter.ToDay is { } to)
        {
            sql.Append(" AND closed_day <= @ToDay");
            parameters.Add("ToDay", to);
        }
        AppendFilters(sql, parameters, filter.RegionPrefix, filter.ChannelId, filter.MerchantId, filter.Category);
        sql.Append(" ORDER BY feed_position LIMIT @Limit");
        var rows = await c.QueryAsync<(long Position, string Json)>(new CommandDefinition(sql.ToString(), parameters, tx, cancellationToken: ct));
        return rows.Select(r => new PositionedOutcome(partition, r.Position, StoreJson.ReadOutcome(r.Json))).ToArray();
    }
}
