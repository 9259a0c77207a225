using ResolutionGateway.Core.Security;

namespace ResolutionGateway.Core.Audit;

/// <summary>What an audit entry records (the proto's AuditKind).</summary>
public enum AuditKind
{
    /// <summary>Not set.</summary>
    Unspecified = 0,
    /// <summary>An AdminService call by an admin key.</summary>
    AdminAction = 1,
    /// <summary>A read of disputes by a key that sees mobile numbers unmasked (channel, regulator).</summary>
    PersonalDataRead = 2,
}

/// <summary>
/// One entry of the audit log: who (key id and role), what (the gRPC method), which dispute or
/// other object, when. Ids only: never a consumer's name or mobile number.
/// </summary>
public sealed record AuditEntry(
    string AuditId, DateTimeOffset OccurredAt, string KeyId, CredentialRole Role, string Rpc, string DisputeId, string ObjectId, AuditKind Kind);

/// <summary>A filter of the audit log; null or empty parts match everything.</summary>
public sealed record AuditFilter(string? KeyId, string? DisputeId, DateTimeOffset? From, DateTimeOffset? Until);
