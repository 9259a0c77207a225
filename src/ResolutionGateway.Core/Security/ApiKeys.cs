using System.Security.Cryptography;
using System.Text;
using ResolutionGateway.Core.Disputes;

namespace ResolutionGateway.Core.Security;

/// <summary>
/// Bearer tokens are "rg_" + key id + "_" + secret. The key id finds the row; the secret is stored
/// only as SHA-256. A plain hash (not a slow KDF) is right here: secrets are 256 random bits, not
/// passwords, so there is nothing to brute-force, and every RPC checks one.
/// </summary>
public static class ApiKeys
{
    private const string TokenPrefix = "rg_";
    private const string KeyPrefix = "key";

    /// <summary>A new key id and token.</summary>
    public static (string KeyId, string Token, string SecretHash) Generate(DateTimeOffset now)
    {
        var keyId = Ids.New(KeyPrefix, now);
        var secret = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (keyId, $"{TokenPrefix}{keyId}_{secret}", Hash(secret));
    }

    /// <summary>Splits a token into key id and secret; false when it is not one of ours.</summary>
    public static bool TryParse(string token, out string keyId, out string secret)
    {
        keyId = secret = "";
        var idLength = KeyPrefix.Length + 1 + Ids.UlidLength;
        if (token.Length < TokenPrefix.Length + idLength + 2 || !token.StartsWith(TokenPrefix, StringComparison.Ordinal)
            || token[TokenPrefix.Length + idLength] != '_')
        {
            return false;
        }
        keyId = token.Substring(TokenPrefix.Length, idLength);
        secret = token[(TokenPrefix.Length + idLength + 1)..];
        return Ids.IsValid(keyId, KeyPrefix);
    }

    /// <summary>Hex SHA-256 of the secret.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Constant-time comparison of a presented secret with the stored hash.</summary>
    public static bool Matches(string secret, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(storedHash));
}
