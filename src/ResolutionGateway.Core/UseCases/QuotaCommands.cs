using ResolutionGateway.Core.Errors;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Core.Validation;

namespace ResolutionGateway.Core.UseCases;

/// <summary>Per-key quota overrides (AdminService.SetKeyQuota).</summary>
public sealed class QuotaCommands(IDirectoryStore directory, IQuotaStore quotas, TimeProvider time)
{
    /// <summary>Raised after an override changes, so this node's cache drops the key at once.</summary>
    public event Action<string>? Changed;

    /// <summary>
    /// Sets the key's quota; all zero removes the override (the role's defaults apply again). Returns
    /// the override set, or null when it was removed.
    /// </summary>
    public async Task<KeyQuota?> SetKeyQuotaAsync(Principal p, string keyId, QuotaLimits limits, CancellationToken ct)
    {
        AdminCommands.RequireAdmin(p);
        var v = new Violations();
        if (!Disputes.Ids.IsValid(keyId, "key"))
        {
            v.Add("quota.key_id", "required: a key id (key_ followed by 26 characters)");
        }
        var clear = limits is { RequestsPerSecond: 0, Burst: 0, Streams: 0 };
        if (!clear)
        {
            if (!double.IsFinite(limits.RequestsPerSecond) || limits.RequestsPerSecond is <= 0 or > QuotaLimits.MaxRequestsPerSecond)
            {
                v.Add("quota.requests_per_second", $"greater than 0, at most {QuotaLimits.MaxRequestsPerSecond:0}");
            }
            if (limits.Burst is < 1 or > QuotaLimits.MaxCount)
            {
                v.Add("quota.burst", $"1 to {QuotaLimits.MaxCount}");
            }
            if (limits.Streams is < 0 or > QuotaLimits.MaxCount)
            {
                v.Add("quota.streams", $"0 to {QuotaLimits.MaxCount}");
            }
        }
        v.ThrowIfAny();
        _ = await directory.GetApiKeyAsync(keyId, ct) ?? throw new NotFoundException("api key", keyId);
        KeyQuota? quota = null;
        if (clear)
        {
            await quotas.DeleteAsync(keyId, ct);
        }
        else
        {
            quota = new KeyQuota(keyId, limits, Clock.Now(time));
            await quotas.UpsertAsync(quota, ct);
        }
        Changed?.Invoke(keyId);
        return quota;
    }
}
