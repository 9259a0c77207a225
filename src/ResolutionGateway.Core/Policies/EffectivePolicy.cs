using ResolutionGateway.Core.Disputes;

namespace ResolutionGateway.Core.Policies;

/// <summary>The policy that applies to a region, with its calendar.</summary>
public sealed record EffectivePolicy(RegionPolicy Policy, WorkingCalendar Calendar)
{
    /// <summary>The deadlines of a dispute opened at <paramref name="openedAt"/>.</summary>
    public DisputeDeadlines DeadlinesFrom(DateTimeOffset openedAt)
    {
        var first = Policy.FirstResponse.DueFrom(openedAt, Calendar);
        var negotiation = Policy.Negotiation.DueFrom(openedAt, Calendar);
        var limit = openedAt + Policy.NegotiationLimit;
        if (negotiation > limit)
        {
            negotiation = limit;
        }
        return new DisputeDeadlines(first, WarnAt(openedAt, first), negotiation, WarnAt(openedAt, negotiation));
    }

    /// <summary>The regulator's acceptance deadline (and its warning) for a case escalated or transferred at <paramref name="at"/>.</summary>
    public (DateTimeOffset Due, DateTimeOffset? WarnAt) CaseAcceptanceFrom(DateTimeOffset at)
    {
        var due = Policy.CaseAcceptance.DueFrom(at, Calendar);
        return (due, WarnAt(at, due));
    }

    /// <summary>The end of mediation (and its warning) for a case accepted at <paramref name="at"/>.</summary>
    public (DateTimeOffset Due, DateTimeOffset? WarnAt) MediationFrom(DateTimeOffset at)
    {
        var due = Policy.Mediation.DueFrom(at, Calendar);
        return (due, WarnAt(at, due));
    }

    /// <summary>The terms of a settlement that moves money, agreed at <paramref name="at"/>: its execution deadline (and warning) and the end of the reopen window.</summary>
    public SettlementTerms SettlementTermsFrom(DateTimeOffset at)
    {
        var due = Policy.SettlementExecution.DueFrom(at, Calendar);
        return new SettlementTerms(due, WarnAt(at, due), at + Policy.ReopenWindow);
    }

    // A warning only makes sense when it falls after the opening: with a lead longer than the
    // deadline, the merchant learns the deadline from the opening itself.
    private DateTimeOffset? WarnAt(DateTimeOffset openedAt, DateTimeOffset due) =>
        Policy.WarningLead > TimeSpan.Zero && due - Policy.WarningLead > openedAt ? due - Policy.WarningLead : null;
}
