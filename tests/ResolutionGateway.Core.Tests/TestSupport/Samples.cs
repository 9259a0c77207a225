using System.Security.Cryptography;
using ResolutionGateway.Core.Directory;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Policies;
using ResolutionGateway.Core.UseCases;

namespace ResolutionGateway.Core.Tests.TestSupport;

/// <summary>One tea-set order bought in Hangzhou through a payment app, and the commands around it.</summary>
internal static class Samples
{
    /// <summary>Whole milliseconds, as <see cref="Clock.Now"/> produces.</summary>
    public static readonly DateTimeOffset Start = new(2025, 11, 11, 2, 0, 0, TimeSpan.Zero);

    public const string ChannelId = "alipay";
    public const string MerchantId = "m_west_lake_tea";
    public const string StoreId = "s_hubin";
    public const string ConsumerRef = "c_8f3a21";
    public const string RegionCode = "330106";
    /// <summary>CNY 258.00.</summary>
    public const long OrderFen = 25_800;

    public static MerchantRecord Merchant { get; } = new(MerchantId, "West Lake Tea Co. (enrolled)", Start.AddDays(-365));

    public static StoreRecord Store { get; } = new(MerchantId, StoreId, "Hubin Flagship (registered)", "1 Hubin Rd", RegionCode);

    /// <summary>Only the built-in national default (96 h, 7 days, 30 days) and the plain "CN" calendar.</summary>
    public static IRegionPolicyProvider NationalPolicies { get; } = PolicySet.BuiltIn;

    public static Actor Consumer { get; } = new(ActorRole.Consumer, ConsumerRef);

    public static Actor MerchantActor { get; } = new(ActorRole.Merchant, MerchantId);

    public static Actor Regulator { get; } = new(ActorRole.Regulator, "33");

    public static Money Cny(long fen) => new("CNY", fen);

    public static string RequestId() => Guid.NewGuid().ToString();

    public static EvidenceRef Evidence(int i = 0) => new(
        $"https://cdn.example.com/evidence/{i}.jpg", Convert.ToHexStringLower(SHA256.HashData([(byte)i])), "image/jpeg", 2048);

    public static OrderContext Order(DateTimeOffset paidAt, string regionCode = "", long amountFen = OrderFen) => new(
        "ord-20251110-0001", MerchantId, StoreId, Cny(amountFen), paidAt,
        [new LineItem("sku-1", "Longjing tea set", 1, Cny(amountFen))], "alipay",
        "West Lake Tea (as billed)", "Hubin store (as billed)", regionCode, "1 Hubin Rd (as billed)");

    public static OpenDisputeCommand OpenCommand(OrderContext order, Demand? demand = null, Category category = Category.Quality) => new(
        RequestId(), order, new ConsumerInfo(ConsumerRef, "Li Lei", "13800001234"), category,
        demand ?? new Demand(Remedy.PartialRefund, Cny(10_000)), "The tea set arrived with a cracked pot.", [Evidence()]);

    public static PostMessageCommand Message(Dispute d, string text = "Please look at the photo.") =>
        new(RequestId(), d.DisputeId, text, []);

    public static MakeOfferCommand Offer(Dispute d, Remedy remedy = Remedy.PartialRefund, Money? amount = null) =>
        new(RequestId(), d.DisputeId, remedy, amount ?? (remedy == Remedy.PartialRefund ? Cny(8_000) : null), "our offer");

    public static RespondToOfferCommand Answer(Dispute d, string offerId, OfferDecision decision) =>
        new(RequestId(), d.DisputeId, offerId, decision, "");

    public static AcceptDemandCommand AcceptDemand(Dispute d) => new(RequestId(), d.DisputeId, "refund on its way");

    public static EscalateDisputeCommand Escalate(Dispute d) => new(RequestId(), d.DisputeId, "no answer");

    public static WithdrawDisputeCommand Withdraw(Dispute d) => new(RequestId(), d.DisputeId, "sorted it out myself");

    public static RecordMediationOutcomeCommand Mediation(Dispute d, Outcome outcome, Settlement? settlement) =>
        new(RequestId(), d.DisputeId, outcome, settlement, "mediated by phone");

    public static RateResolutionCommand Rate(Dispute d, int rating = 5) => new(RequestId(), d.DisputeId, rating, "");
}
