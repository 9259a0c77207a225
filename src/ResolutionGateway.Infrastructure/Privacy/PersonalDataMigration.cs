using Dapper;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Infrastructure.Persistence;
using ResolutionGateway.Infrastructure.Repositories;

namespace ResolutionGateway.Infrastructure.Privacy;

/// <summary>
/// Seals the disputes stored in plain text before migration 6 (data_key_id NULL): their state and
/// their opening event, under the consumer's data key, one dispute per transaction. Run in the
/// background on every node (<see cref="PersonalDataMigrationWorker"/>), each row claimed with a
/// skip-locked row lock as the deadline worker does; and for one consumer before their erasure.
/// </summary>
public sealed class PersonalDataMigration(IDatabase db, ConsumerKeyRepository keys)
{
    private const string PlainSql = """
        SELECT dispute_id AS DisputeId, channel_id AS ChannelId, consumer_ref AS ConsumerRef
        FROM disputes WHERE data_key_id IS NULL
        """;
    private const string OfConsumer = " AND channel_id = @ChannelId AND consumer_ref = @ConsumerRef";
    private const string PlainOrder = " ORDER BY dispute_id LIMIT @Limit";

    // The claim: the row still plain, locked without waiting (MySQL); a row a request holds is
    // left for the next pass. On SQLite the write lock is the claim.
    private const string ClaimSql = "SELECT state_json FROM disputes WHERE dispute_id = @DisputeId AND data_key_id IS NULL";

    private const string OpenedEventsSql = """
        SELECT seq AS Seq, payload_json AS PayloadJson FROM dispute_events
        WHERE dispute_id = @DisputeId AND event_type = 'opened' AND data_key_id IS NULL
        """;

    private const string SealStateSql = "UPDATE disputes SET state_json = @StateJson, data_key_id = @DataKeyId WHERE dispute_id = @DisputeId";

    private const string SealEventSql = """
        UPDATE dispute_events SET payload_json = @PayloadJson, data_key_id = @DataKeyId WHERE dispute_id = @DisputeId AND seq = @Seq
        """;

    /// <summary>
    /// Seals up to <paramref name="limit"/> plain disputes (of one consumer when given). Returns how
    /// many it sealed and how many it found: found but not sealed ones were locked, or sealed by
    /// another node meanwhile.
    /// </summary>
    public async Task<(int Sealed, int Found)> SealPlainAsync(int limit, string? channelId, string? consumerRef, CancellationToken ct)
    {
        var sql = PlainSql + (channelId is null ? "" : OfConsumer) + PlainOrder;
        var plain = (await db.ReadAsync((c, t) => c.QueryAsync<PlainRow>(new CommandDefinition(sql,
            new { ChannelId = channelId, ConsumerRef = consumerRef, Limit = limit }, cancellationToken: t)), ct)).AsList();
        var done = 0;
        foreach (var row in plain)
        {
            var key = await keys.KeyForAsync(row.ChannelId, row.ConsumerRef, ct);
            done += await db.WriteAsync(async tx =>
            {
                var json = (await tx.QueryAsync<string>(ClaimSql + tx.Dialect.ForUpdateSkipLocked(), new { row.DisputeId })).SingleOrDefault();
                if (json is null)
                {
                    return 0;
                }
                var batch = new SqlBatch().Add(SealStateSql, new
                {
                    row.DisputeId,
                    StateJson = StoreJson.State(keys.Sealer.Seal(StoreJson.ReadState(json), key)),
                    DataKeyId = key.KeyId,
                });
                foreach (var e in await tx.QueryAsync<OpenedRow>(OpenedEventsSql, new { row.DisputeId }))
                {
                    var opened = (DisputeOpened)StoreJson.ReadDetail(e.PayloadJson);
                    batch.Add(SealEventSql, new
                    {
                        row.DisputeId,
                        e.Seq,
                        PayloadJson = StoreJson.Detail(new DisputeOpened(keys.Sealer.Seal(opened.Initial, key))),
                        DataKeyId = key.KeyId,
                    });
                }
                await tx.CommitAsync(batch);
                return 1;
            }, ct);
        }
        return (done, plain.Count);
    }

    /// <summary>Seals every plain dispute it can claim, a batch at a time; returns how many.</summary>
    public async Task<int> SealAllPlainAsync(string? channelId, string? consumerRef, CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var (done, found) = await SealPlainAsync(100, channelId, consumerRef, ct);
            total += done;
            // Nothing left, or only rows other writers hold: the next pass takes them.
            if (found == 0 || done == 0)
            {
                return total;
            }
        }
    }

    private sealed class PlainRow
    {
        public string DisputeId { get; set; } = "";
        public string ChannelId { get; set; } = "";
        public string ConsumerRef { get; set; } = "";
    }

    private sealed class OpenedRow
    {
        public long Seq { get; set; }
        public string PayloadJson { get; set; } = "";
    }
}
