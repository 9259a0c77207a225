using System.Data.Common;
using System.Text;
using Dapper;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Events;
using ResolutionGateway.Core.Storage;

namespace ResolutionGateway.Infrastructure.Persistence;

/// <summary>
/// The dispute-store SQL that is the same on SQLite and MySQL (reads and the request records), so a
/// fix lands in both stores. What differs (locking, feed counters, upserts) stays in each store.
/// </summary>
public static class DisputeSql
{
    private const string FindRequestSql = """
        SELECT party_key AS PartyKey, request_id AS RequestId, method AS Method, request_hash AS RequestHash,
               dispute_id AS DisputeId, seq AS Seq, created_at AS CreatedAtMs
        FROM idempotency_records WHERE party_key = @PartyKey AND request_id = @RequestId
        """;

    /// <summary>The request record of (party, request id), if any.</summary>
    public static async Task<IdempotencyRecord?> FindRequestAsync(
        DbConnection c, DbTransaction? tx, string partyKey, string requestId, CancellationToken ct)
    {
        var row = await c.QuerySingleOrDefaultAsync<RequestRow>(
            new CommandDefinition(FindRequestSql, new { PartyKey = partyKey, RequestId = requestId }, tx, cancellationToken: ct));
        return row?.ToRecord();
    }

    /// <summary>
    /// Stores a request record (its primary key rejects a second one for the same party and id).
    /// Parameters: <see cref="RequestParameters"/>, named Request* so the statement can share a
    /// batch with the dispute row's.
    /// </summary>
    public const string InsertRequestSql = """
        INSERT INTO idempotency_records (party_key, request_id, method, request_hash, dispute_id, seq, created_at)
        VALUES (@RequestPartyKey, @RequestRequestId, @RequestMethod, @RequestHash, @RequestDisputeId, @RequestSeq, @RequestCreatedAt)
        """;

    /// <summary>The parameters of <see cref="InsertRequestSql"/>.</summary>
    public static object RequestParameters(IdempotencyRecord r) => new
    {
        RequestPartyKey = r.PartyKey,
        RequestRequestId = r.RequestId,
        RequestMethod = r.Method,
        r.RequestHash,
        RequestDisputeId = r.DisputeId,
        RequestSeq = r.Seq,
        RequestCreatedAt = UnixMs.From(r.CreatedAt),
    };

    /// <summary>Stores a request record (see <see cref="InsertRequestSql"/>).</summary>
    public static Task<int> InsertRequestAsync(DbConnection c, DbTransaction tx, IdempotencyRecord r, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(InsertRequestSql, RequestParameters(r), tx, cancellationToken: ct));

    /// <summary>
    /// In one round trip: runs <paramref name="lockSql"/> (which may begin a transaction, then a SELECT
    /// of one dispute's state_json, typically FOR UPDATE, parameter DisputeId), then looks up the request record of (party,
    /// request id) after the lock is held.
    /// </summary>
    public static async Task<(string? StateJson, IdempotencyRecord? Request)> LockAndFindRequestAsync(
        DbConnection c, string lockSql, string disputeId, string partyKey, string requestId, CancellationToken ct)
    {
        await using var results = await c.QueryMultipleAsync(new CommandDefinition(lockSql + ";\n" + FindRequestSql,
            new { DisputeId = disputeId, PartyKey = partyKey, RequestId = requestId }, cancellationToken: ct));
        var json = await results.ReadSingleOrDefaultAsync<string>();
        var row = await results.ReadSingleOrDefaultAsync<RequestRow>();
        return (json, row?.ToRecord());
    }

    /// <summary>Inserts a new dispute's row (parameters: <see cref="RowParameters"/>).</summary>
    public const string InsertDisputeSql = """
        INSERT INTO disputes (dispute_id, channel_id, consumer_ref, merchant_id, store_id, region_code, category, status,
                              active_order_key, feed_partition, created_at, updated_at, last_seq, state_json,
                              merchant_enrolled, outcome, escalation_reason, first_response_due_at, negotiation_due_at,
                              first_response_at, escalated_at, closed_at, satisfaction, settlement_remedy,
                              settlement_currency, settlement_minor)
        VALUES (@DisputeId, @ChannelId, @ConsumerRef, @MerchantId, @StoreId, @RegionCode, @Category, @Status,
                @ActiveOrderKey, @FeedPartition, @CreatedAt, @UpdatedAt, @LastSeq, @StateJson,
                @MerchantEnrolled, @Outcome, @EscalationReason, @FirstResponseDueAt, @NegotiationDueAt,
                @FirstResponseAt, @EscalatedAt, @ClosedAt, @Satisfaction, @SettlementRemedy,
                @SettlementCurrency, @SettlementMinor)
        """;

    /// <summary>Stores a dispute's new state (parameters: <see cref="RowParameters"/>; the other columns never change).</summary>
    public const string UpdateDisputeSql = """
        UPDATE disputes
        SET status = @Status, active_order_key = @ActiveOrderKey, updated_at = @UpdatedAt, last_seq = @LastSeq, state_json = @StateJson,
            outcome = @Outcome, escalation_reason = @EscalationReason, first_response_at = @FirstResponseAt,
            escalated_at = @EscalatedAt, closed_at = @ClosedAt, satisfaction = @Satisfaction,
            settlement_remedy = @SettlementRemedy, settlement_currency = @SettlementCurrency, settlement_minor = @SettlementMinor
        WHERE dispute_id = @DisputeId
        """;

    /// <summary>
    /// A dispute row's columns: the keys lists filter on, the state as JSON, and the typed outcome
    /// columns the raw reporting queries read (settlement_currency is "" when no amount was agreed).
    /// </summary>
    public static object RowParameters(Dispute d) => new
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
        MerchantEnrolled = d.MerchantEnrolled ? 1 : 0,
        Outcome = (int)d.Outcome,
        EscalationReason = (int)d.EscalationReason,
        FirstResponseDueAt = UnixMs.From(d.FirstResponseDueAt),
        NegotiationDueAt = UnixMs.From(d.NegotiationDueAt),
        FirstResponseAt = d.FirstResponseAt is { } f ? UnixMs.From(f) : (long?)null,
        EscalatedAt = d.EscalatedAt is { } e ? UnixMs.From(e) : (long?)null,
        ClosedAt = d.ClosedAt is { } c ? UnixMs.From(c) : (long?)null,
        Satisfaction = d.SatisfactionRating,
        SettlementRemedy = (int)(d.Settlement?.Remedy ?? Remedy.Unspecified),
        SettlementCurrency = d.Settlement?.Amount?.Currency ?? "",
        SettlementMinor = d.Settlement?.Amount?.MinorUnits ?? 0,
    };

    private const string LoadStateSql = "SELECT state_json FROM disputes WHERE dispute_id = @DisputeId";

    /// <summary>Disputes whose timer is due, most overdue first (parameters Now, Limit).</summary>
    public const string FindDueTimersSql = """
        SELECT dispute_id FROM dispute_timers WHERE due_at <= @Now ORDER BY due_at, dispute_id LIMIT @Limit
        """;

    /// <summary>A dispute's current state, or null.</summary>
    public static async Task<Dispute?> GetAsync(DbConnection c, string disputeId, CancellationToken ct)
    {
        var json = await c.QuerySingleOrDefaultAsync<string>(new CommandDefinition(LoadStateSql, new { DisputeId = disputeId }, cancellationToken: ct));
        return json is null ? null : StoreJson.ReadState(json);
    }

    private const string ReadEventsSql = """
        SELECT dispute_id, seq, occurred_at, actor_role, actor_id, status_after, feed_partition, feed_position,
               channel_id, merchant_id, region_code, payload_json
        FROM dispute_events WHERE dispute_id = @DisputeId AND seq > @AfterSeq ORDER BY seq LIMIT @Limit
        """;

    /// <summary>A dispute's events after a seq.</summary>
    public static async Task<IReadOnlyList<DisputeEvent>> ReadEventsAsync(DbConnection c, string disputeId, long afterSeq, int limit, CancellationToken ct)
    {
        var rows = await c.QueryAsync<EventRow>(new CommandDefinition(ReadEventsSql,
            new { DisputeId = disputeId, AfterSeq = afterSeq, Limit = limit }, cancellationToken: ct));
        return rows.Select(r => r.ToEvent()).ToArray();
    }

    // Filters are appended only when set, so each query shape can use its index.
    private const string ListSql = "SELECT state_json FROM disputes WHERE 1 = 1";
    private const string ByChannel = " AND channel_id = @ChannelId";
    private const string ByConsumer = " AND consumer_ref = @ConsumerRef";
    private const string ByMerchant = " AND merchant_id = @MerchantId";
    private const string ByRegion = " AND region_code >= @RegionLow AND region_code < @RegionHigh";
    private const string ByStatus = " AND status IN @Statuses";
    private const string Before = " AND dispute_id < @Before";
    private const string ListOrder = " ORDER BY dispute_id DESC LIMIT @Limit";

    /// <summary>A page of disputes, newest first.</summary>
    public static async Task<IReadOnlyList<Dispute>> ListAsync(DbConnection c, DisputeQuery query, CancellationToken ct)
    {
        var merchant = query.Scope.MerchantId ?? query.MerchantId;
        if (query.Scope.MerchantId is not null && query.MerchantId is not null && query.MerchantId != query.Scope.MerchantId)
        {
            return [];
        }
        var sql = new StringBuilder(ListSql);
        var region = query.Scope.RegionPrefix is null ? default : RegionRange.Of(query.Scope.RegionPrefix);
        if (query.Scope.ChannelId is not null) { sql.Append(ByChannel); }
        if (query.ConsumerRef is not null) { sql.Append(ByConsumer); }
        if (merchant is not null) { sql.Append(ByMerchant); }
        if (query.Scope.RegionPrefix is not null) { sql.Append(ByRegion); }
        if (query.Statuses.Count > 0) { sql.Append(ByStatus); }
        if (query.BeforeDisputeId is not null) { sql.Append(Before); }
        sql.Append(ListOrder);
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

    /// <summary>
    /// A feed page: the partition's head, then the visible rows up to it. The caller opens
    /// <paramref name="tx"/> so that every position up to the head it reads is committed and visible
    /// to the second read (each store explains how).
    /// </summary>
    public static async Task<FeedPage> ReadFeedAsync(
        DbConnection c, DbTransaction tx, int partition, long afterPosition, VisibilityScope scope, int limit, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var sql = new StringBuilder(FeedSql);
        var region = scope.RegionPrefix is null ? default : RegionRange.Of(scope.RegionPrefix);
        if (scope.ChannelId is not null) { sql.Append(ByChannel); }
        if (scope.MerchantId is not null) { sql.Append(ByMerchant); }
        if (scope.RegionPrefix is not null) { sql.Append(ByRegion); }
        sql.Append(FeedOrder);
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
        var readUpTo = rows.Length == limit ? rows[^1].Position : Math.Max(head, afterPosition);
        return new FeedPage(rows, readUpTo);
    }

    private const string FeedHeadSql = "SELECT last_position FROM feed_partitions ORDER BY partition_no";

    /// <summary>The last position of every partition.</summary>
    public static async Task<long[]> ReadFeedHeadAsync(DbConnection c, CancellationToken ct) =>
        (await c.QueryAsync<long>(new CommandDefinition(FeedHeadSql, cancellationToken: ct))).ToArray();

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
