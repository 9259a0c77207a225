using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.UseCases;
using static ResolutionGateway.Core.Tests.TestSupport.Samples;

namespace ResolutionGateway.Core.Tests.TestSupport;

/// <summary>Every command of the state machine, each by the party that would send it.</summary>
public enum Move
{
    ConsumerMessage,
    MerchantMessage,
    RegulatorMessage,
    MakeOffer,
    AcceptCurrentOffer,
    RejectCurrentOffer,
    AcceptDemand,
    Escalate,
    Withdraw,
    MediationResolved,
    MediationUnresolved,
    Rate,
}

internal static class Moves
{
    public static DisputeChange Apply(Move move, Dispute d, DateTimeOffset now)
    {
        // With no offer on the table an unknown id is as good as any: the answer must be refused.
        var offerId = d.CurrentOffer?.OfferId ?? Ids.New("off", now);
        return move switch
        {
            Move.ConsumerMessage => DisputeRules.PostMessage(d, Consumer, Message(d), now),
            Move.MerchantMessage => DisputeRules.PostMessage(d, MerchantActor, Message(d), now),
            Move.RegulatorMessage => DisputeRules.PostMessage(d, Regulator, Message(d), now),
            Move.MakeOffer => DisputeRules.MakeOffer(d, MerchantActor, Offer(d), now),
            Move.AcceptCurrentOffer => DisputeRules.RespondToOffer(d, Consumer, Answer(d, offerId, OfferDecision.Accept), now),
            Move.RejectCurrentOffer => DisputeRules.RespondToOffer(d, Consumer, Answer(d, offerId, OfferDecision.Reject), now),
            Move.AcceptDemand => DisputeRules.AcceptDemand(d, MerchantActor, AcceptDemand(d), now),
            Move.Escalate => DisputeRules.Escalate(d, Consumer, Escalate(d), now),
            Move.Withdraw => DisputeRules.Withdraw(d, Consumer, Withdraw(d), now),
            Move.MediationResolved => DisputeRules.RecordMediationOutcome(d, Regulator,
                Mediation(d, Outcome.ResolvedByMediation, new Settlement(Remedy.PartialRefund, Cny(5_000))), now),
            Move.MediationUnresolved => DisputeRules.RecordMediationOutcome(d, Regulator, Mediation(d, Outcome.Unresolved, null), now),
            Move.Rate => DisputeRules.Rate(d, Consumer, Rate(d), now),
            _ => throw new ArgumentOutOfRangeException(nameof(move), move, null),
        };
    }
}
