using System.Data;
using System.Globalization;
using System.Text;
using Dapper;
using MySqlConnector;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Events;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Core.Webhooks;
using ResolutionGateway.Infrastructure.Persistence;

namespace ResolutionGateway.Infrastructure.MySql;

/// <summary>
/// Disputes on MySQL/MariaDB (InnoDB). Writers serialise on rows, not on a process-wide lock, so
/// several nodes can share the database. Every write transaction is READ COMMITTED: a read made
/// after taking a row lock sees what the previous holder of that lock committed. Locks are always
/// taken in the same order (dispute row or new order key, then the request key, then the feed
/// partition's counter) so writers queue instead of deadlocking, and the counter comes last
/// because it is the lock every writer of a partition shares.
/// </summary>
public sealed class MySqlDisputeStore(MySqlDataSource dataSource) : IDisputeStore
{
    /// <inheritdoc />
    public async Task<IdempotencyRecord?> FindRequestAsync(string partyKey, string requestId, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        return await DisputeSql.FindRequestAsync(c, null, partyKey, requestId, ct);
    }

    private const string ActiveDisputeSql = "SELECT dispute_id FROM disputes WHERE active_order_key = @Key";

    // Creates and mutations run their transaction in SQL rather than through MySqlTransaction, so
    // that BEGIN and COMMIT travel with the statements: an open is one round trip and a mutation two
    // (lock and read; write and commit), where MySqlTransaction costs three more (isolation level,
    // START TRANSACTION, COMMIT). Round trips to the database were most of the gateway's CPU on
    // writes (measured with tools/loadgen). SET TRANSACTION without SESSION applies to the next
    // transaction only. MySQL stops a multi-statement command at its first error and leaves the
    // transaction open, so every failure path sends ROLLBACK before the connection goes back to the
    // pool (InTransactionAsync).
    private const string BeginSql = "SET TRANSACTION ISOLATION LEVEL READ COMMITTED;\nSTART TRANSACTION;\n";

    /// <inheritdoc />
    public async Task<CreateResult> CreateAsync(DisputeChange change, IdempotencyRecord request, CancellationToken ct)
    {
        var d = change.State;
        await using var c = await dataSource.OpenConnectionAsync(ct);
        try
        {
            // One round trip for the whole change: the dispute row, the request record, then the
            // events and what goes with them (AppendEventsAsync), then COMMIT. A racing insert of the
            // same order key or request key waits for the other transaction here and fails with a
            // duplicate key once that commits, before anything after it runs.
            var feed = await InTransactionAsync(c, () =>
            {
                var sql = new StringBuilder(BeginSql).Append(DisputeSql.InsertDisputeSql).Append(";\n").Append(DisputeSql.InsertRequestSql).Append(";\n");
                var parameters = new DynamicParameters(DisputeSql.RowParameters(d));
                parameters.AddDynamicParams(DisputeSql.RequestParameters(request));
                return AppendEventsAndCommitAsync(c, null, change, sql, parameters, ct);
            });
            return new CreateResult(CreateOutcome.Created, feed, null);
        }
        catch (MySqlException e) when (e.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
        {
            // Rolled back by now. Two racing opens: either the same request (a retry) or the same
            // order (another request); the winner has committed.
            if (await DisputeSql.FindRequestAsync(c, null, request.PartyKey, request.RequestId, ct) is not null)
            {
                return new CreateResult(CreateOutcome.DuplicateRequest, [], null);
            }
            var existing = await c.QuerySingleOrDefaultAsync<string>(
                new CommandDefinition(ActiveDisputeSql, new { Key = d.ActiveOrderKey }, cancellationToken: ct));
            if (existing is null)
            {
                throw;
            }
            return new CreateResult(CreateOutcome.ActiveDisputeExists, [], existing);
        }
    }

    private const string LockStateSql = "SELECT state_json FROM disputes WHERE dispute_id = @DisputeId FOR UPDATE";

    /// <inheritdoc />
    public async Task<MutateResult?> MutateAsync(string disputeId, IdempotencyRecord request, Func<Dispute, DisputeChange> decide, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        try
        {
            return await InTransactionAsync(c, async () =>
            {
                // The dispute's row lock serialises its writers across nodes: load, decide and store
                // cannot interleave. The request record is looked up after the lock, in the same round
                // trip: a concurrent retry that held the lock before us has committed its record, and
                // READ COMMITTED shows it. Checked even for an unknown dispute, as the embedded store does.
                var (json, first) = await DisputeSql.LockAndFindRequestAsync(c, BeginSql + LockStateSql, disputeId, request.PartyKey, request.RequestId, ct);
                if (first is not null || json is null)
                {
                    await RollbackAsync(c);
                    return first is null ? null : new MutateResult(null, [], first);
                }
                // Exceptions from decide roll back (InTransactionAsync).
                var before = StoreJson.ReadState(json);
                var change = decide(before);
                var d = change.State;
                // The new state, the request record, the events, and COMMIT in one round trip.
                var sql = new StringBuilder(DisputeSql.UpdateDisputeSql).Append(";\n").Append(DisputeSql.InsertRequestSql).Append(";\n");
                var parameters = new DynamicParameters(DisputeSql.RowParameters(d));
                parameters.AddDynamicParams(DisputeSql.RequestParameters(request with { DisputeId = d.DisputeId, Seq = d.LastSeq }));
                var feed = await AppendEventsAndCommitAsync(c, before, change, sql, parameters, ct);
                return new MutateResult(change, feed, null);
            });
        }
        catch (MySqlException e) when (e.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
        {
            // Only the request record can collide (the row lock guards the seqs, the counter the
            // positions): the same request id, sent concurrently for another dispute, committed first.
            if (await DisputeSql.FindRequestAsync(c, null, request.PartyKey, request.RequestId, ct) is { } first)
            {
                return new MutateResult(null, [], first);
            }
            throw;
        }
    }

    // Runs work, whose last command ends with COMMIT (or which rolls back itself); on any exception
    // the open transaction is rolled back before the exception goes on.
    private static async Task<T> InTransactionAsync<T>(MySqlConnection c, Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch
        {
            try
            {
                await RollbackAsync(c);
            }
            catch (Exception rollback) when (rollback is MySqlException or InvalidOperationException or IOException)
            {
                // The connection is broken (the pool discards broken sessions), or the server has
                // already ended the transaction; the original failure is what the caller needs.
            }
            throw;
        }
    }

    private static Task<int> RollbackAsync(MySqlConnection c) =>
        c.ExecuteAsync(new CommandDefinition("ROLLBACK", cancellationToken: CancellationToken.None));

    private const string ClaimStateSql = "SELECT state_json FROM disputes WHERE dispute_id = @DisputeId FOR UPDATE SKIP LOCKED";

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> FindDueTimersAsync(DateTimeOffset now, int limit, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        return (await c.QueryAsync<string>(new CommandDefinition(DisputeSql.FindDueTimersSql,
            new { Now = UnixMs.From(now), Limit = limit }, cancellationToken: ct))).AsList();
    }

    /// <inheritdoc />
    public async Task<TimerResult?> FireTimerAsync(string disputeId, DateTimeOffset now, Func<Dispute, DisputeChange?> decide, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        // The claim: the dispute's row lock, taken without waiting. A row that another node's
        // worker or a request holds is skipped; it is looked at again on the next pass. The timer
        // row is only written after the dispute row is locked, the order every writer uses.
        var json = await c.QuerySingleOrDefaultAsync<string>(new CommandDefinition(ClaimStateSql, new { DisputeId = disputeId }, tx, cancellationToken: ct));
        if (json is null)
        {
            return null;
        }
        var before = StoreJson.ReadState(json);
        if (before.NextTimerAt is not { } due || due > now)
        {
            // Fired by someone else since the candidates were read, or a back-filled timer: align the timer with the state.
            var (sql, parameters) = OutboxSql.SyncTimer(before);
            await c.ExecuteAsync(new CommandDefinition(sql, parameters, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
            return new TimerResult(null, []);
        }
        var change = decide(before) ?? throw new InvalidOperationException($"timer of {disputeId} was due but the rules found nothing to do");
        var feed = await AppendEventsAsync(c, tx, before, change,
            new StringBuilder(DisputeSql.UpdateDisputeSql).Append(";\n"), new DynamicParameters(DisputeSql.RowParameters(change.State)), commit: false, ct);
        await tx.CommitAsync(ct);
        return new TimerResult(change, feed);
    }

    // One round trip, run last before COMMIT: the timer and the outbox rows first (they lock
    // nothing other writers share), then advance the partition's counter (its row lock is held
    // until COMMIT, so positions commit in the order they are given out: no reader can see position
    // n+1 before n), insert the events at the positions just taken, then the reporting rows, and
    // read the counter back.
    // LAST_INSERT_ID(expr) keeps the new counter value in the session (no auto-increment column is
    // involved, and the INSERT does not change it). The final SELECT also proves the counter row
    // exists; if not, the command throws and the transaction rolls back. MySQL stops a multi-statement
    // command at its first error, so reaching the SELECT's result means the INSERT succeeded.
    private const string AdvanceFeedSql = """
        UPDATE feed_partitions SET last_position = LAST_INSERT_ID(last_position + @Count) WHERE partition_no = @Partition;
        INSERT INTO dispute_events (dispute_id, seq, event_type, occurred_at, actor_role, actor_id, status_after,
                                    feed_partition, feed_position, channel_id, merchant_id, region_code, payload_json)
        VALUES
        """;
    // {0} is the event's index in the change; @FeedPosition{0} its 1-based offset in the positions taken.
    private const string EventValuesSql = """
        (@DisputeId{0}, @Seq{0}, @EventType{0}, @OccurredAt{0}, @ActorRole{0}, @ActorId{0}, @StatusAfter{0},
         @FeedPartition{0}, LAST_INSERT_ID() - @Count + @FeedPosition{0}, @ChannelId{0}, @MerchantId{0}, @RegionCode{0}, @PayloadJson{0})
        """;
    private static readonly CompositeFormat EventValues = CompositeFormat.Parse(EventValuesSql);
    private const string ReadFeedCounterSql = "SELECT last_position FROM feed_partitions WHERE partition_no = @Partition";

    private static Task<IReadOnlyList<FeedEntry>> AppendEventsAndCommitAsync(
        MySqlConnection c, Dispute? before, DisputeChange change, StringBuilder sql, DynamicParameters parameters, CancellationToken ct) =>
        AppendEventsAsync(c, null, before, change, sql, parameters, commit: true, ct);

    // The statements already in sql (with their parameters) run first, in the same command; with
    // commit, COMMIT runs last in it too.
    private static async Task<IReadOnlyList<FeedEntry>> AppendEventsAsync(
        MySqlConnection c, MySqlTransaction? tx, Dispute? before, DisputeChange change, StringBuilder sql, DynamicParameters parameters, bool commit, CancellationToken ct)
    {
        var (d, events) = (change.State, change.Events);
        if (events.Count == 0)
        {
            if (commit)
            {
                sql.Append("COMMIT");
            }
            if (sql.Length > 0)
            {
                await c.ExecuteAsync(new CommandDefinition(sql.ToString(), parameters, tx, cancellationToken: ct));
            }
            return [];
        }
        var partition = FeedCursor.PartitionOf(d.DisputeId);
        parameters.AddDynamicParams(new { Count = events.Count, Partition = partition });
        if (OutboxSql.Timer(before, d) is { } timer)
        {
            sql.Append(timer.Sql).Append(";\n");
            parameters.AddDynamicParams(timer.Parameters);
        }
        var toRegulator = WebhookAudience.ToRegulator(d, events);
        for (var i = 0; i < events.Count; i++)
        {
            sql.Append(OutboxSql.QueueDeliveriesFor(i)).Append(";\n");
            OutboxSql.AddDeliveryParameters(parameters, d, events[i], toRegulator[i], i);
        }
        sql.Append(AdvanceFeedSql);
        for (var i = 0; i < events.Count; i++)
        {
            sql.Append(i == 0 ? "\n" : ",\n").AppendFormat(CultureInfo.InvariantCulture, EventValues, i);
            AddIndexed(parameters, EventRow.Parameters(d, events[i], partition, i + 1), i);
        }
        sql.Append(";\n");
        // The rollups and the outcome record, after the counter: every writer of this partition
        // is queued on the counter's lock by now, so rollup rows are locked (in key order) only by
        // writers of different partitions, which hold no lock another one of them waits for.
        ReportingSql.AppendChange(sql, parameters, SqlDialect.MySql, before, change, partition, "LAST_INSERT_ID()");
        sql.Append(ReadFeedCounterSql);
        if (commit)
        {
            sql.Append(";\nCOMMIT");
        }
        long last;
        await using (var reader = await c.ExecuteReaderAsync(new CommandDefinition(sql.ToString(), parameters, tx, cancellationToken: ct)))
        {
            if (!await reader.ReadAsync(ct))
            {
                throw new InvalidOperationException($"feed partition {partition} has no counter row");
            }
            last = reader.GetInt64(0);
            // Read to the end: an error of COMMIT (the last statement) surfaces here, before the
            // change is reported as stored.
            while (await reader.NextResultAsync(ct))
            {
            }
        }
        var position = last - events.Count;
        return events.Select(e => new FeedEntry(partition, ++position, d.ChannelId, d.MerchantId, d.RegionCode, e)).ToArray();
    }

    // The shared one-row parameters (EventRow.Parameters), renamed Name{index} for a multi-row VALUES list.
    private static void AddIndexed(DynamicParameters parameters, object row, int index)
    {
        foreach (var property in row.GetType().GetProperties())
        {
            parameters.Add(property.Name + index.ToString(CultureInfo.InvariantCulture), property.GetValue(row));
        }
    }

    /// <inheritdoc />
    public async Task<Dispute?> GetAsync(string disputeId, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        return await DisputeSql.GetAsync(c, disputeId, ct);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DisputeEvent>> ReadEventsAsync(string disputeId, long afterSeq, int limit, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        return await DisputeSql.ReadEventsAsync(c, disputeId, afterSeq, limit, ct);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Dispute>> ListAsync(DisputeQuery query, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        return await DisputeSql.ListAsync(c, query, ct);
    }

    /// <inheritdoc />
    public async Task<FeedPage> ReadFeedAsync(int partition, long afterPosition, VisibilityScope scope, int limit, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        // Why no row can be skipped: a writer holds its partition's counter row lock from taking
        // positions until it commits, together with its events. So when the committed counter reads
        // `head`, every position up to `head` is committed, and the second SELECT (READ COMMITTED: a
        // fresh snapshot, no older than the first) sees all of them. Positions above `head` may be
        // in flight and are left for the next read. Neither read takes locks or waits for writers.
        await using var tx = await c.BeginTransactionAsync(IsolationLevel.ReadCommitted, isReadOnly: true, ct);
        var page = await DisputeSql.ReadFeedAsync(c, tx, partition, afterPosition, scope, limit, ct);
        await tx.CommitAsync(ct);
        return page;
    }

    /// <inheritdoc />
    public async Task<long[]> ReadFeedHeadAsync(CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        return await DisputeSql.ReadFeedHeadAsync(c, ct);
    }
}
