namespace ResolutionGateway.Infrastructure.Privacy;

/// <summary>
/// A key-encryption key (KEK): wraps and unwraps consumers' data keys, which are stored only
/// wrapped. The embedded implementation holds the key in memory (<see cref="LocalKeyEncryptionKey"/>);
/// a KMS or HSM plugs in here, keeping the key material outside the process.
/// </summary>
public interface IKeyEncryptionKey
{
    /// <summary>A stable name of this KEK, stored beside each key it wraps (never the key itself, nor derived from it alone).</summary>
    string Id { get; }

    /// <summary>Wraps <paramref name="dataKey"/>, binding <paramref name="context"/> (which key of whom).</summary>
    byte[] Wrap(ReadOnlySpan<byte> dataKey, ReadOnlySpan<byte> context);

    /// <summary>Unwraps what <see cref="Wrap"/> made with the same context; throws CryptographicException otherwise.</summary>
    byte[] Unwrap(ReadOnlySpan<byte> wrapped, ReadOnlySpan<byte> context);
}
