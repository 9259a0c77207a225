namespace ResolutionGateway.Core.Disputes;

// Numeric values match resolution.v1 so the host maps by cast; keep them in step with the proto.

/// <summary>What the consumer says about an executed settlement.</summary>
public enum SettlementReceipt
{
    /// <summary>Not confirmed yet.</summary>
    Unspecified = 0,
    /// <summary>The money arrived as agreed; final.</summary>
    Received = 1,
    /// <summary>The money did not arrive (or not as agreed).</summary>
    NotReceived = 2,
}

/// <summary>Why the consumer reopens a resolved dispute.</summary>
public enum ReopenReason
{
    Unspecified = 0,
    /// <summary>The merchant recorded no execution by the execution deadline.</summary>
    NotExecuted = 1,
    /// <summary>The merchant recorded an execution, but the money did not arrive or not as agreed.</summary>
    NotAsAgreed = 2,
}

/// <summary>The merchant's record of how an agreed settlement was paid.</summary>
/// <param name="Reference">The refund or payment reference (the payment platform's transaction id).</param>
/// <param name="Amount">What was paid.</param>
/// <param name="ExecutedAt">When it was paid, as the merchant states it.</param>
/// <param name="RecordedAt">When the merchant recorded it.</param>
public sealed record SettlementExecution(string Reference, Money Amount, DateTimeOffset ExecutedAt, DateTimeOffset RecordedAt);

/// <summary>
/// The terms that come with an agreed settlement that moves money, fixed from the region's policy
/// when it is agreed: the execution deadline (and its warning) and the end of the reopen window.
/// </summary>
public sealed record SettlementTerms(DateTimeOffset ExecutionDueAt, DateTimeOffset? ExecutionWarnAt, DateTimeOffset ReopenUntil);
