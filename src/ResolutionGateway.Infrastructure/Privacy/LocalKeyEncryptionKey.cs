using System.Security.Cryptography;
using Microsoft.Extensions.ObjectPool;

namespace ResolutionGateway.Infrastructure.Privacy;

/// <summary>
/// A KEK held in memory, read from configuration or the data folder: 32 bytes wrap with
/// AES-256-GCM, 16 bytes with SM4-GCM (for deployments bound to the national algorithms).
/// </summary>
public sealed class LocalKeyEncryptionKey : IKeyEncryptionKey
{
    // Ready ciphers of the KEK, reused across wraps: setting up AES-GCM's key schedule is most of
    // what a wrap of 32 bytes costs, and every open wraps a new data key. A pool, since a cipher
    // serves one thread at a time.
    private readonly ObjectPool<AeadCipher.AeadKey> _ciphers;

    /// <summary>Takes the raw key (16 or 32 bytes).</summary>
    public LocalKeyEncryptionKey(byte[] key)
    {
        var algorithm = key.Length switch
        {
            32 => AeadCipher.Aes256Gcm,
            16 => AeadCipher.Sm4Gcm,
            _ => throw new InvalidOperationException($"a key-encryption key is 32 bytes (AES-256-GCM) or 16 bytes (SM4-GCM), not {key.Length}"),
        };
        _ciphers = new DefaultObjectPoolProvider().Create(new CipherPolicy(algorithm, key));
        // A public fingerprint: a keyed hash of a constant, so the id names the key without letting
        // anyone test a guessed key faster than by trying to unwrap.
        Id = "kek-" + Convert.ToHexStringLower(HMACSHA256.HashData(key, "resolution-gateway kek id"u8))[..16];
    }

    /// <summary>Reads a key written as base64 (a file's whitespace is ignored).</summary>
    public static LocalKeyEncryptionKey FromBase64(string text, string source)
    {
        try
        {
            return new LocalKeyEncryptionKey(Convert.FromBase64String(text.Trim()));
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"the key-encryption key in {source} is not base64");
        }
    }

    /// <inheritdoc />
    public string Id { get; }

    /// <inheritdoc />
    public byte[] Wrap(ReadOnlySpan<byte> dataKey, ReadOnlySpan<byte> context)
    {
        var cipher = _ciphers.Get();
        try
        {
            return cipher.Seal(dataKey, context);
        }
        finally
        {
            _ciphers.Return(cipher);
        }
    }

    /// <inheritdoc />
    public byte[] Unwrap(ReadOnlySpan<byte> wrapped, ReadOnlySpan<byte> context)
    {
        var cipher = _ciphers.Get();
        try
        {
            return cipher.Open(wrapped, context);
        }
        finally
        {
            _ciphers.Return(cipher);
        }
    }

    private sealed class CipherPolicy(string algorithm, byte[] key) : PooledObjectPolicy<AeadCipher.AeadKey>
    {
        public override AeadCipher.AeadKey Create() => new(algorithm, key);

        public override bool Return(AeadCipher.AeadKey obj) => true;
    }
}
