using System.Security.Cryptography;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Infrastructure.Privacy;
using ResolutionGateway.Infrastructure.Tests.TestSupport;

namespace ResolutionGateway.Infrastructure.Tests.Privacy;

/// <summary>The sealing of an open (pure logic): each field sealed once, still a fresh nonce per dispute and bound to its dispute.</summary>
public sealed class PersonalDataSealerTests
{
    public static TheoryData<string> Algorithms => [AeadCipher.Aes256Gcm, AeadCipher.Sm4Gcm];

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Seal_NewDispute_OpeningEventStoresTheStatesCiphertextAndBothOpen(string algorithm)
    {
        var sealer = new PersonalDataSealer(new KeyRing(new LocalKeyEncryptionKey(RandomNumberGenerator.GetBytes(32))), algorithm);
        var change = Samples.Open("ch", "c-1", "m-1", "330106");
        var (key, stored) = sealer.NewKey("ch", "c-1", DateTimeOffset.UnixEpoch);

        var sealedChange = sealer.Seal(change, key);
        var opening = Assert.IsType<DisputeOpened>(sealedChange.Events[0].Detail).Initial;

        Assert.StartsWith("pd1.", sealedChange.State.Consumer.Name, StringComparison.Ordinal);
        Assert.Equal(sealedChange.State.Consumer, opening.Consumer); // one seal per field, not two
        Assert.Equal(change.State.Consumer, sealer.Open(sealedChange.State, stored).Consumer);
        Assert.Equal(change.State.Consumer, sealer.Open(opening, stored).Consumer);
    }

    [Fact]
    public void Seal_SameDisputeTwice_FreshNonceEachTime()
    {
        var change = Samples.Open("ch", "c-1", "m-1", "330106");
        var (key, _) = TestKeys.Sealer.NewKey("ch", "c-1", DateTimeOffset.UnixEpoch);

        var first = TestKeys.Sealer.Seal(change, key).State.Consumer;
        var second = TestKeys.Sealer.Seal(change, key).State.Consumer;

        Assert.NotEqual(first.Name, second.Name);
        Assert.NotEqual(first.Mobile, second.Mobile);
    }

    [Fact]
    public void Open_SealedFieldsMovedToAnotherDispute_ThrowsCryptographicException()
    {
        var a = Samples.Open("ch", "c-1", "m-1", "330106");
        var b = Samples.Open("ch", "c-1", "m-1", "330106");
        var (key, stored) = TestKeys.Sealer.NewKey("ch", "c-1", DateTimeOffset.UnixEpoch);
        var sealedA = TestKeys.Sealer.Seal(a, key).State;

        var moved = TestKeys.Sealer.Seal(b, key).State with { Consumer = sealedA.Consumer };

        Assert.ThrowsAny<CryptographicException>(() => TestKeys.Sealer.Open(moved, stored));
    }

    [Fact]
    public async Task WrapAndUnwrap_ManyThreadsOnePooledKek_EveryKeyRoundTrips()
    {
        var kek = new LocalKeyEncryptionKey(RandomNumberGenerator.GetBytes(32));
        var failures = 0;

        await Parallel.ForAsync(0, 2000, (i, _) =>
        {
            var dataKey = RandomNumberGenerator.GetBytes(32);
            var context = BitConverter.GetBytes(i);
            if (!kek.Unwrap(kek.Wrap(dataKey, context), context).AsSpan().SequenceEqual(dataKey))
            {
                Interlocked.Increment(ref failures);
            }
            return ValueTask.CompletedTask;
        });

        Assert.Equal(0, failures);
    }
}
