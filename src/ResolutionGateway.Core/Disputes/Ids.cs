using System.Security.Cryptography;

namespace ResolutionGateway.Core.Disputes;

/// <summary>
/// ULID-style ids: 48-bit millisecond time + 80 random bits in Crockford base 32. Generated on any
/// node without coordination (no auto-increment), and sortable by creation time so "newest first"
/// lists page by id.
/// </summary>
public static class Ids
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static readonly System.Buffers.SearchValues<char> AlphabetValues = System.Buffers.SearchValues.Create(Alphabet);

    /// <summary>Length of the ULID part.</summary>
    public const int UlidLength = 26;

    /// <summary>A new "prefix_ULID".</summary>
    public static string New(string prefix, DateTimeOffset now)
    {
        Span<byte> bytes = stackalloc byte[16];
        var ms = (ulong)now.ToUnixTimeMilliseconds();
        for (var i = 5; i >= 0; i--)
        {
            bytes[i] = (byte)(ms & 0xff);
            ms >>= 8;
        }
        RandomNumberGenerator.Fill(bytes[6..]);
        Span<char> chars = stackalloc char[prefix.Length + 1 + UlidLength];
        prefix.AsSpan().CopyTo(chars);
        chars[prefix.Length] = '_';
        Encode(bytes, chars[(prefix.Length + 1)..]);
        return new string(chars);
    }

    /// <summary>True when <paramref name="id"/> is "prefix_" followed by 26 base-32 characters.</summary>
    public static bool IsValid(string? id, string prefix) =>
        id is not null && id.Length == prefix.Length + 1 + UlidLength && id.StartsWith(prefix + "_", StringComparison.Ordinal)
        && id.AsSpan(prefix.Length + 1).IndexOfAnyExcept(AlphabetValues) < 0;

    private static void Encode(ReadOnlySpan<byte> b, Span<char> c)
    {
        // 128 bits -> 26 characters, 5 bits each, big-endian; the first character holds 3 bits.
        var hi = ((ulong)b[0] << 56) | ((ulong)b[1] << 48) | ((ulong)b[2] << 40) | ((ulong)b[3] << 32)
               | ((ulong)b[4] << 24) | ((ulong)b[5] << 16) | ((ulong)b[6] << 8) | b[7];
        var lo = ((ulong)b[8] << 56) | ((ulong)b[9] << 48) | ((ulong)b[10] << 40) | ((ulong)b[11] << 32)
               | ((ulong)b[12] << 24) | ((ulong)b[13] << 16) | ((ulong)b[14] << 8) | b[15];
        var value = new UInt128(hi, lo);
        for (var i = UlidLength - 1; i >= 0; i--)
        {
            c[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }
    }
}
