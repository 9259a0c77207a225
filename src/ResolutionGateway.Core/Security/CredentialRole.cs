namespace ResolutionGateway.Core.Security;

/// <summary>What a credential may do. Values match resolution.v1.CredentialRole.</summary>
public enum CredentialRole
{
    Unspecified = 0,
    Admin = 1,
    Channel = 2,
    Merchant = 3,
    Regulator = 4,
    Analyst = 5,
}
