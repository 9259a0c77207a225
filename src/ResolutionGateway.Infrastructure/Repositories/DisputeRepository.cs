using System.Text;
using Dapper;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Errors;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Infrastructure.Persistence;
using ResolutionGateway.Infrastructure.Privacy;

namespace ResolutionGateway.Infrastructure.Repositories;

/// <summary>
/// Disputes and their event logs, on either database. Writes go through <see cref="ChangeWriter"/>
/// (the rows a change owes, in the lock order written there); reads are plain SQL here. Writers
/// serialise on the dispute's row, not on a process-wide lock, so several nodes can share a MySQL
/// database; the embedded store has one writer at a time anyway.
/// The consumer's name and mobile number are stored only sealed under the consumer's data key
/// (<see cref="PersonalDataSealer"/>): a new dispute is sealed before it is planned, reads join the
/// key beside their rows and open them, and a change keeps the stored sealed consumer as it is
/// (it never changes after the opening).
/// </summary>
public sealed class DisputeRepository(IDatabase db, ConsumerKeyRepository keys, FeedSignal? feed = null) : IDisputeStore
{
    private readonly PersonalDataSealer _sealer = keys.Sealer;

    // Every commit that stored events asks this node's feed sequencer for a pass (FeedSignal).
    private T Committed<T>(T result, DisputeChange? change)
    {
        if (change is { Events.Count: > 0 })
        {
            feed?.Notify();
        }
        return result;
    }

    private const string FindRequestSql = """
        SELECT party_key AS PartyKey, request_id AS RequestId, method AS Method, request_hash AS RequestHash,
               dispute_id AS DisputeId, seq AS Seq, created_at AS CreatedAtMs
        FROM idempotency_records WHERE party_key = @PartyKey AND request_id = @RequestId
        """;

    /// <inheritdoc />
    public Task<IdempotencyRecord?> FindRequestAsync(string partyKey, string requestId, CancellationToken ct) =>
        db.ReadAsync(async (c, t) => (await c.QuerySingleOrDefaultAsync<RequestRow>(
            new CommandDefinition(FindRequestSql, new { PartyKey = partyKey, RequestId = requestId }, cancellationToken: t)))?.ToRecord(), ct);

    private const string ActiveDisputeSql = "SELECT dispute_id FROM disputes WHERE active_order_key = @Key";

    private Task<string?> ActiveDisputeAsync(string key, CancellationToken ct) =>
        db.ReadAsync((c, t) => c.QuerySingleOrDefaultAsync<string>(new CommandDefinition(ActiveDisputeSql, new { Key = key }, cancellationToken: t)), ct);

    /// <inheritdoc />
    public async Task<CreateResult> CreateAsync(DisputeChange change, IdempotencyRecord request, CancellationToken ct)
    {
        // A data key of the consumer's own for this dispute, stored in the transaction, first: a new
        // row of a random key, which no other writer waits for, and no read before the write.
        // (The encryption benchmark's baseline stores the change as it is: no key, no sealing.)
        DataKey? key = null;
        SqlBatch? newKey = null;
        if (!keys.Plaintext)
        {
            (key, newKey) = keys.MakeKey(change.State.ChannelId, change.State.Consumer.ConsumerRef);
        }
        var sealedChange = key is null ? change : _sealer.Seal(change, key);
        try
        {
            // One round trip on MySQL: BEGIN, the planned rows, COMMIT. A racing insert of the same
            // order key or request key waits for the other transaction and fails with a duplicate
            // key once that commits, before anything after it runs.
            await db.WriteAsync(async tx =>
            {
                var plan = ChangeWriter.Plan(tx.Dialect, null, sealedChange, request, key?.KeyId);
                await tx.CommitAsync(newKey is null ? plan : newKey.Append(plan));
                return true;
            }, ct);
            return Committed(new CreateResult(CreateOutcome.Created, ChangeWriter.Unpositioned(change), null), change);
        }
        catch (Exception e) when (db.IsDuplicateKey(e))
        {
            // Rolled back by now. Two racing opens: either the same request (a retry) or the same
            // order (another request); the winner has committed.
            if (await FindRequestAsync(request.PartyKey, request.RequestId, ct) is not null)
            {
                return new CreateResult(CreateOutcome.DuplicateRequest, [], null);
            }
            var existing = await db.ReadAsync((c, t) => c.QuerySingleOrDefaultAsync<string>(
                new CommandDefinition(ActiveDisputeSql, new { Key = change.State.ActiveOrderKey }, cancellationToken: t)), ct);
            if (existing is null)
            {
                throw;
            }
            return new CreateResult(CreateOutcome.ActiveDisputeExists, [], existing);
        }
    }

    private const string LoadStateSql = "SELECT state_json FROM disputes WHERE dispute_id = @DisputeId";

    // The dispute's key, beside a locking read of its state in the same round trip: a plain read,
    // so the key row is never locked (an erasure does not wait for the consumer's disputes).
    private const string KeyOfDisputeSql = $"""
        SELECT d.data_key_id, {KeyedRow.KeyColumns}
        FROM disputes d LEFT JOIN consumer_keys k ON k.key_id = d.data_key_id WHERE d.dispute_id = @DisputeId
        """;

    // The opened state for the rules and the caller, and the change to store: the sealed consumer as
    // stored (the rules never change the consumer, and an erased one stays sealed under its dead key).
    private (Dispute Before, Func<DisputeChange, DisputeChange> Reseal) Open(string json, KeyRow? key)
    {
        var stored = StoreJson.ReadState(json);
        var before = _sealer.Open(stored, key?.Key);
        return (before, c => c with { State = c.State with { Consumer = stored.Consumer } });
    }

    /// <inheritdoc />
    public async Task<MutateResult?> MutateAsync(string disputeId, IdempotencyRecord request, Func<Dispute, DisputeChange> decide, CancellationToken ct)
    {
        // The order key a change makes active again (a reopened dispute), which another active
        // dispute of the same order may hold.
        string? reactivatedKey = null;
        try
        {
            var result = await db.WriteAsync<MutateResult?>(async tx =>
            {
                // The dispute's row lock serialises its writers across nodes: load, decide and store
                // cannot interleave. The request record is looked up after the lock, in the same
                // round trip: a concurrent retry that held the lock before us has committed its
                // record, and READ COMMITTED shows it. Checked even for an unknown dispute.
                var (json, first, key) = await tx.QueryMultipleAsync(LoadStateSql + tx.Dialect.ForUpdate() + ";\n" + FindRequestSql + ";\n" + KeyOfDisputeSql,
                    new { DisputeId = disputeId, request.PartyKey, request.RequestId },
                    async r => (await r.ReadSingleOrDefaultAsync<string>(), (await r.ReadSingleOrDefaultAsync<RequestRow>())?.ToRecord(),
                        await r.ReadSingleOrDefaultAsync<KeyRow>()));
                if (first is not null || json is null)
                {
                    return first is null ? null : new MutateResult(null, [], first);
                }
                // Exceptions from decide roll back.
                var (before, reseal) = Open(json, key);
                var change = decide(before);
                var d = change.State;
                reactivatedKey = before.ActiveOrderKey is null ? d.ActiveOrderKey : null;
                // The second round trip: the planned rows and COMMIT.
                await tx.CommitAsync(ChangeWriter.Plan(tx.Dialect, before, reseal(change), request with { DisputeId = d.DisputeId, Seq = d.LastSeq }, key?.data_key_id));
                return new MutateResult(change, ChangeWriter.Unpositioned(change), null);
            }, ct);
            return Committed(result, result?.Applied);
        }
        catch (Exception e) when (db.IsDuplicateKey(e))
        {
            // Only the request record can collide (the row lock guards the seqs): the same request
            // id, sent concurrently for another dispute, committed first.
            if (await FindRequestAsync(request.PartyKey, request.RequestId, ct) is { } first)
            {
                return new MutateResult(null, [], first);
            }
            // Or the order key: the consumer opened a new dispute for the same order meanwhile.
            if (reactivatedKey is not null && await ActiveDisputeAsync(reactivatedKey, ct) is { } other && other != disputeId)
            {
                throw new AlreadyExistsException("ACTIVE_DISPUTE_EXISTS",
                    $"the order of dispute {disputeId} has another active dispute: {other}",
                    new Dictionary<string, string> { ["dispute_id"] = other });
            }
            throw;
        }
    }

    // Most overdue first.
    private const string FindDueTimersSql = """
        SELECT dispute_id FROM dispute_timers WHERE due_at <= @Now ORDER BY due_at, dispute_id LIMIT @Limit
        """;

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> FindDueTimersAsync(DateTimeOffset now, int limit, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<string>>(async (c, t) => (await c.QueryAsync<string>(new CommandDefinition(FindDueTimersSql,
            new { Now = UnixMs.From(now), Limit = limit }, cancellationToken: t))).AsList(), ct);

    /// <inheritdoc />
    public async Task<TimerResult?> FireTimerAsync(string disputeId, DateTimeOffset now, Func<Dispute, DisputeChange?> decide, CancellationToken ct)
    {
        // Safe to retry: a retry after a lost commit acknowledgement finds the timer no longer due.
        var result = await db.WriteAsync<TimerResult?>(async tx =>
        {
            // The claim: the dispute's row lock, taken without waiting on MySQL. A row that another
            // node's worker or a request holds is skipped; it is looked at again on the next pass.
            // On the embedded store the write lock is the claim: whoever holds it sees the state the
            // previous writer committed, so a timer fired by another writer is not due here.
            var (json, key) = await tx.QueryMultipleAsync(LoadStateSql + tx.Dialect.ForUpdateSkipLocked() + ";\n" + KeyOfDisputeSql, new { DisputeId = disputeId },
                async r => (await r.ReadSingleOrDefaultAsync<string>(), await r.ReadSingleOrDefaultAsync<KeyRow>()));
            if (json is null)
            {
                return null;
            }
            var (before, reseal) = Open(json, key);
            if (before.NextTimerAt is not { } due || due > now)
            {
                // Fired by someone else since the candidates were read, or a back-filled timer: align the timer with the state.
                await tx.CommitAsync(ChangeWriter.SyncTimer(before));
                return new TimerResult(null, []);
            }
            var change = decide(before) ?? throw new InvalidOperationException($"timer of {disputeId} was due but the rules found nothing to do");
            await tx.CommitAsync(ChangeWriter.Plan(tx.Dialect, before, reseal(change), request: null, key?.data_key_id));
            return new TimerResult(change, ChangeWriter.Unpositioned(change));
        }, ct);
        return Committed(result, result?.Applied);
    }

    private const string LoadOpenSql = $"""
        SELECT d.state_json, d.data_key_id, {KeyedRow.KeyColumns}
        FROM disputes d LEFT JOIN consumer_keys k ON k.key_id = d.data_key_id WHERE d.dispute_id = @DisputeId
        """;

    /// <inheritdoc />
    public Task<Dispute?> GetAsync(string disputeId, CancellationToken ct) =>
        db.ReadAsync(async (c, t) =>
        {
            var row = await c.QuerySingleOrDefaultAsync<StateRow>(new CommandDefinition(LoadOpenSql, new { DisputeId = disputeId }, cancellationToken: t));
            return row is null ? null : _sealer.Open(StoreJson.ReadState(row.state_json), row.Key);
        }, ct);

    private const string ReadEventsSql = $"""
        SELECT e.dispute_id, e.seq, e.occurred_at, e.actor_role, e.actor_id, e.status_after, e.feed_partition, e.feed_position,
               e.channel_id, e.merchant_id, e.region_code, e.payload_json, e.data_key_id, {KeyedRow.KeyColumns}
        FROM dispute_events e LEFT JOIN consumer_keys k ON k.key_id = e.data_key_id
        WHERE e.dispute_id = @DisputeId AND e.seq > @AfterSeq ORDER BY e.seq LIMIT @Limit
        """;

    /// <inheritdoc />
    public Task<IReadOnlyList<DisputeEvent>> ReadEventsAsync(string disputeId, long afterSeq, int limit, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<DisputeEvent>>(async (c, t) => (await c.QueryAsync<EventRow>(new CommandDefinition(ReadEventsSql,
            new { DisputeId = disputeId, AfterSeq = afterSeq, Limit = limit }, cancellationToken: t))).Select(r => _sealer.Open(r.ToEvent(), r.Key)).ToArray(), ct);

    // Filters are appended only when set, so each query shape can use its index.
    private const string ListSql = $"""
        SELECT state_json, data_key_id, {KeyedRow.KeyColumns} FROM disputes LEFT JOIN consumer_keys k ON k.key_id = data_key_id WHERE 1 = 1
        """;
    private const string ByChannel = " AND channel_id = @ChannelId";
    private const string ByConsumer = " AND consumer_ref = @ConsumerRef";
    private const string ByMerchant = " AND merchant_id = @MerchantId";
    // A regulator's queue: the cases its region handles (handling_region, migration 0014), a
    // transferred case with the regulator it was transferred to (ix_disputes_handling).
    private const string ByRegion = " AND handling_region >= @RegionLow AND handling_region < @RegionHigh";
    // The same on events: '' is an event stored before 0014, handled where its store is.
    private const string FeedByRegion = " AND (handling_region >= @RegionLow AND handling_region < @RegionHigh"
        + " OR handling_region = '' AND region_code >= @RegionLow AND region_code < @RegionHigh)";
    private const string ByStatus = " AND status IN @Statuses";
    private const string Before = " AND dispute_id < @Before";
    private const string ListOrder = " ORDER BY dispute_id DESC LIMIT @Limit";
    private const string ByFilterRegion = " AND region_code >= @FilterRegionLow AND region_code < @FilterRegionHigh";
    // A regulator's region filter narrows its queue, so it is on the handling region too.
    private const string ByFilterHandlingRegion = " AND handling_region >= @FilterRegionLow AND handling_region < @FilterRegionHigh";
    private const string ByCategory = " AND category = @Category";
    private const string OpenedFrom = " AND created_at >= @OpenedFrom";
    private const string OpenedTo = " AND created_at < @OpenedTo";
    private const string UpdatedFrom = " AND updated_at >= @UpdatedFrom";
    private const string UpdatedTo = " AND updated_at < @UpdatedTo";
    // closed_at is NULL while open, so any bound leaves open disputes out.
    private const string ClosedFrom = " AND closed_at >= @ClosedFrom";
    private const string ClosedTo = " AND closed_at < @ClosedTo";
    private const string HasDeadline = " AND next_deadline_at IS NOT NULL";
    private const string DeadlineBy = " AND next_deadline_at <= @DeadlineBy";
    // The keyset after (deadline, id), spelled so the first conjunct is a range on the index's
    // leading column (ix_disputes_deadline, ix_disputes_merchant_deadline).
    private const string AfterDeadline = " AND next_deadline_at >= @AfterDue AND (next_deadline_at > @AfterDue OR dispute_id > @AfterId)";
    private const string DeadlineOrder = " ORDER BY next_deadline_at, dispute_id LIMIT @Limit";

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
        if (query.Scope.ChannelId is not null) { sql.Append(ByChannel); }
        if (query.ConsumerRef is not null) { sql.Append(ByConsumer); }
        if (merchant is not null) { sql.Append(ByMerchant); }
        if (query.Scope.RegionPrefix is not null) { sql.Append(ByRegion); }
        if (query.Statuses.Count > 0) { sql.Append(ByStatus); }
        var filterRegion = query.RegionPrefix is null ? default : RegionRange.Of(query.RegionPrefix);
        if (query.RegionPrefix is not null) { sql.Append(query.Scope.RegionPrefix is null ? ByFilterRegion : ByFilterHandlingRegion); }
        if (query.Category is not null) { sql.Append(ByCategory); }
        if (query.Opened.From is not null) { sql.Append(OpenedFrom); }
        if (query.Opened.To is not null) { sql.Append(OpenedTo); }
        if (query.Updated.From is not null) { sql.Append(UpdatedFrom); }
        if (query.Updated.To is not null) { sql.Append(UpdatedTo); }
        if (query.Closed.From is not null) { sql.Append(ClosedFrom); }
        if (query.Closed.To is not null) { sql.Append(ClosedTo); }
        if (query.DeadlineBy is not null) { sql.Append(DeadlineBy); }
        if (query.Order == DisputeListOrder.NextDeadline)
        {
            sql.Append(query.AfterDeadline is null ? HasDeadline : AfterDeadline).Append(DeadlineOrder);
        }
        else
        {
            if (query.BeforeDisputeId is not null) { sql.Append(Before); }
            sql.Append(ListOrder);
        }
        var parameters = new
        {
            query.Scope.ChannelId,
            query.ConsumerRef,
            MerchantId = merchant,
            RegionLow = region.Low,
            RegionHigh = region.High,
            Statuses = query.Statuses.Select(s => (int)s).ToArray(),
            Before = query.BeforeDisputeId,
            query.Limit,
            FilterRegionLow = filterRegion.Low,
            FilterRegionHigh = filterRegion.High,
            Category = (int?)query.Category,
            OpenedFrom = Ms(query.Opened.From),
            OpenedTo = Ms(query.Opened.To),
            UpdatedFrom = Ms(query.Updated.From),
            UpdatedTo = Ms(query.Updated.To),
            ClosedFrom = Ms(query.Closed.From),
            ClosedTo = Ms(query.Closed.To),
            DeadlineBy = Ms(query.DeadlineBy),
            AfterDue = Ms(query.AfterDeadline?.DueAt),
            AfterId = query.AfterDeadline?.DisputeId,
        };
        return await db.ReadAsync<IReadOnlyList<Dispute>>(async (c, t) =>
            (await c.QueryAsync<StateRow>(new CommandDefinition(sql.ToString(), parameters, cancellationToken: t)))
                .Select(r => _sealer.Open(StoreJson.ReadState(r.state_json), r.Key)).ToArray(), ct);
    }

    private static long? Ms(DateTimeOffset? t) => t is { } v ? UnixMs.From(v) : null;

    private const string FeedHeadOneSql = "SELECT last_position FROM feed_partitions WHERE partition_no = @Partition";
    private const string FeedSql = $"""
        SELECT dispute_id, seq, occurred_at, actor_role, actor_id, status_after, feed_partition, feed_position,
               channel_id, merchant_id, region_code, payload_json, data_key_id, handling_region, {KeyedRow.KeyColumns}
        FROM dispute_events LEFT JOIN consumer_keys k ON k.key_id = data_key_id
        WHERE feed_partition = @Partition AND feed_position > @After AND feed_position <= @Head
        """;
    private const string FeedOrder = " ORDER BY feed_position LIMIT @Limit";

    /// <inheritdoc />
    public Task<FeedPage> ReadFeedAsync(int partition, long afterPosition, VisibilityScope scope, int limit, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var sql = new StringBuilder(FeedSql);
        var region = scope.RegionPrefix is null ? default : RegionRange.Of(scope.RegionPrefix);
        if (scope.ChannelId is not null) { sql.Append(ByChannel); }
        if (scope.MerchantId is not null) { sql.Append(ByMerchant); }
        if (scope.RegionPrefix is not null) { sql.Append(FeedByRegion); }
        sql.Append(FeedOrder);
        // Why no row can be skipped: the sequencer gives positions and advances the partition's
        // counter in one transaction, holding the counter's lock until it commits. So when the
        // committed counter reads `head`, every position up to `head` is committed, and the second
        // SELECT (a snapshot no older than the first) sees all of them. Neither read takes locks or
        // waits for writers.
        return db.ReadCommittedAsync(async (c, tx, t) =>
        {
            var head = await c.ExecuteScalarAsync<long>(new CommandDefinition(FeedHeadOneSql, new { Partition = partition }, tx, cancellationToken: t));
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
            }, tx, cancellationToken: t))).Select(r => _sealer.Open(r.ToFeedEntry(), r.Key)).ToArray();
            var readUpTo = rows.Length == limit ? rows[^1].Position : Math.Max(head, afterPosition);
            return new FeedPage(rows, readUpTo);
        }, ct);
    }

    private const string FeedHeadSql = "SELECT last_position FROM feed_partitions ORDER BY partition_no";

    /// <inheritdoc />
    public Task<long[]> ReadFeedHeadAsync(CancellationToken ct) =>
        db.ReadAsync(async (c, t) => (await c.QueryAsync<long>(new CommandDefinition(FeedHeadSql, cancellationToken: t))).ToArray(), ct);

    private sealed class KeyRow : KeyedRow;

    private sealed class StateRow : KeyedRow
    {
        public string state_json { get; set; } = "";
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
