using ResolutionGateway.Core.Directory;
using ResolutionGateway.Core.Errors;
using ResolutionGateway.Core.Policies;
using ResolutionGateway.Core.UseCases;
using ResolutionGateway.Core.Validation;

namespace ResolutionGateway.Core.Disputes;

/// <summary>
/// The state machine: each method checks that a move is legal in the current state and returns the
/// events it produces with the resulting state. Pure: no I/O, time passed in.
/// </summary>
public static partial class DisputeRules
{
    /// <summary>Opens a dispute prefilled from the merchant and store registry.</summary>
    public static DisputeChange Open(
        OpenDisputeCommand c, string channelId, MerchantRecord? merchant, StoreRecord? store, IRegionPolicyProvider policies, DateTimeOffset now)
    {
        var o = c.Order;
        var regionCode = store?.RegionCode ?? o.RegionCode;
        if (string.IsNullOrEmpty(regionCode))
        {
            throw new ValidationException("order.region_code",
                "required when the store is not registered with the gateway (it decides the regulator and the rules)");
        }
        // A disabled merchant or store is out of the scheme as an unenrolled merchant is (issue 17).
        var enrolled = merchant is { Enabled: true } && store is not { Enabled: false };
        var effective = policies.For(regionCode);
        var policy = effective.Policy;
        var deadlines = effective.DeadlinesFrom(now);
        if (o.PaidAt < now - policy.PurchaseWindow)
        {
            throw new PreconditionFailedException("PURCHASE_WINDOW", "order.pay_time",
                $"the order was paid more than {policy.PurchaseWindow.TotalDays:0} days ago; disputes in region {regionCode} must be opened within that window");
        }
        var initial = new Dispute
        {
            DisputeId = Ids.New("dsp", now),
            Status = DisputeStatus.AwaitingMerchant,
            ChannelId = channelId,
            Consumer = c.Consumer,
            Order = o,
            MerchantId = o.MerchantId,
            MerchantName = merchant?.DisplayName ?? o.MerchantName,
            StoreId = o.StoreId,
            StoreName = store?.DisplayName ?? o.StoreName,
            RegionCode = regionCode,
            MerchantEnrolled = enrolled,
            Category = c.Category,
            Demand = c.Demand with { Amount = RemedyRules.Normalize(c.Demand.Remedy, c.Demand.Amount, o.Amount!) },
            Description = c.Description,
            Evidence = c.Evidence,
            FirstResponseDueAt = deadlines.FirstResponseDue,
            FirstResponseWarnAt = deadlines.FirstResponseWarnAt,
            NegotiationDueAt = deadlines.NegotiationDue,
            NegotiationWarnAt = deadlines.NegotiationWarnAt,
            PolicyRegionPrefix = policy.RegionPrefix,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var change = Emit(null, initial.DisputeId, new Actor(ActorRole.Consumer, c.Consumer.ConsumerRef), now, new DisputeOpened(initial));
        if (!enrolled)
        {
            // Merchants outside the scheme cannot be asked to answer: the regulator takes the case.
            change = Then(change, Emit(change.State, initial.DisputeId, Actor.System, now,
                Escalation(EscalationReason.MerchantNotEnrolled, merchant is null
                    ? "the merchant is not enrolled; the regulator handles the case"
                    : "the merchant or its store is disabled; the regulator handles the case", now, effective)));
        }
        return change;
    }

    /// <summary>A message from the consumer, the merchant, or (on escalated disputes) the regulator.</summary>
    public static DisputeChange PostMessage(Dispute d, Actor actor, PostMessageCommand c, DateTimeOffset now)
    {
        RequireOpen(d, "post a message");
        if (actor.Role == ActorRole.Regulator && d.Status != DisputeStatus.Escalated)
        {
            throw State(d, "the regulator joins the conversation once the dispute is escalated");
        }
        return Emit(d, d.DisputeId, actor, now, new MessagePosted(c.Text, c.Evidence));
    }

    /// <summary>A merchant's offer; supersedes any pending one.</summary>
    public static DisputeChange MakeOffer(Dispute d, Actor actor, MakeOfferCommand c, DateTimeOffset now)
    {
        RequireStatus(d, "make an offer", DisputeStatus.AwaitingMerchant, DisputeStatus.Negotiating);
        var v = new Violations();
        RemedyRules.Check(v, c.Remedy, c.Amount, d.Order.Amount!, d.Category, "remedy", "amount");
        v.ThrowIfAny();
        var offer = new Offer(Ids.New("off", now), c.Remedy, RemedyRules.Normalize(c.Remedy, c.Amount, d.Order.Amount!), c.Note,
            OfferStatus.Pending, now);
        return Emit(d, d.DisputeId, actor, now, new OfferMade(offer, d.PendingOffer?.OfferId ?? ""));
    }

    /// <summary>The consumer accepts or rejects the pending offer.</summary>
    public static DisputeChange RespondToOffer(Dispute d, Actor actor, RespondToOfferCommand c, DateTimeOffset now, EffectivePolicy? policy = null)
    {
        RequireStatus(d, "answer an offer", DisputeStatus.Negotiating);
        if (d.PendingOffer is not { } pending || pending.OfferId != c.OfferId)
        {
            throw new PreconditionFailedException("OFFER", $"disputes/{d.DisputeId}/offers/{c.OfferId}",
                $"offer {c.OfferId} is not the pending offer of dispute {d.DisputeId}");
        }
        var accepted = c.Decision == OfferDecision.Accept;
        return Emit(d, d.DisputeId, actor, now, new OfferAnswered(c.OfferId, accepted, c.Note)
        {
            Terms = accepted ? TermsFor(new Settlement(pending.Remedy, pending.Amount), now, policy) : null,
        });
    }

    /// <summary>The merchant accepts the demand as stated ("one-second refund").</summary>
    public static DisputeChange AcceptDemand(Dispute d, Actor actor, AcceptDemandCommand c, DateTimeOffset now, EffectivePolicy? policy = null)
    {
        RequireStatus(d, "accept the demand", DisputeStatus.AwaitingMerchant, DisputeStatus.Negotiating);
        var settlement = new Settlement(d.Demand.Remedy, d.Demand.Amount);
        return Emit(d, d.DisputeId, actor, now, new DemandAccepted(settlement, c.Note) { Terms = TermsFor(settlement, now, policy) });
    }

    /// <summary>
    /// The consumer escalates to the regulator. <paramref name="policy"/> (the region's) sets the
    /// regulator's acceptance deadline; without it the case has none.
    /// </summary>
    public static DisputeChange Escalate(Dispute d, Actor actor, EscalateDisputeCommand c, DateTimeOffset now, EffectivePolicy? policy = null)
    {
        RequireStatus(d, "escalate", DisputeStatus.AwaitingMerchant, DisputeStatus.Negotiating);
        if (d.Status == DisputeStatus.AwaitingMerchant && now < d.FirstResponseDueAt)
        {
            throw new PreconditionFailedException("FIRST_RESPONSE_PENDING", $"disputes/{d.DisputeId}",
                $"the merchant has until {d.FirstResponseDueAt:yyyy-MM-dd'T'HH:mm:ss'Z'} to respond; escalation is possible after that or once negotiation has started");
        }
        return Emit(d, d.DisputeId, actor, now, Escalation(EscalationReason.ConsumerRequest, c.Note, now, policy));
    }

    /// <summary>The consumer withdraws an open dispute.</summary>
    public static DisputeChange Withdraw(Dispute d, Actor actor, WithdrawDisputeCommand c, DateTimeOffset now)
    {
        RequireOpen(d, "withdraw");
        return Emit(d, d.DisputeId, actor, now, new DisputeWithdrawn(c.Note));
    }

    /// <summary>The regulator records the result of mediation.</summary>
    public static DisputeChange RecordMediationOutcome(Dispute d, Actor actor, RecordMediationOutcomeCommand c, DateTimeOffset now, EffectivePolicy? policy = null)
    {
        RequireStatus(d, "record a mediation outcome", DisputeStatus.Escalated);
        RequireCaseHandler(d, actor);
        var settlement = c.Settlement;
        if (settlement is not null)
        {
            var v = new Violations();
            RemedyRules.Check(v, settlement.Remedy, settlement.Amount, d.Order.Amount!, d.Category, "settlement.remedy", "settlement.amount");
            v.ThrowIfAny();
            settlement = settlement with { Amount = RemedyRules.Normalize(settlement.Remedy, settlement.Amount, d.Order.Amount!) };
        }
        return Emit(d, d.DisputeId, actor, now, new MediationOutcomeRecorded(c.Outcome, settlement, c.Note)
        {
            Terms = c.Outcome == Outcome.ResolvedByMediation ? TermsFor(settlement, now, policy) : null,
        });
    }

    /// <summary>The consumer rates a closed dispute, once.</summary>
    public static DisputeChange Rate(Dispute d, Actor actor, RateResolutionCommand c, DateTimeOffset now)
    {
        if (!d.Status.IsClosed())
        {
            throw State(d, "a dispute can be rated once it is closed");
        }
        if (d.SatisfactionRating != 0)
        {
            throw new PreconditionFailedException("ALREADY_RATED", $"disputes/{d.DisputeId}", "the dispute has already been rated");
        }
        return Emit(d, d.DisputeId, actor, now, new ResolutionRated(c.Rating, c.Comment));
    }

    /// <summary>
    /// What the deadline worker does when a dispute's timer (<see cref="Dispute.NextTimerAt"/>) is
    /// due: escalate a missed first response or an expired negotiation window, else record the
    /// warnings that are due. Null when nothing is due. A missed deadline makes a pending warning
    /// pointless, so it is skipped. Decided from the state alone, so a second worker that
    /// looks at the same dispute after the first committed finds nothing to do. On an escalated
    /// dispute, the regulator's deadlines (<see cref="CaseTick"/>). <paramref name="policies"/> sets
    /// the acceptance deadline of the cases it escalates; without it they have none.
    /// </summary>
    public static DisputeChange? Tick(Dispute d, DateTimeOffset now, IRegionPolicyProvider? policies = null)
    {
        if (d.Status == DisputeStatus.Escalated)
        {
            return CaseTick(d, now);
        }
        if (d.Status == DisputeStatus.Resolved)
        {
            return SettlementTick(d, now);
        }
        var open = d.Status is DisputeStatus.AwaitingMerchant or DisputeStatus.Negotiating;
        if (d.Status == DisputeStatus.AwaitingMerchant && now >= d.FirstResponseDueAt)
        {
            return Emit(d, d.DisputeId, Actor.System, now, Escalation(EscalationReason.FirstResponseOverdue,
                $"the merchant did not respond by {Utc(d.FirstResponseDueAt)}; the regulator takes the case", now, policies?.For(d.RegionCode)));
        }
        if (open && now >= d.NegotiationDueAt)
        {
            return Emit(d, d.DisputeId, Actor.System, now, Escalation(EscalationReason.NegotiationExpired,
                $"negotiation did not settle the dispute by {Utc(d.NegotiationDueAt)}; the regulator takes the case", now, policies?.For(d.RegionCode)));
        }
        DisputeChange? change = null;
        if (d.Status == DisputeStatus.AwaitingMerchant && !d.FirstResponseWarned && d.FirstResponseWarnAt <= now)
        {
            change = Emit(d, d.DisputeId, Actor.System, now, new DeadlineWarning(DeadlineKind.FirstResponse, d.FirstResponseDueAt));
        }
        var current = change?.State ?? d;
        if (open && !current.NegotiationWarned && current.NegotiationWarnAt <= now)
        {
            var warning = Emit(current, d.DisputeId, Actor.System, now, new DeadlineWarning(DeadlineKind.Negotiation, d.NegotiationDueAt));
            change = change is null ? warning : Then(change, warning);
        }
        return change;
    }

    private static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static void RequireOpen(Dispute d, string action)
    {
        if (d.Status.IsClosed())
        {
            throw State(d, $"cannot {action}: the dispute is closed");
        }
    }

    private static void RequireStatus(Dispute d, string action, params DisputeStatus[] allowed)
    {
        if (Array.IndexOf(allowed, d.Status) < 0)
        {
            throw State(d, $"cannot {action} while the dispute is {Name(d.Status)} (allowed: {string.Join(", ", allowed.Select(Name))})");
        }
    }

    private static PreconditionFailedException State(Dispute d, string description) =>
        new("STATE", $"disputes/{d.DisputeId}", description);

    private static string Name(DisputeStatus s) => s switch
    {
        DisputeStatus.AwaitingMerchant => "AWAITING_MERCHANT",
        _ => s.ToString().ToUpperInvariant(),
    };

    private static DisputeChange Emit(Dispute? d, string disputeId, Actor actor, DateTimeOffset now, EventDetail detail)
    {
        var e = new DisputeEvent(disputeId, (d?.LastSeq ?? 0) + 1, now, actor, DisputeStatus.Unspecified, detail);
        var state = DisputeEvolution.Apply(d, e);
        return new DisputeChange(state, [e with { StatusAfter = state.Status }]);
    }

    private static DisputeChange Then(DisputeChange first, DisputeChange second) =>
        new(second.State, [.. first.Events, .. second.Events]);
}
