using System.Threading.Channels;
using Dapper;
using MySqlConnector;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Reporting;
using ResolutionGateway.Infrastructure.Persistence;
using ResolutionGateway.Tools.ReportBench.Generate;

namespace ResolutionGateway.Tools.ReportBench.Data;

/// <summary>
/// Bulk writes of a generated history with the application's own statements and parameter
/// builders: DisputeSql.InsertDisputeSql / RowParameters for disputes, ReportingSql.OutcomeParameters
/// for outcome records, OutboxSql.Timer for deadline timers, DirectorySql's builders for the
/// directory, ReportingSql.UpsertRollupsAsync for rollups. Only the number of rows per statement differs.
/// </summary>
internal sealed class Loader(BenchDatabase db)
{
    /// <summary>Rows per multi-row INSERT.</summary>
    public const int RowsPerStatement = 400;

    /// <summary>Statements per transaction.</summary>
    public const int StatementsPerTransaction = 5;

    // The directory stores' columns (MySqlDirectoryStore's upserts, without the update part: the tables are new).
    private const string InsertChannelSql = "INSERT INTO channels (channel_id, display_name, created_at, updated_at) VALUES (@Id, @Name, @Now, @Now)";
    private const string InsertMerchantSql = "INSERT INTO merchants (merchant_id, display_name, created_at, updated_at) VALUES (@Id, @Name, @Now, @Now)";
    private const string InsertStoreSql = """
        INSERT INTO stores (merchant_id, store_id, display_name, address, region_code, created_at, updated_at)
        VALUES (@MerchantId, @StoreId, @DisplayName, @Address, @RegionCode, @Now, @Now)
        """;

    private const string InsertTimerSql = "INSERT INTO dispute_timers (dispute_id, due_at) VALUES (@TimerDisputeId, @TimerDueAt)";

    public static readonly MultiRowInsert Disputes = new(ChangeWriter.InsertDisputeSql);
    public static readonly MultiRowInsert Outcomes = new(ReportingSql.InsertOutcomeAtPositionSql);
    public static readonly int OutcomePositionIndex = Outcomes.Names.ToList().IndexOf("OutcomePosition");

    /// <summary>The values of an outcome row; its feed position is filled in when the feed order is known.</summary>
    public static object?[] OutcomeRow(PendingOutcome o) => Outcomes.Values(ReportingSql.OutcomeParameters(o.Record, o.Partition),
        new Dictionary<string, object?>(StringComparer.Ordinal) { ["OutcomePosition"] = 0L });

    public async Task WriteDirectoryAsync(World world, DateTimeOffset now, CancellationToken ct)
    {
        await using var c = await db.OpenLoaderAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var channels = new MultiRowInsert(InsertChannelSql);
        await WriteChunkedAsync(c, tx, channels, World.Channels.Select(ch => channels.Values(Named(ch.Id, ch.Name, now.AddYears(-2)))), ct);
        var merchants = new MultiRowInsert(InsertMerchantSql);
        var enrolled = world.Merchants.Where(m => m.Enrolled).ToArray();
        await WriteChunkedAsync(c, tx, merchants, enrolled.Select(m => merchants.Values(Named(m.Id, m.Name, m.EnrolledAt))), ct);
        var stores = new MultiRowInsert(InsertStoreSql);
        await WriteChunkedAsync(c, tx, stores, enrolled.SelectMany(m => m.Stores.Select(s => stores.Values(new
            {
                MerchantId = m.Id,
                s.StoreId,
                DisplayName = s.Name,
                s.Address,
                RegionCode = s.County.Code,
                Now = UnixMs.From(m.EnrolledAt),
            }))), ct);
        await tx.CommitAsync(ct);
    }

    // The parameters of the channel and merchant inserts.
    private static object Named(string id, string name, DateTimeOffset now) => new { Id = id, Name = name, Now = UnixMs.From(now) };

    private static async Task WriteChunkedAsync(MySqlConnection c, MySqlTransaction tx, MultiRowInsert insert, IEnumerable<object?[]> rows, CancellationToken ct)
    {
        foreach (var chunk in rows.Chunk(RowsPerStatement))
        {
            await insert.ExecuteAsync(c, tx, chunk, ct);
        }
    }

    /// <summary>Writes row batches from a channel, a few statements per transaction; returns the rows written.</summary>
    public async Task<long> DrainAsync(ChannelReader<object?[][]> batches, MultiRowInsert insert, CancellationToken ct)
    {
        await using var c = await db.OpenLoaderAsync(ct);
        long rows = 0;
        MySqlTransaction? tx = null;
        var statements = 0;
        await foreach (var batch in batches.ReadAllAsync(ct))
        {
            tx ??= await c.BeginTransactionAsync(ct);
            rows += await insert.ExecuteAsync(c, tx, batch, ct);
            if (++statements % StatementsPerTransaction == 0)
            {
                await tx.CommitAsync(ct);
                await tx.DisposeAsync();
                tx = null;
            }
        }
        if (tx is not null)
        {
            await tx.CommitAsync(ct);
            await tx.DisposeAsync();
        }
        return rows;
    }

    /// <summary>The deadline timers of the disputes still waiting for the merchant or negotiating (the timer row a new dispute's change writes).</summary>
    public async Task<int> WriteTimersAsync(IReadOnlyList<Dispute> open, CancellationToken ct)
    {
        var rows = new List<object?[]>();
        MultiRowInsert? insert = null;
        foreach (var d in open)
        {
            if (d.NextTimerAt is { } due)
            {
                insert ??= new MultiRowInsert(InsertTimerSql);
                rows.Add(insert.Values(new { TimerDisputeId = d.DisputeId, TimerDueAt = UnixMs.From(due) }));
            }
        }
        if (insert is null)
        {
            return 0;
        }
        await using var c = await db.OpenLoaderAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await WriteChunkedAsync(c, tx, insert, rows, ct);
        await tx.CommitAsync(ct);
        return rows.Count;
    }

    /// <summary>Sets each feed partition's counter to the last position used.</summary>
    public async Task WriteFeedHeadsAsync(long[] heads, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        for (var p = 0; p < heads.Length; p++)
        {
            await c.ExecuteAsync(new CommandDefinition("UPDATE feed_partitions SET last_position = @Position WHERE partition_no = @Partition",
                new { Position = heads[p], Partition = p }, cancellationToken: ct));
        }
    }

    /// <summary>
    /// Writes rollup rows (sorted by key) with ReportingSql.UpsertRollupsAsync, split over
    /// <paramref name="connections"/> connections by key range, a transaction per slice.
    /// </summary>
    public async Task WriteRollupsAsync(IReadOnlyList<RollupChange> sorted, int connections, Action<long> progress, CancellationToken ct)
    {
        const int slice = 10_000;
        var per = (sorted.Count + connections - 1) / connections;
        var tasks = Enumerable.Range(0, connections).Select(async k =>
        {
            await using var c = await db.OpenLoaderAsync(ct);
            var end = Math.Min(sorted.Count, (k + 1) * per);
            for (var start = k * per; start < end; start += slice)
            {
                var count = Math.Min(slice, end - start);
                await using var tx = await c.BeginTransactionAsync(ct);
                await ReportingSql.UpsertRollupsAsync(c, tx, SqlDialect.MySql, Range(sorted, start, count), ct);
                await tx.CommitAsync(ct);
                progress(count);
            }
        });
        await Task.WhenAll(tasks);
    }

    /// <summary>
    /// Fills the ranking rollup from the report rollups just written, with the rebuild migration
    /// 0016 runs (RankingSql.RebuildAsync), as one transaction; returns the rows written.
    /// </summary>
    public async Task<int> RebuildRankingRollupsAsync(CancellationToken ct)
    {
        await using var c = await db.OpenLoaderAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var rows = await RankingSql.RebuildAsync(c, tx, ct);
        await tx.CommitAsync(ct);
        return rows;
    }

    private static IEnumerable<RollupChange> Range(IReadOnlyList<RollupChange> rows, int start, int count)
    {
        for (var i = start; i < start + count; i++)
        {
            yield return rows[i];
        }
    }
}
