using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Events;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Infrastructure.Persistence;

namespace ResolutionGateway.Infrastructure.Sqlite;

/// <summary>Disputes on the embedded store.</summary>
public sealed class SqliteDisputeStore(SqliteDatabase db) : IDisputeStore
{
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;

    private const string FindRequestSql = """
        SELECT party_key AS PartyKey, request_id AS RequestId, method AS Method, request_hash AS RequestHash,
               dispute_id AS DisputeId, seq AS Seq, created_at AS CreatedAtMs
        FROM idempotency_records WHERE party_key = @PartyKey AND request_id = @RequestId
        """;

    /// <inheritdoc />
    public async Task<IdempotencyRecord?> FindRequestAsync(string partyKey, string requestId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await FindRequestAsync(c, null, partyKey, requestId, ct);
    }

    private static async Task<IdempotencyRecord?> FindRequestAsync(
        SqliteConnection c, SqliteTransaction? tx, string partyKey, string requestId, CancellationToken ct)
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
        try
        {
            var feed = await db.WriteAsync(async (c, tx) =>
            {
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
                var entries = await AppendEventsAsync(c, tx, d, change.Events, ct);
                await InsertRequestAsync(c, tx, request, ct);
                return entries;
            }, ct);
            return new CreateResult(CreateOutcome.Created, feed, null);
        }
        catch (SqliteException e) when (e.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey)
        {
            // Two racing opens: either the same request (retry) or the same order (another request).
            if (await FindRequestAsync(request.PartyKey, request.RequestId, ct) is not null)
            {
                return new CreateResult(CreateOutcome.DuplicateRequest, [], null);
            }
            await using var c = await db.OpenAsync(ct);
            var existing = await c.QuerySingleOrDefaultAsync<string>(
                new CommandDefinition(ActiveDisputeSql, new { Key = d.ActiveOrderKey }, cancellationToken: ct));
            if (existing is null)
            {
                throw;
            }
            return new CreateResult(CreateOutcome.ActiveDisputeExists, [], existing);
        }
    }

    private const string LoadStateSql = "SELECT state_json FROM disputes WHERE dispute_id = @DisputeId";

    private const string UpdateDisputeSql = """
        UPDATE disputes
        SET status = @Status, active_order_key = @ActiveOrderKey, updated_at = @UpdatedAt, last_seq = @LastSeq, state_json = @StateJson
        WHERE dispute_id = @DisputeId
        """;

    /// <inheritdoc />
    public Task<MutateResult?> MutateAsync(string disputeId, IdempotencyRecord request, Func<Dispute, DisputeChange> decide, CancellationToken ct) =>
        // The write lock serialises writers, so loading, deciding and storing cannot interleave with another change.
        db.WriteAsync<MutateResult?>(async (c, tx) =>
        {
            if (await FindRequestAsync(c, tx, request.PartyKey, request.RequestId, ct) is { } first)
            {
                return new MutateResult(null, [], first);
            }
            var json = await c.QuerySingleOrDefaultAsync<string>(new CommandDefinition(LoadStateSql, new { DisputeId = disputeId }, tx, cancellationToken: ct));
            if (json is null)
            {
                return null;
            }
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
            var feed = await AppendEventsAsync(c, tx, d, change.Events, ct);
            await InsertRequestAsync(c, tx, request with { DisputeId = d.DisputeId, Seq = d.LastSeq }, ct);
            return new MutateResult(change, feed, null);
        }, ct);

    private const string AdvanceFeedSql = """
        UPDATE feed_partitions SET last_position = last_position + @Count WHERE partition_no = @Partition RETURNING last_position
        """;

    private const string InsertEventSql = """
        INSERT INTO dispute_events (dispute_id, seq, event_type, occurred_at, actor_role, actor_id, status_after,
                                    feed_partition, feed_position, channel_id, merchant_id, region_code, payload_json)
        VALUES (@DisputeId, @Seq, @EventType, @OccurredAt, @ActorRole, @ActorId, @StatusAfter,
                @FeedPartition, @FeedPosition, @ChannelId, @MerchantId, @RegionCode, @PayloadJson)
        """;

    private static async Task<IReadOnlyList<FeedEntry>> AppendEventsAsync(
        SqliteConnection c, SqliteTransaction tx, Dispute d, IReadOnlyList<DisputeEvent> events, CancellationToken ct)
    {
        var partition = FeedCursor.PartitionOf(d.DisputeId);
        var last = await c.ExecuteScalarAsync<long>(new CommandDefinition(AdvanceFeedSql, new { Count = events.Count, Partition = partition }, tx, cancellationToken: ct));
        var entries = new List<FeedEntry>(events.Count);
        var position = last - events.Count;
        foreach (var e in events)
        {
            position++;
            await c.ExecuteAsync(new CommandDefinition(InsertEventSql, EventRow.Parameters(d, e, partition, position), tx, cancellationToken: ct));
            entries.Add(new FeedEntry(partition, position, d.ChannelId, d.MerchantId, d.RegionCode, e));
        }
        return entries;
    }

    private const string InsertRequestSql = """
        INSERT INTO idempotency_records (party_key, request_id, method, request_hash, dispute_id, seq, created_at)
        VALUES (@PartyKey, @RequestId, @Method, @RequestHash, @DisputeId, @Seq, @CreatedAt)
        """;

    private static Task<int> InsertRequestAsync(SqliteConnection c, SqliteTransaction tx, IdempotencyRecord r, CancellationToken ct) =>
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

    /// <inheritdoc />
    public async Task<Dispute?> GetAsync(string disputeId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
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
        await using var c = await db.OpenAsync(ct);
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
        await using var c = await db.OpenAsync(ct);
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
        await using var c = await db.OpenAsync(ct);
        // One read transaction: the head and the rows come from the same snapshot. Deferred (plain
        // BEGIN), so it takes no write lock and never waits for a writer (WAL readers run alongside).
        await using var tx = c.BeginTransaction(deferred: true);
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
        var readUpTo = rows.Length > 0 && rows.Length == limit ? rows[^1].Position : Math.Max(head, afterPosition);
        return new FeedPage(rows, readUpTo);
    }

    private const string FeedHeadSql = "SELECT last_position FROM feed_partitions ORDER BY partition_no";

    /// <inheritdoc />
    public async Task<long[]> ReadFeedHeadAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
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
