using ResolutionGateway.Core.Security;

namespace ResolutionGateway.Core.Storage;

/// <summary>
/// A stored API key: the secret only as a SHA-256 hash. <see cref="OfficerName"/> is the officer a
/// regulator key stands for ("" for other keys, and regulator keys of no one in particular).
/// </summary>
public sealed record ApiKeyRecord(
    string KeyId, string SecretHash, CredentialRole Role, string Scope, string Description, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt,
    string OfficerName = "");
