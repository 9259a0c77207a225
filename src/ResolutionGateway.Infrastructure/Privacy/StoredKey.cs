namespace ResolutionGateway.Infrastructure.Privacy;

/// <summary>A consumer's data key as stored: wrapped, or erased (no wrapped key, an erase time).</summary>
public sealed record StoredKey(
    string KeyId, string ChannelId, string ConsumerRef, string Algorithm, string KekId, byte[]? WrappedKey, DateTimeOffset? ErasedAt);

/// <summary>A consumer's data key unwrapped, in memory only.</summary>
public sealed record DataKey(string KeyId, string Algorithm, byte[] Key);

/// <summary>
/// The key columns a read query joins from consumer_keys beside its rows (LEFT JOIN on the row's
/// data_key_id). Dapper fills them by name; all NULL when the row has no key (written before
/// migration 6, plain text) or the key row is gone.
/// </summary>
public abstract class KeyedRow
{
    /// <summary>The select list of the join, for queries that alias consumer_keys as k.</summary>
    public const string KeyColumns = "k.key_id, k.owner_channel_id, k.owner_consumer_ref, k.algorithm, k.kek_id, k.wrapped_key, k.erased_at";

    public string? key_id { get; set; }
    public string? owner_channel_id { get; set; }
    public string? owner_consumer_ref { get; set; }
    public string? algorithm { get; set; }
    public string? kek_id { get; set; }
    public byte[]? wrapped_key { get; set; }
    public long? erased_at { get; set; }

    /// <summary>The row's data_key_id (selected by the query), null on a plain-text row.</summary>
    public string? data_key_id { get; set; }

    /// <summary>The key the row's personal fields are sealed under, or null for a plain-text row.</summary>
    public StoredKey? Key => data_key_id is null
        ? null
        : key_id is null
            // The key row is missing: nothing can open the fields, which is what erasure means.
            ? new StoredKey(data_key_id, "", "", "", "", null, null)
            : new StoredKey(key_id, owner_channel_id ?? "", owner_consumer_ref ?? "", algorithm ?? "", kek_id ?? "", wrapped_key,
                erased_at is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null);
}
