using System.Security.Cryptography;

namespace ResolutionGateway.Infrastructure.Privacy;

/// <summary>
/// A KEK held in memory, read from configuration or the data folder: 32 bytes wrap with
/// AES-256-GCM, 16 bytes with SM4-GCM (for deployments bound to the national algorithms).
/// </summary>
public sealed class LocalKeyEncryptionKey : IKeyEncryptionKey
{
    private readonly byte[] _key;
    private readonly string _algorithm;

    /// <summary>Takes the raw key (16 or 32 bytes).</summary>
    public LocalKeyEncryptionKey(byte[] key)
    {
        _algorithm = key.Length switch
        {
            32 => AeadCipher.Aes256Gcm,
            16 => AeadCipher.Sm4Gcm,
            _ => throw new InvalidOperationException($"a key-encryption key is 32 bytes (AES-256-GCM) or 16 bytes (SM4-GCM), not {key.Length}"),
        };
        _key = key;
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
    public byte[] Wrap(ReadOnlySpan<byte> dataKey, ReadOnlySpan<byte> context) => AeadCipher.Seal(_algorithm, _key, dataKey, context);

    /// <inheritdoc />
    public byte[] Unwrap(ReadOnlySpan<byte> wrapped, ReadOnlySpan<byte> context) => AeadCipher.Open(_algorithm, _key, wrapped, context);
}
