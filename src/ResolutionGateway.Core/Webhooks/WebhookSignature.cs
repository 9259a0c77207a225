using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ResolutionGateway.Core.Webhooks;

/// <summary>
/// The X-RG-Signature header: "t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, "&lt;t&gt;.&lt;body&gt;")&gt;",
/// with one v1 per secret in use (two while a secret is being rotated). The key is the secret's
/// UTF-8 bytes. Receivers recompute the HMAC with their secret, compare in constant time against
/// every v1, and reject timestamps too far from their clock (replays).
/// </summary>
public static class WebhookSignature
{
    /// <summary>The header name.</summary>
    public const string Header = "X-RG-Signature";

    /// <summary>The header value for a body sent at <paramref name="timestamp"/>.</summary>
    public static string Sign(IReadOnlyList<string> secrets, DateTimeOffset timestamp, ReadOnlySpan<byte> body)
    {
        var t = timestamp.ToUnixTimeSeconds();
        var sb = new StringBuilder("t=").Append(t.ToString(CultureInfo.InvariantCulture));
        foreach (var secret in secrets)
        {
            sb.Append(",v1=").Append(Convert.ToHexStringLower(Compute(secret, t, body)));
        }
        return sb.ToString();
    }

    /// <summary>HMAC-SHA256 of "&lt;t&gt;.&lt;body&gt;".</summary>
    public static byte[] Compute(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message);
    }

    /// <summary>
    /// What a receiver does: true when some v1 matches <paramref name="secret"/> and t is within
    /// <paramref name="tolerance"/> of <paramref name="now"/>. A malformed header is false.
    /// </summary>
    public static bool Verify(string? header, ReadOnlySpan<byte> body, string secret, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrEmpty(header))
        {
            return false;
        }
        long? t = null;
        var signatures = new List<byte[]>();
        foreach (var part in header.Split(','))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                return false;
            }
            var (key, value) = (part[..eq].Trim(), part[(eq + 1)..].Trim());
            if (key == "t" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                t = parsed;
            }
            else if (key == "v1" && value.Length == 64)
            {
                try
                {
                    signatures.Add(Convert.FromHexString(value));
                }
                catch (FormatException)
                {
                    return false;
                }
            }
        }
        if (t is not { } ts || signatures.Count == 0 || Math.Abs(now.ToUnixTimeSeconds() - ts) > tolerance.TotalSeconds)
        {
            return false;
        }
        var expected = Compute(secret, ts, body);
        var ok = false;
        foreach (var s in signatures)
        {
            ok |= CryptographicOperations.FixedTimeEquals(s, expected);
        }
        return ok;
    }

    /// <summary>A new secret: "whsec_" + 32 random bytes, base64url (43 characters).</summary>
    public static string NewSecret() =>
        "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
