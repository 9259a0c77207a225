using Dapper;
using ResolutionGateway.Infrastructure.Persistence;
using ResolutionGateway.Infrastructure.Privacy;

namespace ResolutionGateway.Infrastructure.Repositories;

/// <summary>
/// Consumers' data keys (consumer_keys), stored only wrapped by the KEK: made on a consumer's first
/// dispute, destroyed by erasure, re-wrapped by KEK rotation. Reads of disputes join the key beside
/// their rows instead of coming here (no extra round trip, and an erasure shows on the next read).
/// </summary>
public sealed class ConsumerKeyRepository(IDatabase db, PersonalDataSealer sealer, TimeProvider time, PersonalDataOptions? options = null)
{
    /// <summary>
    /// New disputes are stored without sealing (<see cref="PersonalDataOptions.BenchmarkWithoutEncryption"/>,
    /// the encryption benchmark's baseline).
    /// </summary>
    public bool Plaintext { get; } = options?.BenchmarkWithoutEncryption == true;

    /// <summary>Seals and opens with these keys.</summary>
    public PersonalDataSealer Sealer => sealer;

    private const string Columns = "key_id, owner_channel_id, owner_consumer_ref, algorithm, kek_id, wrapped_key, erased_at, key_id AS data_key_id";

    // Any live key: two racing first opens may each have made one, both stay valid.
    private const string FindLiveSql = $"""
        SELECT {Columns} FROM consumer_keys
        WHERE owner_channel_id = @ChannelId AND owner_consumer_ref = @ConsumerRef AND erased_at IS NULL
        ORDER BY key_id LIMIT 1
        """;

    private const string InsertSql = """
        INSERT INTO consumer_keys (key_id, owner_channel_id, owner_consumer_ref, algorithm, kek_id, wrapped_key, key_created_at, erased_at)
        VALUES (@KeyId, @ChannelId, @ConsumerRef, @Algorithm, @KekId, @WrappedKey, @CreatedAt, NULL)
        """;

    /// <summary>The consumer's live data key, made and stored (wrapped) when they have none.</summary>
    public async Task<DataKey> KeyForAsync(string channelId, string consumerRef, CancellationToken ct)
    {
        var (key, insert) = await FindOrMakeAsync(channelId, consumerRef, ct);
        if (insert is not null)
        {
            await db.ExecuteAsync(insert.Statements[0].Sql, insert.Statements[0].Parameters, ct);
        }
        return key;
    }

    /// <summary>
    /// The consumer's live data key; for a consumer without one, a new key and the statement that
    /// stores it, for the caller to commit with the rows it seals (a new dispute: one commit, and a
    /// key is never stored for an open that fails). Two racing first opens may each store one; both
    /// stay valid, and erasure destroys all of them.
    /// </summary>
    public async Task<(DataKey Key, SqlBatch? Insert)> FindOrMakeAsync(string channelId, string consumerRef, CancellationToken ct)
    {
        var found = await db.ReadAsync((c, t) => c.QuerySingleOrDefaultAsync<Row>(
            new CommandDefinition(FindLiveSql, new { ChannelId = channelId, ConsumerRef = consumerRef }, cancellationToken: t)), ct);
        if (found?.Key is { } stored && sealer.Unwrap(stored) is { } key)
        {
            return (key, null);
        }
        var (fresh, insert) = MakeKey(channelId, consumerRef);
        return (fresh, insert);
    }

    /// <summary>
    /// A new data key of the consumer, and the statement that stores it (wrapped), for the caller to
    /// commit with the rows it seals. A new dispute takes a key of its own this way: no read before
    /// its write (a lookup was a round trip of every open), and erasure still reaches it, since it
    /// destroys every key the consumer owns.
    /// </summary>
    public (DataKey Key, SqlBatch Insert) MakeKey(string channelId, string consumerRef)
    {
        var (fresh, wrapped) = sealer.NewKey(channelId, consumerRef, time.GetUtcNow());
        return (fresh, new SqlBatch().Add(InsertSql, new
        {
            wrapped.KeyId,
            wrapped.ChannelId,
            wrapped.ConsumerRef,
            wrapped.Algorithm,
            wrapped.KekId,
            wrapped.WrappedKey,
            CreatedAt = UnixMs.From(time.GetUtcNow()),
        }));
    }

    private const string EraseSql = """
        UPDATE consumer_keys SET wrapped_key = NULL, kek_id = '', erased_at = @Now
        WHERE owner_channel_id = @ChannelId AND owner_consumer_ref = @ConsumerRef AND erased_at IS NULL
        """;

    private const string ErasedAtSql = """
        SELECT MIN(erased_at) FROM consumer_keys WHERE owner_channel_id = @ChannelId AND owner_consumer_ref = @ConsumerRef
        """;

    private const string HasKeySql = """
        SELECT COUNT(*) FROM consumer_keys WHERE owner_channel_id = @ChannelId AND owner_consumer_ref = @ConsumerRef
        """;

    /// <summary>
    /// Destroys every data key of the consumer (crypto-shredding). Returns when their data was
    /// erased (the first erasure: a repeat changes nothing), or null when they never had a key.
    /// </summary>
    public async Task<DateTimeOffset?> EraseAsync(string channelId, string consumerRef, CancellationToken ct)
    {
        var owner = new { ChannelId = channelId, ConsumerRef = consumerRef, Now = UnixMs.From(time.GetUtcNow()) };
        if (await db.ReadAsync((c, t) => c.ExecuteScalarAsync<long>(new CommandDefinition(HasKeySql, owner, cancellationToken: t)), ct) == 0)
        {
            return null;
        }
        await db.ExecuteAsync(EraseSql, owner, ct);
        var ms = await db.ReadAsync((c, t) => c.ExecuteScalarAsync<long?>(new CommandDefinition(ErasedAtSql, owner, cancellationToken: t)), ct);
        return ms is { } v ? UnixMs.To(v) : null;
    }

    // Consumers with a live key none of whose disputes is open or closed since the cutoff.
    private const string ExpiredConsumersSql = """
        SELECT DISTINCT owner_channel_id AS ChannelId, owner_consumer_ref AS ConsumerRef FROM consumer_keys k
        WHERE erased_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM disputes d WHERE d.channel_id = k.owner_channel_id AND d.consumer_ref = k.owner_consumer_ref
                          AND (d.closed_at IS NULL OR d.closed_at >= @Cutoff))
        LIMIT @Limit
        """;

    private const string ClaimLiveKeysSql = """
        SELECT key_id FROM consumer_keys WHERE owner_channel_id = @ChannelId AND owner_consumer_ref = @ConsumerRef AND erased_at IS NULL
        """;

    private const string KeptDisputesSql = """
        SELECT COUNT(*) FROM disputes WHERE channel_id = @ChannelId AND consumer_ref = @ConsumerRef AND (closed_at IS NULL OR closed_at >= @Cutoff)
        """;

    /// <summary>
    /// Retention: up to <paramref name="limit"/> consumers whose data is due for erasure (a live key,
    /// every dispute closed before <paramref name="cutoff"/>).
    /// </summary>
    public async Task<IReadOnlyList<(string ChannelId, string ConsumerRef)>> ExpiredConsumersAsync(DateTimeOffset cutoff, int limit, CancellationToken ct) =>
        (await db.ReadAsync((c, t) => c.QueryAsync<(string ChannelId, string ConsumerRef)>(
            new CommandDefinition(ExpiredConsumersSql, new { Cutoff = UnixMs.From(cutoff), Limit = limit }, cancellationToken: t)), ct)).AsList();

    /// <summary>
    /// Retention: destroys the consumer's keys if, under the claim of their key rows (skip-locked, so
    /// two nodes never both do it), every dispute of theirs is still closed before <paramref name="cutoff"/>.
    /// True when this call erased them.
    /// </summary>
    public Task<bool> EraseIfExpiredAsync(string channelId, string consumerRef, DateTimeOffset cutoff, CancellationToken ct) =>
        db.WriteAsync(async tx =>
        {
            var owner = new { ChannelId = channelId, ConsumerRef = consumerRef, Cutoff = UnixMs.From(cutoff), Now = UnixMs.From(time.GetUtcNow()) };
            if ((await tx.QueryAsync<string>(ClaimLiveKeysSql + tx.Dialect.ForUpdateSkipLocked(), owner)).Count == 0
                || (await tx.QueryAsync<long>(KeptDisputesSql, owner))[0] > 0)
            {
                return false;
            }
            await tx.CommitAsync(new SqlBatch().Add(EraseSql, owner));
            return true;
        }, ct);

    // Pages by the primary key: kek_id has no index (migration 17: each index is paid by every open),
    // so a page starts where the last one ended instead of rescanning the keys already re-wrapped.
    private const string OldKeysSql = $"""
        SELECT {Columns} FROM consumer_keys
        WHERE key_id > @After AND kek_id <> @Current AND kek_id <> '' AND wrapped_key IS NOT NULL
        ORDER BY key_id LIMIT @Limit
        """;

    // Only if still wrapped by the KEK that was read: a racing erasure or rotation wins.
    private const string RewrapSql = """
        UPDATE consumer_keys SET kek_id = @KekId, wrapped_key = @WrappedKey
        WHERE key_id = @KeyId AND kek_id = @OldKekId AND wrapped_key IS NOT NULL
        """;

    /// <summary>
    /// KEK rotation: re-wraps every data key wrapped by a former KEK of the ring with the current
    /// one, a batch at a time; disputes are not touched. Returns how many keys were re-wrapped.
    /// Throws when a key is wrapped by a KEK the configuration does not hold.
    /// </summary>
    public async Task<int> RewrapAsync(CancellationToken ct)
    {
        var total = 0;
        var after = "";
        while (true)
        {
            var rows = (await db.ReadAsync((c, t) => c.QueryAsync<Row>(
                new CommandDefinition(OldKeysSql, new { After = after, Current = sealer.Ring.Current.Id, Limit = 200 }, cancellationToken: t)), ct)).AsList();
            if (rows.Count == 0)
            {
                return total;
            }
            foreach (var row in rows)
            {
                var old = row.Key!;
                var fresh = sealer.Rewrap(old)!;
                total += await db.ExecuteAsync(RewrapSql, new { fresh.KekId, fresh.WrappedKey, fresh.KeyId, OldKekId = old.KekId }, ct);
            }
            after = rows[^1].key_id!;
        }
    }

    private const string KekSampleSql = """
        SELECT kek_id, MIN(key_id) FROM consumer_keys WHERE wrapped_key IS NOT NULL GROUP BY kek_id
        """;

    private const string ByIdSql = $"SELECT {Columns} FROM consumer_keys WHERE key_id = @KeyId";

    /// <summary>
    /// The start-up check: every KEK that wrapped a stored key is in the configuration, and
    /// unwraps one of its keys. A wrong KEK stops the start with this error instead of garbage.
    /// </summary>
    public async Task CheckAsync(CancellationToken ct) => await CheckKeksAsync(ct);

    // The KEKs that wrapped stored keys: one scan of the table (kek_id has no index since migration 17).
    private async Task<IReadOnlyList<string>> CheckKeksAsync(CancellationToken ct)
    {
        var samples = (await db.ReadAsync((c, t) => c.QueryAsync<(string KekId, string KeyId)>(new CommandDefinition(KekSampleSql, cancellationToken: t)), ct)).AsList();
        foreach (var (kekId, keyId) in samples)
        {
            if (sealer.Ring.Find(kekId) is null)
            {
                throw new InvalidOperationException(
                    $"Personal data: stored data keys are wrapped by KEK {kekId}, but the configured KEK is {sealer.Ring.Current.Id}. " +
                    "Configure the KEK they were made with (PersonalData:Kek or PersonalData:KekFile), or add it to PersonalData:PreviousKekFiles to rotate.");
            }
            var row = await db.ReadAsync((c, t) => c.QuerySingleAsync<Row>(new CommandDefinition(ByIdSql, new { KeyId = keyId }, cancellationToken: t)), ct);
            try
            {
                sealer.Unwrap(row.Key!);
            }
            catch (System.Security.Cryptography.CryptographicException e)
            {
                throw new InvalidOperationException($"Personal data: KEK {kekId} does not unwrap data key {keyId}: the key or the row is damaged", e);
            }
        }
        return samples.Select(s => s.KekId).ToArray();
    }

    /// <summary>The start-up step: <see cref="CheckAsync"/>, then KEK rotation (<see cref="RewrapAsync"/>), logged when it re-wrapped keys.</summary>
    public async Task<int> CheckAndRotateAsync(CancellationToken ct)
    {
        // Keys wrapped only by the current KEK (every start but a rotation's): no second scan.
        var keks = await CheckKeksAsync(ct);
        return keks.All(k => k == sealer.Ring.Current.Id) ? 0 : await RewrapAsync(ct);
    }

    private sealed class Row : KeyedRow;
}
