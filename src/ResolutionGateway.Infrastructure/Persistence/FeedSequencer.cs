using System.Globalization;
using ResolutionGateway.Core.Events;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Infrastructure.Privacy;

namespace ResolutionGateway.Infrastructure.Persistence;

/// <summary>
/// Gives feed positions to committed events (and outcome records) that have none yet: the one place
/// positions are taken. Changes commit without a position (<see cref="ChangeWriter"/>), so no commit
/// waits for another's; a pass of the sequencer positions everything committed since the previous
/// pass in one transaction, under the partitions' counter locks.
/// </summary>
/// <remarks>
/// Why the feed keeps its guarantees:
/// <list type="bullet">
/// <item>No gap, no duplicate: positions are given only under the counter rows' locks and committed
/// with the counters in one transaction, so when a reader's committed counter reads <c>head</c>,
/// every position up to it is committed and visible (the readers' argument is unchanged).</item>
/// <item>Per-dispute order: a dispute's writers are serialised by its row lock, so when an event of
/// it is committed, every earlier one is too: a pass sees a prefix of each dispute's unpositioned
/// events and positions them in seq order, after the ones an earlier pass positioned.</item>
/// <item>Cursors: positions once given never change, so cursors issued before this design (when
/// writers took positions themselves) keep working.</item>
/// </list>
/// Every node may run passes; two passes queue on the counter locks and the second finds what the
/// first left. An outcome record gets the position of its change's last event (seq = revision)
/// once that event has one, possibly in a later pass.
/// </remarks>
public sealed class FeedSequencer(IDatabase db, IEventHub hub, PersonalDataSealer sealer)
{
    /// <summary>Events positioned per pass at most (one transaction; the next pass takes the rest).</summary>
    public const int BatchLimit = 500;

    private static readonly string Partitions =
        string.Join(", ", Enumerable.Range(0, FeedCursor.Partitions).Select(p => p.ToString(CultureInfo.InvariantCulture)));

    // Every counter row, locked in partition order: the sequencer's lock.
    private const string LockCountersSql = "SELECT last_position FROM feed_partitions ORDER BY partition_no";

    // The NULL positions lead each partition in ix_dispute_events_feed (feed_partition, feed_position,
    // then the primary key), so this is an index range per partition, read in (dispute, seq) order.
    // The data key is joined so the announced opening events carry the consumer opened, as watchers show it.
    private static readonly string PendingSql = $"""
        SELECT dispute_id, seq, occurred_at, actor_role, actor_id, status_after, feed_partition, feed_position,
               channel_id, merchant_id, region_code, payload_json, data_key_id, handling_region, {KeyedRow.KeyColumns}
        FROM dispute_events LEFT JOIN consumer_keys k ON k.key_id = data_key_id
        WHERE feed_partition IN ({Partitions}) AND feed_position IS NULL
        ORDER BY feed_partition, dispute_id, seq
        LIMIT @Limit
        """;

    private const string SetPositionSql = "UPDATE dispute_events SET feed_position = @Position WHERE dispute_id = @DisputeId AND seq = @Seq";

    // Outcome records whose event (dispute_id, seq = revision) has a position by now, this pass's included.
    private static readonly string PositionOutcomesSql = $"""
        UPDATE dispute_outcomes
        SET feed_position = (SELECT e.feed_position FROM dispute_events e
                             WHERE e.dispute_id = dispute_outcomes.dispute_id AND e.seq = dispute_outcomes.revision)
        WHERE feed_partition IN ({Partitions}) AND feed_position IS NULL
          AND EXISTS (SELECT 1 FROM dispute_events e
                      WHERE e.dispute_id = dispute_outcomes.dispute_id AND e.seq = dispute_outcomes.revision AND e.feed_position IS NOT NULL)
        """;

    private const string AdvanceSql = "UPDATE feed_partitions SET last_position = @Last WHERE partition_no = @Partition";

    /// <summary>
    /// One pass: positions up to <see cref="BatchLimit"/> committed events (and the outcome records
    /// they complete) in one transaction, then announces them. Returns them, in position order per partition.
    /// </summary>
    public async Task<IReadOnlyList<FeedEntry>> SequenceAsync(CancellationToken ct)
    {
        var entries = await db.WriteAsync<IReadOnlyList<FeedEntry>>(async tx =>
        {
            var heads = (await tx.QueryAsync<long>(LockCountersSql + tx.Dialect.ForUpdate())).ToArray();
            if (heads.Length != FeedCursor.Partitions)
            {
                throw new InvalidOperationException($"feed_partitions has {heads.Length} rows, expected {FeedCursor.Partitions}");
            }
            var rows = await tx.QueryAsync<EventRow>(PendingSql, new { Limit = BatchLimit });
            var batch = new SqlBatch();
            var last = (long[])heads.Clone();
            var positioned = new List<FeedEntry>(rows.Count);
            foreach (var row in rows)
            {
                var partition = (int)row.feed_partition;
                var position = ++last[partition];
                batch.Add(SetPositionSql, new { Position = position, DisputeId = row.dispute_id, Seq = row.seq });
                positioned.Add(sealer.Open(row.ToFeedEntry(), row.Key) with { Position = position });
            }
            // Run even when no event was pending: an outcome may wait for an event positioned earlier.
            batch.Add(PositionOutcomesSql);
            for (var p = 0; p < last.Length; p++)
            {
                if (last[p] != heads[p])
                {
                    batch.Add(AdvanceSql, new { Last = last[p], Partition = p });
                }
            }
            await tx.CommitAsync(batch);
            return positioned;
        }, ct);
        if (entries.Count > 0)
        {
            hub.PublishPositioned(entries);
        }
        return entries;
    }

    /// <summary>Passes until nothing is left to position; returns how many events were positioned.</summary>
    public async Task<int> SequenceAllAsync(CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var n = (await SequenceAsync(ct)).Count;
            total += n;
            if (n < BatchLimit)
            {
                return total;
            }
        }
    }
}
