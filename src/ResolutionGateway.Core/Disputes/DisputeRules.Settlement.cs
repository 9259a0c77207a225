using ResolutionGateway.Core.Errors;
using ResolutionGateway.Core.Policies;
using ResolutionGateway.Core.UseCases;

namespace ResolutionGateway.Core.Disputes;

// After a settlement that moves money is agreed (offer accepted, demand accepted, mediation settled
// with an amount): the merchant records the payment by the execution deadline, the consumer says
// whether it arrived, and within the reopen window a settlement not executed as agreed sends the
// dispute straight to the regulator. Remedies without an amount (exchange, repair, apology) carry
// no execution deadline and cannot be reopened.
public static partial class DisputeRules
{
    /// <summary>Tolerated clock skew for an execution time stated by the merchant.</summary>
    public static readonly TimeSpan ExecutionClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>The merchant records how the agreed settlement was paid, once.</summary>
    public static DisputeChange RecordSettlementExecution(Dispute d, Actor actor, RecordSettlementExecutionCommand c, DateTimeOffset now)
    {
        RequireExecutable(d, "record a settlement execution");
        if (d.Execution is not null)
        {
            throw new PreconditionFailedException("ALREADY_RECORDED", $"disputes/{d.DisputeId}",
                $"the execution was already recorded (reference {d.Execution.Reference})");
        }
        var agreed = d.Settlement!.Amount!;
        var amount = c.Amount!;
        var executedAt = c.ExecutedAt!.Value;
        if (amount.Currency != agreed.Currency)
        {
            throw new ValidationException("amount.currency", $"must be the settlement's currency, {agreed.Currency}");
        }
        if (executedAt > now + ExecutionClockSkew)
        {
            throw new ValidationException("execute_time", "must not be in the future");
        }
        if (executedAt < d.ClosedAt!.Value - ExecutionClockSkew)
        {
            throw new ValidationException("execute_time", "must not be before the settlement was agreed (Dispute.close_time)");
        }
        return Emit(d, d.DisputeId, actor, now, new SettlementExecutionRecorded(c.Reference, amount, executedAt, c.Note));
    }

    /// <summary>The consumer says whether the money arrived; "received" is final.</summary>
    public static DisputeChange ConfirmSettlement(Dispute d, Actor actor, ConfirmSettlementCommand c, DateTimeOffset now)
    {
        RequireExecutable(d, "confirm the settlement");
        if (d.Receipt == SettlementReceipt.Received || d.Receipt == c.Receipt)
        {
            throw new PreconditionFailedException("ALREADY_CONFIRMED", $"disputes/{d.DisputeId}",
                $"the consumer has already said {(d.Receipt == SettlementReceipt.Received ? "the money arrived" : "the money did not arrive")}");
        }
        return Emit(d, d.DisputeId, actor, now, new SettlementConfirmed(c.Receipt, c.Note));
    }

    /// <summary>
    /// The consumer reopens a resolved dispute within the reopen window when its settlement was not
    /// executed (nothing recorded by the deadline) or not as agreed (recorded, but it did not arrive or
    /// not in full). It goes straight to the regulator of the case's region as a pending case:
    /// <paramref name="casePolicy"/> (that region's) sets the new acceptance deadline.
    /// </summary>
    public static DisputeChange Reopen(Dispute d, Actor actor, ReopenDisputeCommand c, DateTimeOffset now, EffectivePolicy casePolicy)
    {
        RequireStatus(d, "reopen", DisputeStatus.Resolved);
        if (d.ReopenUntil is not { } until)
        {
            throw State(d, "cannot reopen: the settlement moves no money (or was agreed before execution tracking)");
        }
        if (now > until)
        {
            throw new PreconditionFailedException("REOPEN_WINDOW", $"disputes/{d.DisputeId}",
                $"the dispute could be reopened until {Utc(until)}");
        }
        if (d.Receipt == SettlementReceipt.Received)
        {
            throw new PreconditionFailedException("SETTLEMENT_RECEIVED", $"disputes/{d.DisputeId}",
                "the consumer confirmed that the money arrived");
        }
        if (c.Reason == ReopenReason.NotExecuted)
        {
            if (d.Execution is not null)
            {
                throw new PreconditionFailedException("EXECUTION_RECORDED", $"disputes/{d.DisputeId}",
                    "the merchant recorded an execution; reopen with REOPEN_REASON_NOT_AS_AGREED if it did not arrive as agreed");
            }
            if (now < d.ExecutionDueAt!.Value)
            {
                throw new PreconditionFailedException("EXECUTION_PENDING", $"disputes/{d.DisputeId}",
                    $"the merchant has until {Utc(d.ExecutionDueAt.Value)} to execute the settlement");
            }
        }
        else if (d.Execution is null)
        {
            throw new PreconditionFailedException("EXECUTION_NOT_RECORDED", $"disputes/{d.DisputeId}",
                "no execution was recorded; reopen with REOPEN_REASON_NOT_EXECUTED once the execution deadline has passed");
        }
        var (due, warn) = casePolicy.CaseAcceptanceFrom(now);
        return Emit(d, d.DisputeId, actor, now, new DisputeReopened(c.Reason, c.Note, due, warn));
    }

    // The execution deadline of a resolved dispute: a warning at the lead, then, once it has passed
    // with nothing recorded, one DeadlineOverdue event (the consumer may then reopen).
    private static DisputeChange? SettlementTick(Dispute d, DateTimeOffset now)
    {
        if (d.ExecutionDueAt is not { } due || d.Execution is not null || d.Receipt == SettlementReceipt.Received || d.ExecutionOverdue)
        {
            return null;
        }
        if (now >= due)
        {
            return Emit(d, d.DisputeId, Actor.System, now, new DeadlineOverdue(DeadlineKind.SettlementExecution, due));
        }
        if (!d.ExecutionWarned && d.ExecutionWarnAt is { } w && w <= now)
        {
            return Emit(d, d.DisputeId, Actor.System, now, new DeadlineWarning(DeadlineKind.SettlementExecution, due));
        }
        return null;
    }

    // The terms of an agreed settlement: only one that moves money is executed; without the policy, none.
    private static SettlementTerms? TermsFor(Settlement? s, DateTimeOffset now, EffectivePolicy? policy) =>
        policy is not null && s?.Amount is { MinorUnits: > 0 } ? policy.SettlementTermsFrom(now) : null;

    private static void RequireExecutable(Dispute d, string action)
    {
        RequireStatus(d, action, DisputeStatus.Resolved);
        if (d.ExecutionDueAt is null)
        {
            throw State(d, $"cannot {action}: the settlement moves no money (or was agreed before execution tracking)");
        }
    }
}
