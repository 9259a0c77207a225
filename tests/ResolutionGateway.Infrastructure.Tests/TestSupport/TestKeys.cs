using System.Security.Cryptography;
using ResolutionGateway.Infrastructure.Persistence;
using ResolutionGateway.Infrastructure.Privacy;
using ResolutionGateway.Infrastructure.Repositories;

namespace ResolutionGateway.Infrastructure.Tests.TestSupport;

/// <summary>The personal data keys of the store tests: one random KEK for the whole run.</summary>
public static class TestKeys
{
    /// <summary>The run's sealer (AES-256-GCM under a random KEK).</summary>
    public static PersonalDataSealer Sealer { get; } = new(new KeyRing(new LocalKeyEncryptionKey(RandomNumberGenerator.GetBytes(32))));

    /// <summary>The consumer keys of <paramref name="db"/> under the run's KEK.</summary>
    public static ConsumerKeyRepository For(IDatabase db) => new(db, Sealer, TimeProvider.System);
}
