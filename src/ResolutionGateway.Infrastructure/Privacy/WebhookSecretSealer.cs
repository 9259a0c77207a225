using System.Text;

namespace ResolutionGateway.Infrastructure.Privacy;

/// <summary>
/// Webhook signing secrets at rest: sealed by the KEK itself (a signing key is the operator's, not a
/// consumer's, so it needs no data key of its own), bound to the endpoint and the column. A sealed
/// secret is "ws1." + KEK id + "." + base64(nonce | ciphertext | tag); a value in any other form
/// is a secret an older version stored in plain text, which reads still accept until the sealing
/// pass (<see cref="Repositories.WebhookSecretRepository"/>) seals it.
/// </summary>
public sealed class WebhookSecretSealer(KeyRing ring)
{
    private const string Prefix = "ws1.";

    /// <summary>The prefix of secrets sealed by the current KEK (rows without it need sealing or re-wrapping).</summary>
    public string CurrentPrefix => Prefix + ring.Current.Id + ".";

    /// <summary>Seals <paramref name="secret"/> of <paramref name="endpointId"/>'s <paramref name="column"/> by the current KEK.</summary>
    public string Seal(string endpointId, string column, string secret) =>
        CurrentPrefix + Convert.ToBase64String(ring.Current.Wrap(Encoding.UTF8.GetBytes(secret), Context(endpointId, column)));

    /// <summary>
    /// The secret as stored, opened: a plain (legacy) value as it is. A secret sealed by a KEK the
    /// configuration does not hold, or that does not open, is an error (never garbage).
    /// </summary>
    public string Open(string endpointId, string column, string stored)
    {
        if (!stored.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return stored;
        }
        var dot = stored.IndexOf('.', Prefix.Length);
        var kekId = dot < 0 ? "" : stored[Prefix.Length..dot];
        var kek = ring.Find(kekId) ?? throw new InvalidOperationException(
            $"the secret of webhook endpoint {endpointId} is sealed by KEK {kekId}, which the configuration does not hold (it holds {string.Join(", ", ring.Ids)})");
        return Encoding.UTF8.GetString(kek.Unwrap(Convert.FromBase64String(stored[(dot + 1)..]), Context(endpointId, column)));
    }

    /// <summary>The stored value sealed by the current KEK: a plain one sealed, one under a former KEK re-wrapped; null when it already is.</summary>
    public string? Reseal(string endpointId, string column, string? stored) =>
        stored is null || stored.StartsWith(CurrentPrefix, StringComparison.Ordinal) ? null : Seal(endpointId, column, Open(endpointId, column, stored));

    private static byte[] Context(string endpointId, string column) => Encoding.UTF8.GetBytes($"resolution.v1 webhook {endpointId} {column}");
}
