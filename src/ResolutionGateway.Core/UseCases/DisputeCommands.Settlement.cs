using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Security;

namespace ResolutionGateway.Core.UseCases;

// Settlement execution and reopening; the rules are in DisputeRules.Settlement.cs.
public sealed partial class DisputeCommands
{
    /// <summary>Records how an agreed settlement was paid (merchants).</summary>
    public Task<DisputeChange> RecordSettlementExecutionAsync(Principal p, RecordSettlementExecutionCommand c, CancellationToken ct)
    {
        Require(p, "record settlement executions", CredentialRole.Merchant);
        SettlementValidation.Validate(c);
        return MutateAsync(p, "RecordSettlementExecution", c, c.DisputeId,
            (d, actor, now) => DisputeRules.RecordSettlementExecution(d, actor, c, now), ct);
    }

    /// <summary>Says whether the settlement's money arrived (consumer via channel).</summary>
    public Task<DisputeChange> ConfirmSettlementAsync(Principal p, ConfirmSettlementCommand c, CancellationToken ct)
    {
        Require(p, "confirm settlements", CredentialRole.Channel);
        SettlementValidation.Validate(c);
        return MutateAsync(p, "ConfirmSettlement", c, c.DisputeId, (d, actor, now) => DisputeRules.ConfirmSettlement(d, actor, c, now), ct);
    }

    /// <summary>Reopens a resolved dispute whose settlement was not executed as agreed (consumer via channel).</summary>
    public Task<DisputeChange> ReopenAsync(Principal p, ReopenDisputeCommand c, CancellationToken ct)
    {
        Require(p, "reopen disputes", CredentialRole.Channel);
        SettlementValidation.Validate(c);
        return MutateAsync(p, "ReopenDispute", c, c.DisputeId,
            (d, actor, now) => DisputeRules.Reopen(d, actor, c, now, policies.For(d.CaseRegion)), ct);
    }
}
