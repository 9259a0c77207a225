using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace ResolutionGateway.Infrastructure.Privacy;

/// <summary>
/// The two authenticated ciphers personal data may be sealed with, by their stored names:
/// AES-256-GCM (the default, .NET's own) and SM4-GCM (GB/T 32907, for deployments bound to the
/// national algorithms; BouncyCastle). Sealed bytes are nonce (12) | ciphertext | tag (16); a
/// random nonce per seal is safe for the few seals a data key ever makes.
/// </summary>
public static class AeadCipher
{
    /// <summary>The stored name of AES-256-GCM.</summary>
    public const string Aes256Gcm = "AES-256-GCM";

    /// <summary>The stored name of SM4-GCM.</summary>
    public const string Sm4Gcm = "SM4-GCM";

    private const int NonceSize = 12;
    private const int TagSize = 16;

    /// <summary>The key size in bytes of <paramref name="algorithm"/>.</summary>
    public static int KeySize(string algorithm) => algorithm switch
    {
        Aes256Gcm => 32,
        Sm4Gcm => 16,
        _ => throw new InvalidOperationException($"unknown personal data algorithm '{algorithm}' (use {Aes256Gcm} or {Sm4Gcm})"),
    };

    /// <summary>A new random key for <paramref name="algorithm"/>.</summary>
    public static byte[] NewKey(string algorithm) => RandomNumberGenerator.GetBytes(KeySize(algorithm));

    /// <summary>Encrypts and authenticates <paramref name="plaintext"/>, binding <paramref name="aad"/>.</summary>
    public static byte[] Seal(string algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> aad)
    {
        using var cipher = new AeadKey(algorithm, key);
        return cipher.Seal(plaintext, aad);
    }

    /// <summary>
    /// Decrypts what <see cref="Seal"/> made with the same key and <paramref name="aad"/>; throws
    /// <see cref="CryptographicException"/> when the key, the associated data or the bytes differ.
    /// </summary>
    public static byte[] Open(string algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> sealedBytes, ReadOnlySpan<byte> aad)
    {
        using var cipher = new AeadKey(algorithm, key);
        return cipher.Open(sealedBytes, aad);
    }

    /// <summary>
    /// A key ready to seal and open several values: AES-256-GCM's key schedule (an OpenSSL context)
    /// is set up once, not per value; every seal still takes a fresh random nonce. Not thread-safe
    /// (neither is <see cref="AesGcm"/>): one caller at a time, or a pool.
    /// </summary>
    public sealed class AeadKey : IDisposable
    {
        private readonly string _algorithm;
        private readonly AesGcm? _aes;
        private readonly byte[]? _sm4Key;

        /// <summary>Takes <paramref name="key"/> for <paramref name="algorithm"/>.</summary>
        public AeadKey(string algorithm, ReadOnlySpan<byte> key)
        {
            _algorithm = algorithm;
            if (algorithm == Aes256Gcm)
            {
                _aes = new AesGcm(key, TagSize);
            }
            else
            {
                KeySize(algorithm);
                _sm4Key = key.ToArray();
            }
        }

        /// <summary>Encrypts and authenticates <paramref name="plaintext"/>, binding <paramref name="aad"/>, under a fresh nonce.</summary>
        public byte[] Seal(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> aad)
        {
            var sealedBytes = new byte[NonceSize + plaintext.Length + TagSize];
            var nonce = sealedBytes.AsSpan(0, NonceSize);
            RandomNumberGenerator.Fill(nonce);
            if (_aes is not null)
            {
                _aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(NonceSize, plaintext.Length), sealedBytes.AsSpan(NonceSize + plaintext.Length, TagSize), aad);
                return sealedBytes;
            }
            var gcm = Sm4(_sm4Key!, nonce, aad, forEncryption: true);
            var output = new byte[gcm.GetOutputSize(plaintext.Length)];
            var n = gcm.ProcessBytes(plaintext.ToArray(), 0, plaintext.Length, output, 0);
            gcm.DoFinal(output, n);
            output.CopyTo(sealedBytes.AsSpan(NonceSize));
            return sealedBytes;
        }

        /// <summary>Decrypts what <see cref="Seal"/> made; throws <see cref="CryptographicException"/> when anything differs.</summary>
        public byte[] Open(ReadOnlySpan<byte> sealedBytes, ReadOnlySpan<byte> aad)
        {
            if (sealedBytes.Length < NonceSize + TagSize)
            {
                throw new CryptographicException("sealed value too short");
            }
            var nonce = sealedBytes[..NonceSize];
            var length = sealedBytes.Length - NonceSize - TagSize;
            if (_aes is not null)
            {
                var plaintext = new byte[length];
                _aes.Decrypt(nonce, sealedBytes.Slice(NonceSize, length), sealedBytes[^TagSize..], plaintext, aad);
                return plaintext;
            }
            var gcm = Sm4(_sm4Key!, nonce, aad, forEncryption: false);
            var input = sealedBytes[NonceSize..].ToArray();
            var output = new byte[gcm.GetOutputSize(input.Length)];
            try
            {
                var n = gcm.ProcessBytes(input, 0, input.Length, output, 0);
                gcm.DoFinal(output, n);
            }
            catch (Org.BouncyCastle.Crypto.InvalidCipherTextException e)
            {
                throw new CryptographicException("SM4-GCM authentication failed", e);
            }
            return output;
        }

        /// <summary>The algorithm's stored name.</summary>
        public string Algorithm => _algorithm;

        /// <inheritdoc />
        public void Dispose() => _aes?.Dispose();
    }

    private static GcmBlockCipher Sm4(byte[] key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> aad, bool forEncryption)
    {
        var gcm = new GcmBlockCipher(new SM4Engine());
        gcm.Init(forEncryption, new AeadParameters(new KeyParameter(key), TagSize * 8, nonce.ToArray(), aad.ToArray()));
        return gcm;
    }
}
