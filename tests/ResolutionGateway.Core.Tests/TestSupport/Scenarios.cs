using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.UseCases;
using static ResolutionGateway.Core.Tests.TestSupport.Samples;

namespace ResolutionGateway.Core.Tests.TestSupport;

/// <summary>Scripted histories, each ending in a known state.</summary>
public enum Scenario
{
    AwaitingMerchant,
    NegotiatingWithPendingOffer,
    EscalatedByConsumer,
    EscalatedMerchantNotEnrolled,
    ResolvedByAcceptedOffer,
    ResolvedByAcceptedDemand,
    ResolvedByMediation,
    Unresolved,
    Withdrawn,
    RatedAfterResolution,
    EscalatedFirstResponseOverdue,
    EscalatedNegotiationExpired,
}

internal static class Scenarios
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    public static DisputeScript Build(Scenario scenario)
    {
        switch (scenario)
        {
            case Scenario.AwaitingMerchant:
                return DisputeScript.Open();

            case Scenario.NegotiatingWithPendingOffer:
            {
                var s = DisputeScript.Open();
                s.Then(2 * Hour, (d, now) => DisputeRules.PostMessage(d, MerchantActor, Message(d, "Sorry, checking."), now));
                s.Then(Hour, (d, now) => DisputeRules.MakeOffer(d, MerchantActor, Offer(d), now));
                return s;
            }

            case Scenario.EscalatedByConsumer:
            {
                var s = Build(Scenario.NegotiatingWithPendingOffer);
                s.Then(Hour, (d, now) => DisputeRules.PostMessage(d, Consumer, Message(d, "Not enough."), now));
                s.Then(Minute, (d, now) => DisputeRules.Escalate(d, Consumer, Escalate(d), now));
                return s;
            }

            case Scenario.EscalatedMerchantNotEnrolled:
                return DisputeScript.Open(merchantEnrolled: false);

            case Scenario.ResolvedByAcceptedOffer:
            {
                var s = DisputeScript.Open();
                s.Then(Hour, (d, now) => DisputeRules.PostMessage(d, Consumer, Message(d, "Any news?"), now));
                s.Then(Hour, (d, now) => DisputeRules.PostMessage(d, MerchantActor, Message(d, "Looking into it."), now));
                s.Then(Hour, (d, now) => DisputeRules.MakeOffer(d, MerchantActor, Offer(d, Remedy.Exchange), now));
                s.Then(Hour, (d, now) => DisputeRules.MakeOffer(d, MerchantActor, Offer(d, Remedy.PartialRefund, Cny(5_000)), now));
                s.Then(Hour, (d, now) => DisputeRules.RespondToOffer(d, Consumer, Answer(d, d.PendingOffer!.OfferId, OfferDecision.Reject), now));
                s.Then(Hour, (d, now) => DisputeRules.MakeOffer(d, MerchantActor, Offer(d, Remedy.PartialRefund, Cny(9_000)), now));
                s.Then(Hour, (d, now) => DisputeRules.RespondToOffer(d, Consumer, Answer(d, d.PendingOffer!.OfferId, OfferDecision.Accept), now));
                return s;
            }

            case Scenario.ResolvedByAcceptedDemand:
            {
                var s = DisputeScript.Open(demand: new Demand(Remedy.FullRefund, null));
                s.Then(10 * Minute, (d, now) => DisputeRules.AcceptDemand(d, MerchantActor, AcceptDemand(d), now));
                return s;
            }

            case Scenario.ResolvedByMediation:
            {
                var s = DisputeScript.Open(merchantEnrolled: false);
                s.Then(Hour, (d, now) => DisputeRules.PostMessage(d, Regulator, Message(d, "We will call the shop."), now));
                s.Then(Hour, (d, now) => DisputeRules.PostMessage(d, Consumer, Message(d, "Thank you."), now));
                s.Then(TimeSpan.FromDays(2), (d, now) => DisputeRules.RecordMediationOutcome(d, Regulator,
                    Mediation(d, Outcome.ResolvedByMediation, new Settlement(Remedy.PartialRefund, Cny(12_000))), now));
                return s;
            }

            case Scenario.Unresolved:
            {
                var s = DisputeScript.Open();
                s.Then(TimeSpan.FromHours(97), (d, now) => DisputeRules.Escalate(d, Consumer, Escalate(d), now));
                s.Then(Hour, (d, now) => DisputeRules.PostMessage(d, Regulator, Message(d, "Merchant unreachable."), now));
                s.Then(TimeSpan.FromDays(3), (d, now) => DisputeRules.RecordMediationOutcome(d, Regulator,
                    Mediation(d, Outcome.Unresolved, null), now));
                return s;
            }

            case Scenario.Withdrawn:
            {
                var s = DisputeScript.Open();
                s.Then(Hour, (d, now) => DisputeRules.MakeOffer(d, MerchantActor, Offer(d, Remedy.Repair), now));
                s.Then(Hour, (d, now) => DisputeRules.Withdraw(d, Consumer, Withdraw(d), now));
                return s;
            }

            case Scenario.RatedAfterResolution:
            {
                var s = Build(Scenario.ResolvedByAcceptedOffer);
                s.Then(TimeSpan.FromDays(1), (d, now) => DisputeRules.Rate(d, Consumer, Rate(d, 4), now));
                return s;
            }

            case Scenario.EscalatedFirstResponseOverdue:
            {
                // The merchant stays silent: warned 12 h ahead, escalated by the system at the deadline.
                var s = DisputeScript.Open();
                s.Then(s.State.FirstResponseWarnAt!.Value - s.Now, Tick);
                s.Then(s.State.FirstResponseDueAt - s.Now, Tick);
                return s;
            }

            case Scenario.EscalatedNegotiationExpired:
            {
                // The merchant answers, but nobody settles within the window.
                var s = DisputeScript.Open();
                s.Then(Hour, (d, now) => DisputeRules.PostMessage(d, MerchantActor, Message(d, "Let us talk."), now));
                s.Then(s.State.NegotiationWarnAt!.Value - s.Now, Tick);
                s.Then(s.State.NegotiationDueAt - s.Now, Tick);
                return s;
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(scenario), scenario, null);
        }
    }

    private static DisputeChange Tick(Dispute d, DateTimeOffset now) =>
        DisputeRules.Tick(d, now) ?? throw new InvalidOperationException($"no deadline timer is due at {now:O}");
}
