using ResolutionGateway.Core.Storage;
using ResolutionGateway.Infrastructure.Caching;
using ResolutionGateway.Infrastructure.Privacy;

namespace ResolutionGateway.Infrastructure.Repositories;

/// <summary>
/// Erasure by crypto-shredding: the consumer's disputes still in plain text (from before migration
/// 6) are sealed first, then every data key of the consumer is destroyed. The ciphertext stays in
/// the rows, the event log, backups and replicas, and nothing can open it any more.
/// </summary>
public sealed class PersonalDataRepository(PersonalDataMigration migration, ConsumerKeyRepository keys, IDisputeStore disputes) : IPersonalDataStore
{
    /// <inheritdoc />
    public async Task<DateTimeOffset?> EraseConsumerAsync(string channelId, string consumerRef, CancellationToken ct)
    {
        await migration.SealAllPlainAsync(channelId, consumerRef, ct);
        var erased = await keys.EraseAsync(channelId, consumerRef, ct);
        // This node's read cache forgets at once; other nodes' within their TTL (Cache:DisputeTtl, 1 s).
        (disputes as CachingDisputeStore)?.ForgetAll();
        return erased;
    }

    /// <summary>
    /// Retention: erases up to <paramref name="limit"/> consumers whose disputes all closed before
    /// <paramref name="cutoff"/>, each once although every node runs the job (the key rows are the
    /// claim). Returns how many this call erased.
    /// </summary>
    public async Task<int> EraseExpiredAsync(DateTimeOffset cutoff, int limit, CancellationToken ct)
    {
        var erased = 0;
        foreach (var (channelId, consumerRef) in await keys.ExpiredConsumersAsync(cutoff, limit, ct))
        {
            await migration.SealAllPlainAsync(channelId, consumerRef, ct);
            erased += await keys.EraseIfExpiredAsync(channelId, consumerRef, cutoff, ct) ? 1 : 0;
        }
        if (erased > 0)
        {
            (disputes as CachingDisputeStore)?.ForgetAll();
        }
        return erased;
    }
}
