using ResolutionGateway.Core.Errors;
using ResolutionGateway.Core.Policies;
using ResolutionGateway.Core.UseCases;

namespace ResolutionGateway.Core.Disputes;

// The regulator's case handling after escalation (《市场监督管理投诉举报处理暂行办法》): accept
// (受理) or refuse (不予受理, art. 15) within the acceptance deadline (art. 14: 7 working days),
// assign to an officer, transfer to the regulator of another region, mediate until the
// mediation deadline (art. 21: 45 working days from acceptance). Only the regulator whose region
// prefix covers the case's region (Dispute.CaseRegion) acts on it.
public static partial class DisputeRules
{
    /// <summary>The regulator accepts the case; mediation runs until the region's mediation deadline.</summary>
    public static DisputeChange AcceptCase(Dispute d, Actor actor, AcceptCaseCommand c, DateTimeOffset now, EffectivePolicy policy)
    {
        RequirePendingCase(d, actor, "accept the case");
        var (due, warn) = policy.MediationFrom(now);
        return Emit(d, d.DisputeId, actor, now, new CaseAccepted(c.Note, due, warn));
    }

    /// <summary>The regulator refuses the case: the dispute closes as unresolved with the reason.</summary>
    public static DisputeChange RefuseCase(Dispute d, Actor actor, RefuseCaseCommand c, DateTimeOffset now)
    {
        RequirePendingCase(d, actor, "refuse the case");
        return Emit(d, d.DisputeId, actor, now, new CaseRefused(c.Reason, c.Note));
    }

    /// <summary>The regulator gives the case (pending or accepted) to one of its officers.</summary>
    public static DisputeChange AssignCase(Dispute d, Actor actor, AssignCaseCommand c, DateTimeOffset now)
    {
        RequireStatus(d, "assign the case", DisputeStatus.Escalated);
        RequireCaseHandler(d, actor);
        if (d.AssignedOfficer == c.Officer)
        {
            throw new PreconditionFailedException("ALREADY_ASSIGNED", $"disputes/{d.DisputeId}", "the case is already assigned to this officer");
        }
        return Emit(d, d.DisputeId, actor, now, new CaseAssigned(c.Officer, c.Note));
    }

    /// <summary>
    /// The regulator hands a case it has not accepted to the regulator of another region prefix
    /// (where the merchant operates); that regulator's acceptance deadline counts from now.
    /// </summary>
    public static DisputeChange TransferCase(Dispute d, Actor actor, TransferCaseCommand c, DateTimeOffset now, EffectivePolicy targetPolicy)
    {
        RequirePendingCase(d, actor, "transfer the case");
        if (c.RegionPrefix == d.CaseRegion)
        {
            throw new PreconditionFailedException("SAME_REGION", $"disputes/{d.DisputeId}",
                $"the case is already with the regulator of {c.RegionPrefix}");
        }
        var (due, warn) = targetPolicy.CaseAcceptanceFrom(now);
        return Emit(d, d.DisputeId, actor, now, new CaseTransferred(d.CaseRegion, c.RegionPrefix, c.Note, due, warn));
    }

    /// <summary>
    /// Checks that <paramref name="actor"/>, a regulator, handles the case: a transferred case
    /// belongs to the receiving regulator, and the store region's regulator may only read it.
    /// </summary>
    public static void RequireCaseHandler(Dispute d, Actor actor)
    {
        if (actor.Role == ActorRole.Regulator && !d.CaseRegion.StartsWith(actor.Id, StringComparison.Ordinal))
        {
            throw new PermissionDeniedException(
                $"the case was transferred to the regulator of region {d.CaseRegion}; only that regulator acts on it");
        }
    }

    // The acceptance or mediation deadline of an escalated dispute: a warning at the lead, then,
    // once it has passed undecided, a DeadlineOverdue event (the case stays with the regulator:
    // there is no one further to escalate to). Each fires once, decided from the state alone.
    private static DisputeChange? CaseTick(Dispute d, DateTimeOffset now)
    {
        var (kind, due, warnAt, warned, overdue) = d.CaseStatus switch
        {
            CaseStatus.Pending => (DeadlineKind.CaseAcceptance, d.CaseAcceptDueAt, d.CaseAcceptWarnAt, d.CaseAcceptWarned, d.CaseAcceptOverdue),
            CaseStatus.Accepted => (DeadlineKind.Mediation, d.MediationDueAt, d.MediationWarnAt, d.MediationWarned, d.MediationOverdue),
            _ => (DeadlineKind.Unspecified, null, null, true, true),
        };
        if (due is not { } dueAt || overdue)
        {
            return null;
        }
        if (now >= dueAt)
        {
            return Emit(d, d.DisputeId, Actor.System, now, new DeadlineOverdue(kind, dueAt));
        }
        if (!warned && warnAt is { } w && w <= now)
        {
            return Emit(d, d.DisputeId, Actor.System, now, new DeadlineWarning(kind, dueAt));
        }
        return null;
    }

    // The escalation event, with the regulator's acceptance deadline when the policy is known.
    private static DisputeEscalated Escalation(EscalationReason reason, string note, DateTimeOffset now, EffectivePolicy? policy)
    {
        if (policy is null)
        {
            return new DisputeEscalated(reason, note);
        }
        var (due, warn) = policy.CaseAcceptanceFrom(now);
        return new DisputeEscalated(reason, note) { AcceptDueAt = due, AcceptWarnAt = warn };
    }

    private static void RequirePendingCase(Dispute d, Actor actor, string action)
    {
        RequireStatus(d, action, DisputeStatus.Escalated);
        RequireCaseHandler(d, actor);
        if (d.CaseStatus != CaseStatus.Pending)
        {
            throw State(d, $"cannot {action}: the case has already been accepted");
        }
    }
}
