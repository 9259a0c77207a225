using System.Security.Cryptography;
using System.Text;
using ResolutionGateway.Infrastructure.Privacy;

namespace ResolutionGateway.Infrastructure.Tests.Privacy;

/// <summary>The two ciphers (pure logic): round trip, and every mismatch refused rather than garbage.</summary>
public sealed class AeadCipherTests
{
    public static TheoryData<string> Algorithms => [AeadCipher.Aes256Gcm, AeadCipher.Sm4Gcm];

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Open_SameKeyAndAad_ReturnsPlaintextAndCiphertextHidesIt(string algorithm)
    {
        var key = AeadCipher.NewKey(algorithm);
        var plain = Encoding.UTF8.GetBytes("13912345678");

        var sealedBytes = AeadCipher.Seal(algorithm, key, plain, "d1 mobile"u8);
        var again = AeadCipher.Seal(algorithm, key, plain, "d1 mobile"u8);

        Assert.Equal(plain, AeadCipher.Open(algorithm, key, sealedBytes, "d1 mobile"u8));
        Assert.Equal(-1, sealedBytes.AsSpan().IndexOf(plain));
        Assert.NotEqual(sealedBytes, again); // a fresh nonce each time
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Open_OtherAadKeyOrFlippedBit_ThrowsCryptographicException(string algorithm)
    {
        var key = AeadCipher.NewKey(algorithm);
        var sealedBytes = AeadCipher.Seal(algorithm, key, "Li Hua"u8, "d1 name"u8);
        var flipped = (byte[])sealedBytes.Clone();
        flipped[^1] ^= 1;

        Assert.ThrowsAny<CryptographicException>(() => AeadCipher.Open(algorithm, key, sealedBytes, "d2 name"u8));
        Assert.ThrowsAny<CryptographicException>(() => AeadCipher.Open(algorithm, AeadCipher.NewKey(algorithm), sealedBytes, "d1 name"u8));
        Assert.ThrowsAny<CryptographicException>(() => AeadCipher.Open(algorithm, key, flipped, "d1 name"u8));
    }

    [Fact]
    public void LocalKeyEncryptionKey_SixteenOrThirtyTwoBytes_WrapsOthersRefused()
    {
        var dataKey = RandomNumberGenerator.GetBytes(32);
        var aes = new LocalKeyEncryptionKey(RandomNumberGenerator.GetBytes(32));
        var sm4 = new LocalKeyEncryptionKey(RandomNumberGenerator.GetBytes(16));

        Assert.Equal(dataKey, aes.Unwrap(aes.Wrap(dataKey, "k1"u8), "k1"u8));
        Assert.Equal(dataKey, sm4.Unwrap(sm4.Wrap(dataKey, "k1"u8), "k1"u8));
        Assert.ThrowsAny<CryptographicException>(() => aes.Unwrap(aes.Wrap(dataKey, "k1"u8), "k2"u8));
        Assert.NotEqual(aes.Id, sm4.Id);
        Assert.Throws<InvalidOperationException>(() => new LocalKeyEncryptionKey(new byte[24]));
    }
}
