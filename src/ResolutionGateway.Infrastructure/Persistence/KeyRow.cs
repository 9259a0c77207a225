using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.Storage;

namespace ResolutionGateway.Infrastructure.Persistence;

/// <summary>A row of api_keys (both backends).</summary>
internal sealed class KeyRow
{
    public string KeyId { get; set; } = "";
    public string SecretHash { get; set; } = "";
    public long Role { get; set; }
    public string Scope { get; set; } = "";
    public string Description { get; set; } = "";
    public long CreatedAt { get; set; }
    public long? RevokedAt { get; set; }

    public ApiKeyRecord ToRecord() => new(KeyId, SecretHash, (CredentialRole)Role, Scope, Description, UnixMs.To(CreatedAt),
        RevokedAt is { } r ? UnixMs.To(r) : null);
}
