using System.Security.Cryptography;
using ResolutionGateway.Core.Directory;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Policies;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Core.UseCases;
using ResolutionGateway.Infrastructure.Persistence;

namespace ResolutionGateway.Infrastructure.Tests.TestSupport;

/// <summary>Disputes and changes made by the real rules.</summary>
internal static class Samples
{
    public static readonly IRegionPolicyProvider Policies =
        PolicySet.BuiltIn;

    public static DateTimeOffset Now() => Clock.Now(TimeProvider.System);

    public static string Unique(string prefix) => prefix + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));

    public static DisputeChange Open(string channelId, string consumerRef, string merchantId, string regionCode,
        bool enrolled = true, string? orderId = null)
    {
        var now = Now();
        var order = new OrderContext(orderId ?? Unique("ord"), merchantId, "st1", new Money("CNY", 10_000), now.AddDays(-1), [],
            "wechat", "商户", "门店", regionCode, "杭州市西湖区");
        var command = new OpenDisputeCommand(Unique("req"), order, new ConsumerInfo(consumerRef, "张三", "13800138000"),
            Category.Quality, new Demand(Remedy.FullRefund, null), "屏幕坏了", []);
        var merchant = enrolled ? new MerchantRecord(merchantId, "商户", now) : null;
        return DisputeRules.Open(command, channelId, merchant, null, Policies, now);
    }

    /// <summary>
    /// A moment of its own, far in the past, for tests that ask the store what is due "now": every
    /// call returns a start 60 days before the previous call's, and nothing else in the database is
    /// that old, so what is due at a test's moments (up to 60 days after its start) is only what
    /// that test made.
    /// </summary>
    public static DateTimeOffset PastBand() =>
        BandOrigin.AddDays(-60 * Interlocked.Increment(ref _bands));

    private static readonly DateTimeOffset BandOrigin = new(2016, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static long _bands;

    /// <summary>Like <see cref="Open"/>, but decided at <paramref name="at"/> (whole milliseconds) with an order paid the day before.</summary>
    public static DisputeChange OpenAt(DateTimeOffset at, string channelId, string consumerRef, string merchantId, string regionCode,
        bool enrolled = true, string? orderId = null)
    {
        var order = new OrderContext(orderId ?? Unique("ord"), merchantId, "st1", new Money("CNY", 10_000), at.AddDays(-1), [],
            "wechat", "商户", "门店", regionCode, "杭州市西湖区");
        var command = new OpenDisputeCommand(Unique("req"), order, new ConsumerInfo(consumerRef, "张三", "13800138000"),
            Category.Quality, new Demand(Remedy.FullRefund, null), "屏幕坏了", []);
        var merchant = enrolled ? new MerchantRecord(merchantId, "商户", at) : null;
        return DisputeRules.Open(command, channelId, merchant, null, Policies, at);
    }

    /// <summary>A consumer message posted at <paramref name="at"/>.</summary>
    public static DisputeChange PostAt(Dispute d, string text, DateTimeOffset at) =>
        DisputeRules.PostMessage(d, new Actor(ActorRole.Consumer, d.Consumer.ConsumerRef), new PostMessageCommand(Unique("req"), d.DisputeId, text, []), at);

    public static IdempotencyRecord OpenRequest(DisputeChange change, string? requestId = null) =>
        new("channel:" + change.State.ChannelId, requestId ?? Unique("req"), "OpenDispute", "hash", change.State.DisputeId, change.State.LastSeq, Now());

    public static IdempotencyRecord Request(string requestId, string method = "PostMessage", string party = "channel:any") =>
        new(party, requestId, method, "hash-" + requestId, "", 0, Now());

    public static DisputeChange Post(Dispute d, string text) =>
        DisputeRules.PostMessage(d, new Actor(ActorRole.Consumer, d.Consumer.ConsumerRef), new PostMessageCommand(Unique("req"), d.DisputeId, text, []), Now());

    public static DisputeChange Withdraw(Dispute d) =>
        DisputeRules.Withdraw(d, new Actor(ActorRole.Consumer, d.Consumer.ConsumerRef), new WithdrawDisputeCommand(Unique("req"), d.DisputeId, "never mind"), Now());

    public static string Json(Dispute d) => StoreJson.State(d);
}
