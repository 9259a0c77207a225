using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Security;

namespace ResolutionGateway.Core.UseCases;

// The regulator's case handling; the rules are in DisputeRules.Cases.cs.
public sealed partial class DisputeCommands
{
    /// <summary>Accepts an escalated case (regulators).</summary>
    public Task<DisputeChange> AcceptCaseAsync(Principal p, AcceptCaseCommand c, CancellationToken ct)
    {
        Require(p, "accept cases", CredentialRole.Regulator);
        CaseValidation.Validate(c);
        return MutateAsync(p, "AcceptCase", c, c.DisputeId,
            (d, actor, now) => DisputeRules.AcceptCase(d, actor, c, now, policies.For(d.CaseRegion)), ct);
    }

    /// <summary>Refuses an escalated case (regulators).</summary>
    public Task<DisputeChange> RefuseCaseAsync(Principal p, RefuseCaseCommand c, CancellationToken ct)
    {
        Require(p, "refuse cases", CredentialRole.Regulator);
        CaseValidation.Validate(c);
        return MutateAsync(p, "RefuseCase", c, c.DisputeId, (d, actor, now) => DisputeRules.RefuseCase(d, actor, c, now), ct);
    }

    /// <summary>Assigns a case to an officer (regulators).</summary>
    public Task<DisputeChange> AssignCaseAsync(Principal p, AssignCaseCommand c, CancellationToken ct)
    {
        Require(p, "assign cases", CredentialRole.Regulator);
        CaseValidation.Validate(c);
        return MutateAsync(p, "AssignCase", c, c.DisputeId, (d, actor, now) => DisputeRules.AssignCase(d, actor, c, now), ct);
    }

    /// <summary>Transfers a case to the regulator of another region prefix (regulators).</summary>
    public Task<DisputeChange> TransferCaseAsync(Principal p, TransferCaseCommand c, CancellationToken ct)
    {
        Require(p, "transfer cases", CredentialRole.Regulator);
        CaseValidation.Validate(c);
        return MutateAsync(p, "TransferCase", c, c.DisputeId,
            (d, actor, now) => DisputeRules.TransferCase(d, actor, c, now, policies.For(c.RegionPrefix)), ct);
    }
}
