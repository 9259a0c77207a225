namespace ResolutionGateway.Tools.ReportBench.Generate;

/// <summary>Weighted choice in O(log n) from cumulative weights.</summary>
internal sealed class WeightedChoice
{
    private readonly double[] _cumulative;

    public WeightedChoice(IReadOnlyList<double> weights)
    {
        if (weights.Count == 0)
        {
            throw new ArgumentException("no weights", nameof(weights));
        }
        _cumulative = new double[weights.Count];
        var sum = 0.0;
        for (var i = 0; i < weights.Count; i++)
        {
            if (weights[i] < 0)
            {
                throw new ArgumentException("negative weight", nameof(weights));
            }
            sum += weights[i];
            _cumulative[i] = sum;
        }
        Total = sum;
    }

    /// <summary>The sum of the weights.</summary>
    public double Total { get; }

    /// <summary>Number of choices.</summary>
    public int Count => _cumulative.Length;

    /// <summary>An index drawn with probability weight / total.</summary>
    public int Next(Random rng)
    {
        var x = rng.NextDouble() * Total;
        var i = Array.BinarySearch(_cumulative, x);
        i = i < 0 ? ~i : i + 1;
        return Math.Min(i, _cumulative.Length - 1);
    }
}

/// <summary>Random draws used by the generator (all from a seeded <see cref="Random"/>).</summary>
internal static class Draw
{
    /// <summary>A standard normal deviate (Box-Muller).</summary>
    public static double Normal(Random rng)
    {
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A log-normal value with the given median and log-space sigma.</summary>
    public static double LogNormal(Random rng, double median, double sigma) => median * Math.Exp(sigma * Normal(rng));

    /// <summary>A log-normal duration, clamped.</summary>
    public static TimeSpan Duration(Random rng, TimeSpan median, double sigma, TimeSpan min, TimeSpan max)
    {
        var ticks = LogNormal(rng, median.Ticks, sigma);
        return TimeSpan.FromTicks((long)Math.Clamp(ticks, min.Ticks, max.Ticks));
    }

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public static bool Chance(Random rng, double p) => rng.NextDouble() < p;

    /// <summary>One of the items.</summary>
    public static T Pick<T>(Random rng, IReadOnlyList<T> items) => items[rng.Next(items.Count)];

    /// <summary>A string of random decimal digits.</summary>
    public static string Digits(Random rng, int count)
    {
        Span<char> chars = stackalloc char[count];
        for (var i = 0; i < count; i++)
        {
            chars[i] = (char)('0' + rng.Next(10));
        }
        return new string(chars);
    }

    /// <summary>Random lower-case hex.</summary>
    public static string Hex(Random rng, int count)
    {
        const string alphabet = "0123456789abcdef";
        Span<char> chars = stackalloc char[count];
        for (var i = 0; i < count; i++)
        {
            chars[i] = alphabet[rng.Next(16)];
        }
        return new string(chars);
    }

    /// <summary>Random characters of the base64url alphabet.</summary>
    public static string Base64Url(Random rng, int count)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        Span<char> chars = stackalloc char[count];
        for (var i = 0; i < count; i++)
        {
            chars[i] = alphabet[rng.Next(64)];
        }
        return new string(chars);
    }

    /// <summary>A ULID-style id ("prefix_" + 48-bit ms time + 80 random bits, Crockford base 32), as Core's Ids make, but from a seeded generator.</summary>
    public static string Ulid(Random rng, string prefix, DateTimeOffset at)
    {
        const string alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        Span<byte> bytes = stackalloc byte[16];
        var ms = (ulong)at.ToUnixTimeMilliseconds();
        for (var i = 5; i >= 0; i--)
        {
            bytes[i] = (byte)(ms & 0xff);
            ms >>= 8;
        }
        rng.NextBytes(bytes[6..]);
        var value = new UInt128(
            ((ulong)bytes[0] << 56) | ((ulong)bytes[1] << 48) | ((ulong)bytes[2] << 40) | ((ulong)bytes[3] << 32)
            | ((ulong)bytes[4] << 24) | ((ulong)bytes[5] << 16) | ((ulong)bytes[6] << 8) | bytes[7],
            ((ulong)bytes[8] << 56) | ((ulong)bytes[9] << 48) | ((ulong)bytes[10] << 40) | ((ulong)bytes[11] << 32)
            | ((ulong)bytes[12] << 24) | ((ulong)bytes[13] << 16) | ((ulong)bytes[14] << 8) | bytes[15]);
        Span<char> chars = stackalloc char[prefix.Length + 1 + 26];
        prefix.AsSpan().CopyTo(chars);
        chars[prefix.Length] = '_';
        for (var i = 25; i >= 0; i--)
        {
            chars[prefix.Length + 1 + i] = alphabet[(int)(value & 31)];
            value >>= 5;
        }
        return new string(chars);
    }

    /// <summary>A seed for a sub-stream, mixed from the run's seed and a stream number (SplitMix64).</summary>
    public static int SubSeed(int seed, long stream)
    {
        var z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)stream + 0x632BE59BD9B4E019UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (int)(z & 0x7fffffff);
    }
}
