using System.Data;
using System.Globalization;
using System.Text;
using Dapper;
using MySqlConnector;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Events;
using ResolutionGateway.Core.Storage;
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
    private const string FindRequestSql = """
        SELECT party_key AS PartyKey, request_id AS RequestId, method AS Method, request_hash AS RequestHash,
               dispute_id AS DisputeId, seq AS Seq, created_at AS CreatedAtMs
        FROM idempotency_records WHERE party_key = @PartyKey AND request_id = @RequestId
        """;

    /// <inheritdoc />
    public async Task<IdempotencyRecord?> FindRequestAsync(string partyKey, string requestId, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        return await FindRequestAsync(c, null, partyKey, requestId, ct);
    }

    private static async Task<IdempotencyRecord?> FindRequestAsync(
        MySqlConnection c, MySqlTransaction? tx, string partyKey, string requestId, CancellationToken ct)
    {
        var row = await c.QuerySingleOrDefaultAsync<RequestRow>(
            new CommandDefinition(FindRequestSql, new { PartyKey = partyKey, RequestId = requestId }, tx, cancellationToken: ct));
        return row?.ToRecord();
    }

    private const string InsertDisputeSql = """
        INSERT INTO disputes (dispute_id, channel_id, consumer_ref, merchant_id, store_id, region_code, category, status,
                              active_order_key, feed_partition, created_at, updated_at, last_seq, state_json)
        VALUES (@DisputeId, @ChannelId, @ConsumerRef, @MerchantId, @StoreId, @RegionCode, @Category, @Status,
                @ActiveOrderKey, @FeedPartition, @CreatedAt, @UpdatedAt, @LastSeq, @StateJson)
        """;

    private const string ActiveDisputeSql = "SELECT dispute_id FROM disputes WHERE active_order_key = @Key";

    /// <inheritdoc />
    public async Task<CreateResult> CreateAsync(DisputeChange change, IdempotencyRecord request, CancellationToken ct)
    {
        var d = change.State;
        await using var c = await dataSource.OpenConnectionAsync(ct);
        try
        {
            await using var tx = await c.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
            // A racing insert of the same order key or request key waits here for the other
            // transaction, then fails with a duplicate key once that one commits.
            await c.ExecuteAsync(new CommandDefinition(InsertDisputeSql, new
            {
                d.DisputeId,
                d.ChannelId,
                d.Consumer.ConsumerRef,
                d.MerchantId,
                d.StoreId,
                d.RegionCode,
                Category = (int)d.Category,
                Status = (int)d.Status,
                d.ActiveOrderKey,
                FeedPartition = FeedCursor.PartitionOf(d.DisputeId),
                CreatedAt = UnixMs.From(d.CreatedAt),
                UpdatedAt = UnixMs.From(d.UpdatedAt),
                d.LastSeq,
                StateJson = StoreJson.State(d),
            }, tx, cancellationToken: ct));
            await InsertRequestAsync(c, tx, request, ct);
            var feed = await AppendEventsAsync(c, tx, d, change.Events, ct);
            await tx.CommitAsync(ct);
            return new CreateResult(CreateOutcome.Created, feed, null);
        }
        catch (MySqlException e) when (e.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
        {
            // The transaction is rolled back (disposed) by now. Two racing opens: either the same
            // request (a retry) or the same order (another request); the winner has committed.
            if (await FindRequestAsync(c, null, request.PartyKey, request.RequestId, ct) is not null)
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

    private const string UpdateDisputeSql = """
        UPDATE disputes
        SET status = @Status, active_order_key = @ActiveOrderKey, updated_at = @UpdatedAt, last_seq = @LastSeq, state_json = @StateJson
        WHERE dispute_id = @DisputeId
        """;

    /// <inheritdoc />
    public async Task<MutateResult?> MutateAsync(string disputeId, IdempotencyRecord request, Func<Dispute, DisputeChange> decide, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        try
        {
            await using var tx = await c.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
            // The dispute's row lock serialises its writers across nodes: load, decide and store cannot interleave.
            var json = await c.QuerySingleOrDefaultAsync<string>(new CommandDefinition(LockStateSql, new { DisputeId = disputeId }, tx, cancellationToken: ct));
            // Looked up after the lock: a concurrent retry that held it before us has committed its record,
            // and READ COMMITTED shows it. Checked even for an unknown dispute, as the embedded store does.
            if (await FindRequestAsync(c, tx, request.PartyKey, request.RequestId, ct) is { } first)
            {
                return new MutateResult(null, [], first);
            }
            if (json is null)
            {
                return null;
            }
            // Exceptions from decide leave through the disposal of tx, which rolls back.
            var change = decide(StoreJson.ReadState(json));
            var d = change.State;
            await c.ExecuteAsync(new CommandDefinition(UpdateDisputeSql, new
            {
                d.DisputeId,
                Status = (int)d.Status,
                d.ActiveOrderKey,
                UpdatedAt = UnixMs.From(d.UpdatedAt),
                d.LastSeq,
                StateJson = StoreJson.State(d),
            }, tx, cancellationToken: ct));
            await InsertRequestAsync(c, tx, request with { DisputeId = d.DisputeId, Seq = d.LastSeq }, ct);
            var feed = await AppendEventsAsync(c, tx, d, change.Events, ct);
            await tx.CommitAsync(ct);
            return new MutateResult(change, feed, null);
        }
        catch (MySqlException e) when (e.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
        {
            // Only the request record can collide (the row lock guards the seqs, the counter the
            // positions): the same request id, sent concurrently for another dispute, committed first.
            if (await FindRequestAsync(c, null, request.PartyKey, request.RequestId, ct) is { } first)
            {
                return new MutateResult(null, [], first);
            }
            throw;
        }
    }

    // One round trip, run last before COMMIT: advance the partition's counter (its row lock is held
    // until COMMIT, so positions commit in the order they are given out: no reader can see position
    // n+1 before n), insert the events at the positions just taken, and read the counter back.
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
    private const string ReadFeedCounterSql = ";\nSELECT last_position FROM feed_partitions WHERE partition_no = @Partition";

    private static async Task<IReadOnlyList<FeedEntry>> AppendEventsAsync(
        MySqlConnection c, MySqlTransaction tx, Dispute d, IReadOnlyList<DisputeEvent> events, CancellationToken ct)
    {
        if (events.Count == 0)
        {
            return [];
        }
        var partition = FeedCursor.PartitionOf(d.DisputeId);
        var sql = new StringBuilder(AdvanceFeedSql);
        var parameters = new DynamicParameters(new { Count = events.Count, Partition = partition });
        for (var i = 0; i < events.Count; i++)
        {
            sql.Append(i == 0 ? "\n" : ",\n").AppendFormat(CultureInfo.InvariantCulture, EventValues, i);
            AddIndexed(parameters, EventRow.Parameters(d, events[i], partition, i + 1), i);
        }
        sql.Append(ReadFeedCounterSql);
        var last = await c.QuerySingleAsync<long>(new CommandDefinition(sql.ToString(), parameters, tx, cancellationToken: ct));
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

    private const string InsertRequestSql = """
        INSERT INTO idempotency_records (party_key, request_id, method, request_hash, dispute_id, seq, created_at)
        VALUES (@PartyKey, @RequestId, @Method, @RequestHash, @DisputeId, @Seq, @CreatedAt)
        """;

    private static Task<int> InsertRequestAsync(MySqlConnection c, MySqlTransaction tx, IdempotencyRecord r, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(InsertRequestSql, new
        {
            r.PartyKey,
            r.RequestId,
            r.Method,
            r.RequestHash,
            r.DisputeId,
            r.Seq,
            CreatedAt = UnixMs.From(r.CreatedAt),
        }, tx, cancellationToken: ct));

    private const string LoadStateSql = "SELECT state_json FROM disputes WHERE dispute_id = @DisputeId";

    /// <inheritdoc />
    public async Task<Dispute?> GetAsync(string disputeId, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        var json = await c.QuerySingleOrDefaultAsync<string>(new CommandDefinition(LoadStateSql, new { DisputeId = disputeId }, cancellationToken: ct));
        return json is null ? null : StoreJson.ReadState(json);
    }

    private const string ReadEventsSql = """
        SELECT dispute_id, seq, occurred_at, actor_role, actor_id, status_after, feed_partition, feed_position,
               channel_id, merchant_id, region_code, payload_json
        FROM dispute_events WHERE dispute_id = @DisputeId AND seq > @AfterSeq ORDER BY seq LIMIT @Limit
        """;

    /// <inheritdoc />
    public async Task<IReadOnlyList<DisputeEvent>> ReadEventsAsync(string disputeId, long afterSeq, int limit, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<EventRow>(new CommandDefinition(ReadEventsSql,
            new { DisputeId = disputeId, AfterSeq = afterSeq, Limit = limit }, cancellationToken: ct));
        return rows.Select(r => r.ToEvent()).ToArray();
    }

    // Filters are appended only when set, so each query shape can use its index.
    private const string ListSql = "SELECT state_json FROM disputes WHERE 1 = 1";
    private const string ListByChannel = " AND channel_id = @ChannelId";
    private const string ListByConsumer = " AND consumer_ref = @ConsumerRef";
    private const string ListByMerchant = " AND merchant_id = @MerchantId";
    private const string ListByRegion = " AND region_code >= @RegionLow AND region_code < @RegionHigh";
    private const string ListByStatus = " AND status IN @Statuses";
    private const string ListBefore = " AND dispute_id < @Before";
    private const string ListOrder = " ORDER BY dispute_id DESC LIMIT @Limit";

    /// <inheritdoc />
    public async Task<IReadOnlyList<Dispute>> ListAsync(DisputeQuery query, CancellationToken ct)
    {
        var merchant = query.Scope.MerchantId ?? query.MerchantId;
        if (query.Scope.MerchantId is not null && query.MerchantId is not null && query.MerchantId != query.Scope.MerchantId)
        {
            return [];
        }
        var sql = new StringBuilder(ListSql);
        var region = query.Scope.RegionPrefix is null ? default : RegionRange.Of(query.Scope.RegionPrefix);
        if (query.Scope.ChannelId is not null) { sql.Append(ListByChannel); }
        if (query.ConsumerRef is not null) { sql.Append(ListByConsumer); }
        if (merchant is not null) { sql.Append(ListByMerchant); }
        if (query.Scope.RegionPrefix is not null) { sql.Append(ListByRegion); }
        if (query.Statuses.Count > 0) { sql.Append(ListByStatus); }
        if (query.BeforeDisputeId is not null) { sql.Append(ListBefore); }
        sql.Append(ListOrder);
        await using var c = await dataSource.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<string>(new CommandDefinition(sql.ToString(), new
        {
            query.Scope.ChannelId,
            query.ConsumerRef,
            MerchantId = merchant,
            RegionLow = region.Low,
            RegionHigh = region.High,
            Statuses = query.Statuses.Select(s => (int)s).ToArray(),
            Before = query.BeforeDisputeId,
            query.Limit,
        }, cancellationToken: ct));
        return rows.Select(StoreJson.ReadState).ToArray();
    }

    private const string FeedHeadOneSql = "SELECT last_position FROM feed_partitions WHERE partition_no = @Partition";
    private const string FeedSql = """
        SELECT dispute_id, seq, occurred_at, actor_role, actor_id, status_after, feed_partition, feed_position,
               channel_id, merchant_id, region_code, payload_json
        FROM dispute_events
        WHERE feed_partition = @Partition AND feed_position > @After AND feed_position <= @Head
        """;
    private const string FeedOrder = " ORDER BY feed_position LIMIT @Limit";

    /// <inheritdoc />
    public async Task<FeedPage> ReadFeedAsync(int partition, long afterPosition, VisibilityScope scope, int limit, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var sql = new StringBuilder(FeedSql);
        var region = scope.RegionPrefix is null ? default : RegionRange.Of(scope.RegionPrefix);
        if (scope.ChannelId is not null) { sql.Append(ListByChannel); }
        if (scope.MerchantId is not null) { sql.Append(ListByMerchant); }
        if (scope.RegionPrefix is not null) { sql.Append(ListByRegion); }
        sql.Append(FeedOrder);
        await using var c = await dataSource.OpenConnectionAsync(ct);
        // Why no row can be skipped: a writer holds its partition's counter row lock from taking
        // positions until it commits, together with its events. So when the committed counter reads
        // `head`, every position up to `head` is committed, and the second SELECT (READ COMMITTED: a
        // fresh snapshot, no older than the first) sees all of them. Positions above `head` may be
        // in flight and are left for the next read. Neither read takes locks or waits for writers.
        await using var tx = await c.BeginTransactionAsync(IsolationLevel.ReadCommitted, isReadOnly: true, ct);
        var head = await c.ExecuteScalarAsync<long>(new CommandDefinition(FeedHeadOneSql, new { Partition = partition }, tx, cancellationToken: ct));
        var rows = (await c.QueryAsync<EventRow>(new CommandDefinition(sql.ToString(), new
        {
            Partition = partition,
            After = afterPosition,
            Head = head,
            scope.ChannelId,
            scope.MerchantId,
            RegionLow = region.Low,
            RegionHigh = region.High,
            Limit = limit,
        }, tx, cancellationToken: ct))).Select(r => r.ToFeedEntry()).ToArray();
        await tx.CommitAsync(ct);
        var readUpTo = rows.Length == limit ? rows[^1].Position : Math.Max(head, afterPosition);
        return new FeedPage(rows, readUpTo);
    }

    private const string FeedHeadSql = "SELECT last_position FROM feed_partitions ORDER BY partition_no";

    /// <inheritdoc />
    public async Task<long[]> ReadFeedHeadAsync(CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        return (await c.QueryAsync<long>(new CommandDefinition(FeedHeadSql, cancellationToken: ct))).ToArray();
    }

    private sealed class RequestRow
    {
        public string PartyKey { get; set; } = "";
        public string RequestId { get; set; } = "";
        public string Method { get; set; } = "";
        public string RequestHash { get; set; } = "";
        public string DisputeId { get; set; } = "";
        public long Seq { get; set; }
        public long CreatedAtMs { get; set; }

        public IdempotencyRecord ToRecord() => new(PartyKey, RequestId, Method, RequestHash, DisputeId, Seq, UnixMs.To(CreatedAtMs));
    }
}
