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

    /// <inheritdoc />
    public async Task<IdempotencyRecord?> FindRequestAsync(string partyKey, string requestId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await DisputeSql.FindRequestAsync(c, null, partyKey, requestId, ct);
    }

    private const string ActiveDisputeSql = "SELECT dispute_id FROM disputes WHERE active_order_key = @Key";

    /// <inheritdoc />
    public async Task<CreateResult> CreateAsync(DisputeChange change, IdempotencyRecord request, CancellationToken ct)
    {
        var d = change.State;
        try
        {
            var feed = await db.WriteAsync(async (c, tx) =>
            {
                await c.ExecuteAsync(new CommandDefinition(DisputeSql.InsertDisputeSql, DisputeSql.RowParameters(d), tx, cancellationToken: ct));
                var entries = await AppendEventsAsync(c, tx, d, change.Events, ct);
                await OutboxSql.WriteAsync(c, tx, null, change, ct);
                await ReportingSql.WriteAsync(c, tx, null, change, entries[^1].Partition, entries[^1].Position, ct);
                await DisputeSql.InsertRequestAsync(c, tx, request, ct);
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

    /// <inheritdoc />
    public Task<MutateResult?> MutateAsync(string disputeId, IdempotencyRecord request, Func<Dispute, DisputeChange> decide, CancellationToken ct) =>
        // The write lock serialises writers, so loading, deciding and storing cannot interleave with another change.
        db.WriteAsync<MutateResult?>(async (c, tx) =>
        {
            if (await DisputeSql.FindRequestAsync(c, tx, request.PartyKey, request.RequestId, ct) is { } first)
            {
                return new MutateResult(null, [], first);
            }
            var json = await c.QuerySingleOrDefaultAsync<string>(new CommandDefinition(LoadStateSql, new { DisputeId = disputeId }, tx, cancellationToken: ct));
            if (json is null)
            {
                return null;
            }
            var before = StoreJson.ReadState(json);
            var change = decide(before);
            var feed = await StoreChangeAsync(c, tx, before, change, ct);
            await DisputeSql.InsertRequestAsync(c, tx, request with { DisputeId = change.State.DisputeId, Seq = change.State.LastSeq }, ct);
            return new MutateResult(change, feed, null);
        }, ct);

    // State, events, timer and outbox of a change to an existing dispute.
    private static async Task<IReadOnlyList<FeedEntry>> StoreChangeAsync(
        SqliteConnection c, SqliteTransaction tx, Dispute before, DisputeChange change, CancellationToken ct)
    {
        var d = change.State;
        await c.ExecuteAsync(new CommandDefinition(DisputeSql.UpdateDisputeSql, DisputeSql.RowParameters(d), tx, cancellationToken: ct));
        var feed = await AppendEventsAsync(c, tx, d, change.Events, ct);
        await OutboxSql.WriteAsync(c, tx, before, change, ct);
        if (feed.Count > 0)
        {
            await ReportingSql.WriteAsync(c, tx, before, change, feed[^1].Partition, feed[^1].Position, ct);
        }
        return feed;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> FindDueTimersAsync(DateTimeOffset now, int limit, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<string>(new CommandDefinition(DisputeSql.FindDueTimersSql,
            new { Now = UnixMs.From(now), Limit = limit }, cancellationToken: ct))).AsList();
    }

    /// <inheritdoc />
    public Task<TimerResult?> FireTimerAsync(string disputeId, DateTimeOffset now, Func<Dispute, DisputeChange?> decide, CancellationToken ct) =>
        // The write lock (BEGIN IMMEDIATE, one writer per file) is the claim: whoever holds it sees
        // the state the previous writer committed, so a timer fired by another writer is not due here.
        db.WriteAsync<TimerResult?>(async (c, tx) =>
        {
            var json = await c.QuerySingleOrDefaultAsync<string>(new CommandDefinition(LoadStateSql, new { DisputeId = disputeId }, tx, cancellationToken: ct));
            if (json is null)
            {
                return null;
            }
            var before = StoreJson.ReadState(json);
            if (before.NextTimerAt is not { } due || due > now)
            {
                var (sql, parameters) = OutboxSql.SyncTimer(before);
                await c.ExecuteAsync(new CommandDefinition(sql, parameters, tx, cancellationToken: ct));
                return new TimerResult(null, []);
            }
            var change = decide(before) ?? throw new InvalidOperationException($"timer of {disputeId} was due but the rules found nothing to do");
            return new TimerResult(change, await StoreChangeAsync(c, tx, before, change, ct));
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

    /// <inheritdoc />
    public async Task<Dispute?> GetAsync(string disputeId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await DisputeSql.GetAsync(c, disputeId, ct);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DisputeEvent>> ReadEventsAsync(string disputeId, long afterSeq, int limit, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await DisputeSql.ReadEventsAsync(c, disputeId, afterSeq, limit, ct);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Dispute>> ListAsync(DisputeQuery query, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await DisputeSql.ListAsync(c, query, ct);
    }

    /// <inheritdoc />
    public async Task<FeedPage> ReadFeedAsync(int partition, long afterPosition, VisibilityScope scope, int limit, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        // One read transaction: the head and the rows come from the same snapshot, and writers are
        // serialised, so every position up to the head is committed. Deferred (plain BEGIN), so it
        // takes no write lock and never waits for a writer (WAL readers run alongside).
        await using var tx = c.BeginTransaction(deferred: true);
        return await DisputeSql.ReadFeedAsync(c, tx, partition, afterPosition, scope, limit, ct);
    }

    /// <inheritdoc />
    public async Task<long[]> ReadFeedHeadAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await DisputeSql.ReadFeedHeadAsync(c, ct);
    }
}
