using System.Security.Cryptography;
using System.Text;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Storage;

namespace ResolutionGateway.Infrastructure.Privacy;

/// <summary>
/// Seals and opens the consumer's name and mobile number of a dispute (in its state and in its
/// opening event, the only event that holds them) under the consumer's data key. A sealed field is
/// "pd1." + base64(nonce | ciphertext | tag), its associated data the dispute id and the field name,
/// so a sealed value copied into another dispute or field does not open. Data keys are wrapped by
/// the <see cref="KeyRing"/>'s current KEK, bound to the key id, owner and algorithm.
/// </summary>
public sealed class PersonalDataSealer(KeyRing ring, string algorithm = AeadCipher.Aes256Gcm)
{
    private const string Prefix = "pd1.";

    /// <summary>The ring of KEKs (rotation reads it).</summary>
    public KeyRing Ring => ring;

    /// <summary>A new data key for a consumer, and its stored (wrapped) form.</summary>
    public (DataKey Key, StoredKey Stored) NewKey(string channelId, string consumerRef, DateTimeOffset now)
    {
        // One draw from the RNG for both: the key id (16 bytes, hex) and the key.
        var random = RandomNumberGenerator.GetBytes(16 + AeadCipher.KeySize(algorithm));
        var keyId = "dk_" + Convert.ToHexStringLower(random.AsSpan(0, 16));
        var key = random[16..];
        var stored = new StoredKey(keyId, channelId, consumerRef, algorithm, ring.Current.Id, null, null);
        return (new DataKey(keyId, algorithm, key), stored with { WrappedKey = ring.Current.Wrap(key, WrapContext(stored)) });
    }

    /// <summary>
    /// Unwraps a stored key; null when it was erased. A key wrapped by a KEK the configuration does
    /// not hold, or that does not unwrap, is an error (never garbage).
    /// </summary>
    public DataKey? Unwrap(StoredKey stored)
    {
        if (stored.WrappedKey is null)
        {
            return null;
        }
        var kek = ring.Find(stored.KekId) ?? throw new InvalidOperationException(
            $"data key {stored.KeyId} is wrapped by KEK {stored.KekId}, which the configuration does not hold (it holds {string.Join(", ", ring.Ids)})");
        return new DataKey(stored.KeyId, stored.Algorithm, kek.Unwrap(stored.WrappedKey, WrapContext(stored)));
    }

    /// <summary>The same key wrapped by the current KEK (rotation), or null when it already is.</summary>
    public StoredKey? Rewrap(StoredKey stored)
    {
        if (stored.WrappedKey is null || stored.KekId == ring.Current.Id)
        {
            return null;
        }
        var key = Unwrap(stored)!;
        var current = stored with { KekId = ring.Current.Id };
        return current with { WrappedKey = ring.Current.Wrap(key.Key, WrapContext(current)) };
    }

    /// <summary>
    /// The change with its state and opening event sealed under <paramref name="key"/>. The opening
    /// event embeds the same consumer of the same dispute (same associated data), so it stores the
    /// state's sealed fields as they are: each field is sealed once, with one nonce, not twice.
    /// </summary>
    public DisputeChange Seal(DisputeChange change, DataKey key)
    {
        using var cipher = new AeadCipher.AeadKey(key.Algorithm, key.Key);
        var state = Seal(change.State, cipher);
        return change with
        {
            State = state,
            Events = change.Events.Select(e => e.Detail is DisputeOpened o
                ? e with { Detail = new DisputeOpened(o.Initial.DisputeId == change.State.DisputeId && o.Initial.Consumer == change.State.Consumer
                    ? o.Initial with { Consumer = state.Consumer }
                    : Seal(o.Initial, cipher)) }
                : e).ToArray(),
        };
    }

    /// <summary>The dispute with its consumer's name and mobile number sealed.</summary>
    public Dispute Seal(Dispute d, DataKey key)
    {
        using var cipher = new AeadCipher.AeadKey(key.Algorithm, key.Key);
        return Seal(d, cipher);
    }

    private static Dispute Seal(Dispute d, AeadCipher.AeadKey cipher) => d with
    {
        Consumer = d.Consumer with
        {
            Name = SealField(d.Consumer.Name, cipher, d.DisputeId, "name"),
            Mobile = SealField(d.Consumer.Mobile, cipher, d.DisputeId, "mobile"),
            ErasedAt = null,
        },
    };

    /// <summary>
    /// The dispute as stored, opened: plain as stored when <paramref name="stored"/> is null (a row
    /// from before encryption), empty fields and the erase time once the key was erased.
    /// </summary>
    public Dispute Open(Dispute d, StoredKey? stored)
    {
        if (stored is null)
        {
            return d;
        }
        if (Unwrap(stored) is not { } key)
        {
            return d with { Consumer = d.Consumer with { Name = "", Mobile = "", ErasedAt = stored.ErasedAt ?? DateTimeOffset.UnixEpoch } };
        }
        using var cipher = new AeadCipher.AeadKey(key.Algorithm, key.Key);
        return d with
        {
            Consumer = d.Consumer with { Name = OpenField(d.Consumer.Name, cipher, d.DisputeId, "name"), Mobile = OpenField(d.Consumer.Mobile, cipher, d.DisputeId, "mobile") },
        };
    }

    /// <summary>The event opened (only an opening event holds personal data).</summary>
    public DisputeEvent Open(DisputeEvent e, StoredKey? stored) =>
        e.Detail is DisputeOpened o && stored is not null ? e with { Detail = new DisputeOpened(Open(o.Initial, stored)) } : e;

    /// <summary>The feed entry with its event opened.</summary>
    public FeedEntry Open(FeedEntry f, StoredKey? stored) => stored is null ? f : f with { Event = Open(f.Event, stored) };

    private static string SealField(string value, AeadCipher.AeadKey cipher, string disputeId, string field) =>
        Prefix + Convert.ToBase64String(cipher.Seal(Encoding.UTF8.GetBytes(value), Aad(disputeId, field)));

    private static string OpenField(string value, AeadCipher.AeadKey cipher, string disputeId, string field)
    {
        if (!value.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new CryptographicException($"a sealed field of {disputeId} is not in the sealed form");
        }
        return Encoding.UTF8.GetString(cipher.Open(Convert.FromBase64String(value[Prefix.Length..]), Aad(disputeId, field)));
    }

    private static byte[] Aad(string disputeId, string field) => Encoding.UTF8.GetBytes("resolution.v1 dispute " + disputeId + " consumer." + field);

    private static byte[] WrapContext(StoredKey k) =>
        Encoding.UTF8.GetBytes($"resolution.v1 data key {k.KeyId} {k.Algorithm} {k.ChannelId} {k.ConsumerRef}");
}
