using System.Collections.Concurrent;
using ResolutionGateway.Core.Errors;
using ResolutionGateway.Core.Storage;

namespace ResolutionGateway.Core.Security;

/// <summary>
/// Turns a bearer token into a <see cref="Principal"/>. Verified keys are cached for
/// <see cref="CacheTtl"/> so a busy caller costs one lookup per interval, not one per call; a
/// revocation on this node takes effect at once (<see cref="Forget"/>), on other nodes within the TTL.
/// </summary>
public sealed class Authenticator(IDirectoryStore directory, TimeProvider time)
{
    /// <summary>How long a verified key is trusted without looking at the store again.</summary>
    public static readonly TimeSpan CacheTtl = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, (ApiKeyRecord Key, DateTimeOffset Until)> _cache = new();

    /// <summary>The principal behind the token; UNAUTHENTICATED when missing, unknown, wrong or revoked.</summary>
    public async Task<Principal> AuthenticateAsync(string? token, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token))
        {
            throw new UnauthenticatedException("missing credential: send 'authorization: Bearer <api key>'");
        }
        if (!ApiKeys.TryParse(token, out var keyId, out var secret))
        {
            throw new UnauthenticatedException("malformed API key");
        }
        var now = time.GetUtcNow();
        if (!_cache.TryGetValue(keyId, out var cached) || cached.Until < now)
        {
            var key = await directory.GetApiKeyAsync(keyId, ct) ?? throw new UnauthenticatedException("unknown API key");
            cached = (key, now + CacheTtl);
            _cache[keyId] = cached;
        }
        if (cached.Key.RevokedAt is not null)
        {
            throw new UnauthenticatedException("API key revoked");
        }
        if (!ApiKeys.Matches(secret, cached.Key.SecretHash))
        {
            throw new UnauthenticatedException("invalid API key");
        }
        return new Principal(cached.Key.Role, cached.Key.Scope, keyId, cached.Key.OfficerName);
    }

    /// <summary>Drops a key from the cache (after revocation).</summary>
    public void Forget(string keyId) => _cache.TryRemove(keyId, out _);
}
