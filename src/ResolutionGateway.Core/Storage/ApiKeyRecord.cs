using ResolutionGateway.Core.Security;

namespace ResolutionGateway.Core.Storage;

/// <summary>A stored API key: the secret only as a SHA-256 hash.</summary>
public sealed record ApiKeyRecord(
    string KeyId, string SecretHash, CredentialRole Role, string Scope, string Description, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);
