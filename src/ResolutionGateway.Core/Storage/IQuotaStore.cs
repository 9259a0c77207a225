using ResolutionGateway.Core.Security;

namespace ResolutionGateway.Core.Storage;

/// <summary>Per-key quota overrides (the key_quotas table).</summary>
public interface IQuotaStore
{
    /// <summary>The key's override, or null when it has its role's defaults.</summary>
    Task<KeyQuota?> GetAsync(string keyId, CancellationToken ct);

    /// <summary>Sets the key's override.</summary>
    Task UpsertAsync(KeyQuota quota, CancellationToken ct);

    /// <summary>Removes the key's override; false when it had none.</summary>
    Task<bool> DeleteAsync(string keyId, CancellationToken ct);
}
