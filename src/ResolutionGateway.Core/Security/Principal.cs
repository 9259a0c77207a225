using ResolutionGateway.Core.Disputes;

namespace ResolutionGateway.Core.Security;

/// <summary>
/// The authenticated caller: a role and a scope (channel id, merchant id, or region prefix for
/// regulators and analysts; empty for admins and unlimited analysts), and the officer a regulator
/// key stands for ("" when none).
/// </summary>
public sealed record Principal(CredentialRole Role, string Scope, string KeyId, string OfficerName = "")
{
    /// <summary>
    /// Idempotency keys are scoped to the party, not the key, so a retry after a key rotation still
    /// finds the first call.
    /// </summary>
    public string PartyKey => $"{Role.ToString().ToLowerInvariant()}:{Scope}";

    /// <summary>
    /// True when the dispute is within the caller's scope; a regulator also sees the cases
    /// transferred to its region (<see cref="Dispute.CaseRegion"/>).
    /// </summary>
    public bool CanSee(Dispute d) => CanSee(d.ChannelId, d.MerchantId, d.RegionCode)
        || (Role == CredentialRole.Regulator && d.CaseRegion.StartsWith(Scope, StringComparison.Ordinal));

    /// <summary>True when a dispute with these keys is within the caller's scope.</summary>
    public bool CanSee(string channelId, string merchantId, string regionCode) => Role switch
    {
        CredentialRole.Admin => true,
        CredentialRole.Channel => channelId == Scope,
        CredentialRole.Merchant => merchantId == Scope,
        CredentialRole.Regulator => regionCode.StartsWith(Scope, StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>Whether this caller sees consumers' mobile numbers in full (the channel and the regulator do).</summary>
    public bool SeesFullMobile => Role is CredentialRole.Channel or CredentialRole.Regulator;

    /// <summary>The actor this caller appears as in a dispute's log.</summary>
    public Actor ActorFor(Dispute d) => Role switch
    {
        CredentialRole.Channel => new Actor(ActorRole.Consumer, d.Consumer.ConsumerRef),
        CredentialRole.Merchant => new Actor(ActorRole.Merchant, Scope),
        CredentialRole.Regulator => new Actor(ActorRole.Regulator, Scope),
        _ => throw new InvalidOperationException($"{Role} does not act in disputes"),
    };
}
