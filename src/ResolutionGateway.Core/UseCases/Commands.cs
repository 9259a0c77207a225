using ResolutionGateway.Core.Disputes;

namespace ResolutionGateway.Core.UseCases;

// Inputs of the mutating use cases, mapped one-to-one from the resolution.v1 requests. Every
// command carries the caller's idempotency key (request id).

/// <summary>Marks commands that carry an idempotency key.</summary>
public interface IDisputeCommand
{
    /// <summary>The caller's idempotency key.</summary>
    string RequestId { get; }
}

/// <summary>OpenDispute.</summary>
public sealed record OpenDisputeCommand(
    string RequestId, OrderContext Order, ConsumerInfo Consumer, Category Category, Demand Demand, string Description,
    IReadOnlyList<EvidenceRef> Evidence) : IDisputeCommand;

/// <summary>PostMessage.</summary>
public sealed record PostMessageCommand(string RequestId, string DisputeId, string Text, IReadOnlyList<EvidenceRef> Evidence) : IDisputeCommand;

/// <summary>MakeOffer.</summary>
public sealed record MakeOfferCommand(string RequestId, string DisputeId, Remedy Remedy, Money? Amount, string Note) : IDisputeCommand;

/// <summary>The consumer's answer to an offer.</summary>
public enum OfferDecision
{
    Unspecified = 0,
    Accept = 1,
    Reject = 2,
}

/// <summary>RespondToOffer.</summary>
public sealed record RespondToOfferCommand(string RequestId, string DisputeId, string OfferId, OfferDecision Decision, string Note) : IDisputeCommand;

/// <summary>AcceptDemand.</summary>
public sealed record AcceptDemandCommand(string RequestId, string DisputeId, string Note) : IDisputeCommand;

/// <summary>EscalateDispute.</summary>
public sealed record EscalateDisputeCommand(string RequestId, string DisputeId, string Note) : IDisputeCommand;

/// <summary>WithdrawDispute.</summary>
public sealed record WithdrawDisputeCommand(string RequestId, string DisputeId, string Note) : IDisputeCommand;

/// <summary>RecordMediationOutcome.</summary>
public sealed record RecordMediationOutcomeCommand(string RequestId, string DisputeId, Outcome Outcome, Settlement? Settlement, string Note) : IDisputeCommand;

/// <summary>RateResolution.</summary>
public sealed record RateResolutionCommand(string RequestId, string DisputeId, int Rating, string Comment) : IDisputeCommand;

/// <summary>AcceptCase.</summary>
public sealed record AcceptCaseCommand(string RequestId, string DisputeId, string Note) : IDisputeCommand;

/// <summary>RefuseCase.</summary>
public sealed record RefuseCaseCommand(string RequestId, string DisputeId, RefusalReason Reason, string Note) : IDisputeCommand;

/// <summary>AssignCase.</summary>
public sealed record AssignCaseCommand(string RequestId, string DisputeId, string Officer, string Note) : IDisputeCommand;

/// <summary>TransferCase.</summary>
public sealed record TransferCaseCommand(string RequestId, string DisputeId, string RegionPrefix, string Note) : IDisputeCommand;

/// <summary>AddCaseNote.</summary>
public sealed record AddCaseNoteCommand(string RequestId, string DisputeId, string Text) : IDisputeCommand;

/// <summary>RecordSettlementExecution.</summary>
public sealed record RecordSettlementExecutionCommand(
    string RequestId, string DisputeId, string Reference, Money? Amount, DateTimeOffset? ExecutedAt, string Note) : IDisputeCommand;

/// <summary>ConfirmSettlement.</summary>
public sealed record ConfirmSettlementCommand(string RequestId, string DisputeId, SettlementReceipt Receipt, string Note) : IDisputeCommand;

/// <summary>ReopenDispute.</summary>
public sealed record ReopenDisputeCommand(string RequestId, string DisputeId, ReopenReason Reason, string Note) : IDisputeCommand;
