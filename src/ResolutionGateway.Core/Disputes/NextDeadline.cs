namespace ResolutionGateway.Core.Disputes;

/// <summary>The deadline a dispute waits on, which ListDisputes filters and sorts by.</summary>
public static class NextDeadline
{
    /// <summary>
    /// The earliest deadline still running for the party who must act, passed or not: the
    /// merchant's first response or the end of negotiation while the merchant is asked, the
    /// regulator's decision to accept while the case is pending, the end of mediation once it is
    /// accepted. Null when none runs (closed, or a case without deadlines). Warnings are not
    /// deadlines, and a deadline recorded as overdue stays the dispute's deadline (unlike
    /// <see cref="Dispute.NextTimerAt"/>), so "deadline passed" finds it.
    /// </summary>
    public static DateTimeOffset? NextDeadlineAt(this Dispute d) => d.Status switch
    {
        DisputeStatus.AwaitingMerchant => d.FirstResponseDueAt < d.NegotiationDueAt ? d.FirstResponseDueAt : d.NegotiationDueAt,
        DisputeStatus.Negotiating => d.NegotiationDueAt,
        DisputeStatus.Escalated => d.CaseStatus switch
        {
            CaseStatus.Pending => d.CaseAcceptDueAt,
            CaseStatus.Accepted => d.MediationDueAt,
            _ => null,
        },
        _ => null,
    };
}
