namespace ResolutionGateway.Core.Disputes;

/// <summary>Applies events to state. Total and deterministic: the log alone rebuilds any past state.</summary>
public static class DisputeEvolution
{
    /// <summary>The state after <paramref name="e"/>.</summary>
    public static Dispute Apply(Dispute? d, DisputeEvent e)
    {
        if (e.Detail is DisputeOpened opened)
        {
            return opened.Initial with { LastSeq = e.Seq, UpdatedAt = e.OccurredAt };
        }
        if (d is null)
        {
            throw new InvalidOperationException($"event {e.Seq} of {e.DisputeId} applied before the dispute was opened");
        }
        d = d with { LastSeq = e.Seq, UpdatedAt = e.OccurredAt };
        return e.Detail switch
        {
            MessagePosted => e.Actor.Role == ActorRole.Merchant ? FirstResponse(d, e.OccurredAt) : d,
            OfferMade m => FirstResponse(d, e.OccurredAt) with { CurrentOffer = m.Offer },
            OfferAnswered { Accepted: true } a => WithTerms(Close(d, DisputeStatus.Resolved, Outcome.ResolvedByNegotiation,
                new Settlement(d.CurrentOffer!.Remedy, d.CurrentOffer.Amount), e.OccurredAt), a.Terms) with
            {
                CurrentOffer = d.CurrentOffer with { Status = OfferStatus.Accepted },
            },
            OfferAnswered => d with { CurrentOffer = d.CurrentOffer! with { Status = OfferStatus.Rejected } },
            DemandAccepted a => WithTerms(Close(FirstResponse(d, e.OccurredAt), DisputeStatus.Resolved, Outcome.ResolvedByNegotiation,
                a.Settlement, e.OccurredAt), a.Terms),
            DisputeEscalated x => SupersedePending(d) with
            {
                Status = DisputeStatus.Escalated,
                EscalationReason = x.Reason,
                EscalatedAt = e.OccurredAt,
                CaseStatus = CaseStatus.Pending,
                CaseAcceptDueAt = x.AcceptDueAt,
                CaseAcceptWarnAt = x.AcceptWarnAt,
            },
            CaseAccepted a => d with
            {
                CaseStatus = CaseStatus.Accepted,
                CaseAcceptedAt = e.OccurredAt,
                MediationDueAt = a.MediationDueAt,
                MediationWarnAt = a.MediationWarnAt,
            },
            CaseRefused r => Close(d, DisputeStatus.Unresolved, Outcome.Unresolved, null, e.OccurredAt) with
            {
                CaseStatus = CaseStatus.Refused,
                RefusalReason = r.Reason,
            },
            CaseAssigned a => d with { AssignedOfficer = a.Officer },
            // The receiving regulator starts afresh: its own deadline, no officer, no warning yet.
            CaseTransferred t => d with
            {
                CaseRegionPrefix = t.ToPrefix,
                AssignedOfficer = "",
                CaseAcceptDueAt = t.AcceptDueAt,
                CaseAcceptWarnAt = t.AcceptWarnAt,
                CaseAcceptWarned = false,
                CaseAcceptOverdue = false,
            },
            DeadlineOverdue { Deadline: DeadlineKind.CaseAcceptance } => d with { CaseAcceptOverdue = true, CaseAcceptWarned = true },
            DeadlineOverdue { Deadline: DeadlineKind.SettlementExecution } => d with { ExecutionOverdue = true, ExecutionWarned = true },
            DeadlineOverdue => d with { MediationOverdue = true, MediationWarned = true },
            DisputeWithdrawn => Close(d, DisputeStatus.Withdrawn, Outcome.Withdrawn, null, e.OccurredAt),
            MediationOutcomeRecorded r => WithTerms(Close(d,
                r.Outcome == Outcome.ResolvedByMediation ? DisputeStatus.Resolved : DisputeStatus.Unresolved,
                r.Outcome, r.Settlement, e.OccurredAt), r.Terms),
            SettlementExecutionRecorded x => d with { Execution = new SettlementExecution(x.Reference, x.Amount, x.ExecutedAt, e.OccurredAt) },
            SettlementConfirmed c => d with { Receipt = c.Receipt, ReceiptAt = e.OccurredAt },
            // Back to the regulator as a new pending case: the failed settlement stays in the log,
            // the case's earlier decisions and deadlines are cleared, the handling region is kept.
            DisputeReopened r => d with
            {
                Status = DisputeStatus.Escalated,
                Outcome = Outcome.Unspecified,
                Settlement = null,
                ClosedAt = null,
                EscalationReason = EscalationReason.SettlementNotExecuted,
                EscalatedAt = e.OccurredAt,
                CaseStatus = CaseStatus.Pending,
                CaseAcceptDueAt = r.AcceptDueAt,
                CaseAcceptWarnAt = r.AcceptWarnAt,
                CaseAcceptWarned = false,
                CaseAcceptOverdue = false,
                CaseAcceptedAt = null,
                MediationDueAt = null,
                MediationWarnAt = null,
                MediationWarned = false,
                MediationOverdue = false,
                RefusalReason = RefusalReason.Unspecified,
                ExecutionDueAt = null,
                ExecutionWarnAt = null,
                ExecutionWarned = false,
                ExecutionOverdue = false,
                Execution = null,
                Receipt = SettlementReceipt.Unspecified,
                ReceiptAt = null,
                ReopenUntil = null,
                ReopenCount = d.ReopenCount + 1,
                ReopenedAt = e.OccurredAt,
                ReopenReason = r.Reason,
            },
            ResolutionRated r => d with { SatisfactionRating = r.Rating },
            DeadlineWarning { Deadline: DeadlineKind.FirstResponse } => d with { FirstResponseWarned = true },
            DeadlineWarning { Deadline: DeadlineKind.CaseAcceptance } => d with { CaseAcceptWarned = true },
            DeadlineWarning { Deadline: DeadlineKind.Mediation } => d with { MediationWarned = true },
            DeadlineWarning { Deadline: DeadlineKind.SettlementExecution } => d with { ExecutionWarned = true },
            DeadlineWarning => d with { NegotiationWarned = true },
            _ => throw new InvalidOperationException($"unknown event type {e.Detail.GetType().Name}"),
        };
    }

    /// <summary>Folds a whole log (or a prefix of it).</summary>
    public static Dispute Replay(IEnumerable<DisputeEvent> events)
    {
        Dispute? d = null;
        foreach (var e in events)
        {
            d = Apply(d, e);
        }
        return d ?? throw new InvalidOperationException("empty event log");
    }

    // The merchant's first message, offer or acceptance ends AWAITING_MERCHANT.
    private static Dispute FirstResponse(Dispute d, DateTimeOffset at) => d.Status == DisputeStatus.AwaitingMerchant
        ? d with { Status = DisputeStatus.Negotiating, FirstResponseAt = d.FirstResponseAt ?? at }
        : d with { FirstResponseAt = d.FirstResponseAt ?? at };

    private static Dispute Close(Dispute d, DisputeStatus status, Outcome outcome, Settlement? settlement, DateTimeOffset at) =>
        SupersedePending(d) with { Status = status, Outcome = outcome, Settlement = settlement, ClosedAt = at };

    // An agreed settlement's execution deadline and reopen window (events before execution tracking carry none).
    private static Dispute WithTerms(Dispute d, SettlementTerms? t) => t is null ? d : d with
    {
        ExecutionDueAt = t.ExecutionDueAt,
        ExecutionWarnAt = t.ExecutionWarnAt,
        ReopenUntil = t.ReopenUntil,
    };

    private static Dispute SupersedePending(Dispute d) => d.PendingOffer is { } p
        ? d with { CurrentOffer = p with { Status = OfferStatus.Superseded } }
        : d;
}
