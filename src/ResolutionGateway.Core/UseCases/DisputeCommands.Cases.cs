using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Errors;
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

    /// <summary>
    /// Assigns a case to an officer (regulators): one named on an active regulator key whose prefix
    /// covers the region handling the case, else FAILED_PRECONDITION UNKNOWN_OFFICER.
    /// </summary>
    public async Task<DisputeChange> AssignCaseAsync(Principal p, AssignCaseCommand c, CancellationToken ct)
    {
        Require(p, "assign cases", CredentialRole.Regulator);
        CaseValidation.Validate(c);
        // Keys are few (one per officer and party), so the active ones are read whole rather than
        // through a lookup of their own; the region check needs the dispute, so it runs in decide.
        var officerScopes = (await directory.ListApiKeysAsync(includeRevoked: false, ct))
            .Where(k => k.Role == CredentialRole.Regulator && k.OfficerName == c.Officer)
            .Select(k => k.Scope)
            .ToArray();
        return await MutateAsync(p, "AssignCase", c, c.DisputeId, (d, actor, now) =>
        {
            // The rules' checks first (escalated, handled by the caller): a regulator that does not
            // handle the case learns nothing of its officers.
            var change = DisputeRules.AssignCase(d, actor, c, now);
            if (!officerScopes.Any(scope => d.CaseRegion.StartsWith(scope, StringComparison.Ordinal)))
            {
                throw new PreconditionFailedException("UNKNOWN_OFFICER", "officer",
                    $"no active regulator key of region {d.CaseRegion} names the officer {c.Officer}");
            }
            return change;
        }, ct);
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
