using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Events;
using ResolutionGateway.Core.Reporting;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Core.Webhooks;

namespace ResolutionGateway.Infrastructure.Persistence;

/// <summary>
/// Plans the write of one dispute change, once for both databases: every row the change owes, as
/// an ordered list of statements that a database runs in one transaction (MySQL as one command
/// ending in COMMIT, SQLite one by one inside its group commit). A new kind of row is added here.
/// </summary>
/// <remarks>
/// <para>The lock order, the same for every writer:</para>
/// <list type="number">
/// <item>the dispute row (a mutation locked it with its read; a new dispute inserts it, and its
/// unique order key makes a racing open of the same order wait here, then fail);</item>
/// <item>the request record (a concurrent retry of the same request id waits here, then fails on
/// the key: nothing after it ran);</item>
/// <item>the dispute's timer row, its outbox deliveries, its events and its outcome record: rows of
/// this dispute only, which no writer of another dispute touches;</item>
/// <item>last, the reporting rollup rows, the only rows shared between disputes, in key order, so
/// two writers never wait for each other in a cycle, and they are held for as short a time as the
/// transaction allows; then the ranking rollup rows (<see cref="RankingSql"/>), also in key order.</item>
/// </list>
/// <para>No feed position is taken: events and outcome records are stored without one, and the
/// <see cref="FeedSequencer"/> gives positions to what has been committed, many changes at a time.
/// A shared counter row locked until COMMIT made every commit of a feed partition wait for the
/// previous one's fsync (see BENCHMARKS.md).</para>
/// </remarks>
public static class ChangeWriter
{
    /// <summary>
    /// Rollup rows a busy key (one merchant, county and day) is spread over on MySQL, by dispute:
    /// writers of one key collide only when their disputes hash to the same shard. Readers sum over
    /// shards. The embedded store has one writer at a time and keeps shard 0 (its key has no shard).
    /// </summary>
    public const int RollupShards = 64;

    /// <summary>
    /// The statements of a change from <paramref name="before"/> (null for a new dispute) to
    /// <paramref name="change"/>'s state, with the request record when the change answers a request.
    /// The change comes with its personal fields sealed under the data key <paramref name="dataKeyId"/>
    /// (PersonalDataSealer), which the dispute row and its opening event name.
    /// </summary>
    public static SqlBatch Plan(SqlDialect dialect, Dispute? before, DisputeChange change, IdempotencyRecord? request, string? dataKeyId)
    {
        var d = change.State;
        var batch = new SqlBatch();
        batch.Add(before is null ? InsertDisputeSql : UpdateDisputeSql, RowParameters(d, dataKeyId));
        if (request is not null)
        {
            batch.Add(InsertRequestSql, RequestParameters(request));
        }
        if (Timer(before, d) is { } timer)
        {
            batch.Add(timer.Sql, timer.Parameters);
        }
        var partition = FeedCursor.PartitionOf(d.DisputeId);
        var toRegulator = WebhookAudience.ToRegulator(d, change.Events);
        for (var i = 0; i < change.Events.Count; i++)
        {
            batch.Add(QueueDeliveriesSql, DeliveryParameters(d, change.Events[i], toRegulator[i]));
        }
        foreach (var e in change.Events)
        {
            batch.Add(InsertEventSql, EventParameters(d, e, partition, dataKeyId));
        }
        if (OutcomeRecord.For(before, d) is { } outcome)
        {
            batch.Add(ReportingSql.InsertOutcomeSql, ReportingSql.OutcomeParameters(outcome, partition));
        }
        if (ReportingSql.RollupUpsert(dialect, before, d, dialect == SqlDialect.MySql ? RollupShardOf(d.DisputeId) : null) is { } rollups)
        {
            batch.Add(rollups.Sql, rollups.Parameters);
        }
        if (RankingSql.Upsert(dialect, before, d, dialect == SqlDialect.MySql ? RollupShardOf(d.DisputeId) : null) is { } ranking)
        {
            batch.Add(ranking.Sql, ranking.Parameters);
        }
        return batch;
    }

    /// <summary>The statement that sets a dispute's timer row to what its state says (a stale timer was found).</summary>
    public static SqlBatch SyncTimer(Dispute d) => d.NextTimerAt is { } due
        ? new SqlBatch().Add(SetTimerSql, new { TimerDisputeId = d.DisputeId, TimerDueAt = UnixMs.From(due) })
        : new SqlBatch().Add(ClearTimerSql, new { TimerDisputeId = d.DisputeId });

    /// <summary>The entries a stored change announces: its events in its partition, not yet positioned (position 0).</summary>
    public static IReadOnlyList<FeedEntry> Unpositioned(DisputeChange change)
    {
        var d = change.State;
        var partition = FeedCursor.PartitionOf(d.DisputeId);
        return change.Events.Select(e => new FeedEntry(partition, 0, d.ChannelId, d.MerchantId, d.RegionCode, e, d.CaseRegion)).ToArray();
    }

    // The high bits: the feed partition is the low bits of the same hash.
    private static int RollupShardOf(string disputeId) => (int)((FeedCursor.HashOf(disputeId) >> 16) % RollupShards);

    // ---- the dispute row ----

    /// <summary>Inserts a new dispute's row (parameters: <see cref="RowParameters"/>).</summary>
    public const string InsertDisputeSql = """
        INSERT INTO disputes (dispute_id, channel_id, consumer_ref, merchant_id, store_id, region_code, category, status,
                              active_order_key, feed_partition, created_at, updated_at, last_seq, state_json,
                              merchant_enrolled, outcome, escalation_reason, first_response_due_at, negotiation_due_at,
                              first_response_at, escalated_at, closed_at, satisfaction, settlement_remedy,
                              settlement_currency, settlement_minor, data_key_id, next_deadline_at,
                              case_status, case_accept_due_at, case_accepted_at, mediation_due_at, execution_due_at,
                              execution_recorded_at, execution_overdue, settlement_receipt, reopen_count, handling_region)
        VALUES (@DisputeId, @ChannelId, @ConsumerRef, @MerchantId, @StoreId, @RegionCode, @Category, @Status,
                @ActiveOrderKey, @FeedPartition, @CreatedAt, @UpdatedAt, @LastSeq, @StateJson,
                @MerchantEnrolled, @Outcome, @EscalationReason, @FirstResponseDueAt, @NegotiationDueAt,
                @FirstResponseAt, @EscalatedAt, @ClosedAt, @Satisfaction, @SettlementRemedy,
                @SettlementCurrency, @SettlementMinor, @DataKeyId, @NextDeadlineAt,
                @CaseStatus, @CaseAcceptDueAt, @CaseAcceptedAt, @MediationDueAt, @ExecutionDueAt,
                @ExecutionRecordedAt, @ExecutionOverdue, @SettlementReceipt, @ReopenCount, @HandlingRegion)
        """;

    // The other columns never change.
    private const string UpdateDisputeSql = """
        UPDATE disputes
        SET status = @Status, active_order_key = @ActiveOrderKey, updated_at = @UpdatedAt, last_seq = @LastSeq, state_json = @StateJson,
            outcome = @Outcome, escalation_reason = @EscalationReason, first_response_at = @FirstResponseAt,
            escalated_at = @EscalatedAt, closed_at = @ClosedAt, satisfaction = @Satisfaction,
            settlement_remedy = @SettlementRemedy, settlement_currency = @SettlementCurrency, settlement_minor = @SettlementMinor,
            next_deadline_at = @NextDeadlineAt,
            case_status = @CaseStatus, case_accept_due_at = @CaseAcceptDueAt, case_accepted_at = @CaseAcceptedAt,
            mediation_due_at = @MediationDueAt, execution_due_at = @ExecutionDueAt, execution_recorded_at = @ExecutionRecordedAt,
            execution_overdue = @ExecutionOverdue, settlement_receipt = @SettlementReceipt, reopen_count = @ReopenCount,
            handling_region = @HandlingRegion
        WHERE dispute_id = @DisputeId
        """;

    /// <summary>
    /// A dispute row's columns: the keys lists filter on, the state as JSON, and the typed outcome
    /// columns reports read (settlement_currency is "" when no amount was agreed), the data key
    /// its sealed personal fields need (null: written plain, before migration 6, or synthetic), and
    /// the deadline ListDisputes sorts by (null: none runs), the case and settlement columns the
    /// raw reporting reads (migration 0013; Unix ms, null when unset), and the region whose regulator
    /// handles the case (Dispute.CaseRegion: a transfer changes it; regulators' lists filter on it).
    /// </summary>
    public static object RowParameters(Dispute d, string? dataKeyId = null) => new
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
        DataKeyId = dataKeyId,
        NextDeadlineAt = d.NextDeadlineAt() is { } n ? UnixMs.From(n) : (long?)null,
        CaseStatus = (int)d.CaseStatus,
        CaseAcceptDueAt = OrNull(d.CaseAcceptDueAt),
        CaseAcceptedAt = OrNull(d.CaseAcceptedAt),
        MediationDueAt = OrNull(d.MediationDueAt),
        ExecutionDueAt = OrNull(d.ExecutionDueAt),
        ExecutionRecordedAt = OrNull(d.Execution?.RecordedAt),
        ExecutionOverdue = d.ExecutionOverdue ? 1 : 0,
        SettlementReceipt = (int)d.Receipt,
        d.ReopenCount,
        HandlingRegion = d.CaseRegion,
    };

    private static long? OrNull(DateTimeOffset? t) => t is { } v ? UnixMs.From(v) : null;

    // ---- the request record ----

    private const string InsertRequestSql = """
        INSERT INTO idempotency_records (party_key, request_id, method, request_hash, dispute_id, seq, created_at)
        VALUES (@PartyKey, @RequestId, @Method, @RequestHash, @DisputeId, @Seq, @CreatedAt)
        """;

    private static object RequestParameters(IdempotencyRecord r) => new
    {
        r.PartyKey,
        r.RequestId,
        r.Method,
        r.RequestHash,
        r.DisputeId,
        r.Seq,
        CreatedAt = UnixMs.From(r.CreatedAt),
    };

    // ---- the deadline timer ----

    // REPLACE INTO is the one upsert spelling SQLite and MySQL share.
    private const string SetTimerSql = "REPLACE INTO dispute_timers (dispute_id, due_at) VALUES (@TimerDisputeId, @TimerDueAt)";
    private const string ClearTimerSql = "DELETE FROM dispute_timers WHERE dispute_id = @TimerDisputeId";

    // The timer statement for a change, or null when the timer did not move (most messages).
    private static (string Sql, object Parameters)? Timer(Dispute? before, Dispute after)
    {
        var due = after.NextTimerAt;
        if (before is not null && before.NextTimerAt == due)
        {
            return null;
        }
        if (due is null)
        {
            return before is null ? null : (ClearTimerSql, new { TimerDisputeId = after.DisputeId });
        }
        return (SetTimerSql, new { TimerDisputeId = after.DisputeId, TimerDueAt = UnixMs.From(due.Value) });
    }

    // ---- the outbox ----

    // One delivery per enabled endpoint that should hear about the event: the dispute's merchant,
    // its channel, and (once escalated) the regulators whose prefix covers the region handling the
    // case (Dispute.CaseRegion: after a transfer, the receiving regulator's, no longer the store's). Equality on
    // (owner_kind, owner_id) for each, so the owner index serves it as a few point lookups.
    private const string QueueDeliveriesSql = """
        INSERT INTO webhook_deliveries (endpoint_id, dispute_id, seq, event_type, status, attempts, created_at, first_attempt_at,
                                        next_attempt_at, delivered_at, last_http_status, last_error, dead_letter_reason, lease_token)
        SELECT endpoint_id, @DisputeId, @Seq, @EventType, 1, 0, @OccurredAt, NULL, @OccurredAt, NULL, 0, '', '', ''
        FROM webhook_endpoints
        WHERE enabled = 1
          AND ((owner_kind = 1 AND owner_id = @MerchantId)
            OR (owner_kind = 2 AND owner_id = @ChannelId)
            OR (owner_kind = 3 AND @ToRegulator = 1 AND owner_id IN (@Region2, @Region4, @Region6)))
        """;

    private static object DeliveryParameters(Dispute d, DisputeEvent e, bool toRegulator)
    {
        var region = d.CaseRegion;
        return new
        {
            e.DisputeId,
            e.Seq,
            EventType = e.Detail.Type,
            OccurredAt = UnixMs.From(e.OccurredAt),
            d.MerchantId,
            d.ChannelId,
            ToRegulator = toRegulator ? 1 : 0,
            Region2 = region.Length >= 2 ? region[..2] : region,
            Region4 = region.Length >= 4 ? region[..4] : region,
            Region6 = region.Length >= 6 ? region[..6] : region,
        };
    }

    // ---- the events ----

    // feed_position stays NULL until the sequencer gives it.
    private const string InsertEventSql = """
        INSERT INTO dispute_events (dispute_id, seq, event_type, occurred_at, actor_role, actor_id, status_after,
                                    feed_partition, feed_position, channel_id, merchant_id, region_code, payload_json, data_key_id,
                                    handling_region)
        VALUES (@DisputeId, @Seq, @EventType, @OccurredAt, @ActorRole, @ActorId, @StatusAfter,
                @FeedPartition, NULL, @ChannelId, @MerchantId, @RegionCode, @PayloadJson, @DataKeyId,
                @HandlingRegion)
        """;

    // Only the opening event holds personal data (the whole dispute), so only it names the key.
    private static object EventParameters(Dispute d, DisputeEvent e, int partition, string? dataKeyId) => new
    {
        e.DisputeId,
        e.Seq,
        EventType = e.Detail.Type,
        OccurredAt = UnixMs.From(e.OccurredAt),
        ActorRole = (int)e.Actor.Role,
        ActorId = e.Actor.Id,
        StatusAfter = (int)e.StatusAfter,
        FeedPartition = partition,
        d.ChannelId,
        d.MerchantId,
        d.RegionCode,
        PayloadJson = StoreJson.Detail(e.Detail),
        DataKeyId = e.Detail is DisputeOpened ? dataKeyId : null,
        HandlingRegion = d.CaseRegion,
    };
}
