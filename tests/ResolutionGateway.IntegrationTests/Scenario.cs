using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.IntegrationTests;

/// <summary>
/// A small world on a running gateway: a channel, an enrolled merchant with a Hangzhou store, a
/// second merchant, and credentials for each party. Ids carry a random suffix so tests sharing a
/// gateway never see each other's data.
/// </summary>
public sealed class Scenario
{
    public const string Mobile = "13800001234";

    private Scenario(GatewayFixture gw, string suffix)
    {
        Gateway = gw;
        Suffix = suffix;
    }

    public GatewayFixture Gateway { get; }

    /// <summary>The gateway's clock (a test's fake clock where one is used).</summary>
    public DateTimeOffset Now => Gateway.Services.GetRequiredService<TimeProvider>().GetUtcNow();
    public string Suffix { get; }
    public string ChannelId => "pay-" + Suffix;
    public string OtherChannelId => "shop-" + Suffix;
    public string MerchantId => "tea-" + Suffix;
    public string OtherMerchantId => "noodle-" + Suffix;
    public string StoreId => "xihu-1";
    public DisputeService.DisputeServiceClient Channel { get; private set; } = null!;
    public DisputeService.DisputeServiceClient OtherChannel { get; private set; } = null!;
    public DisputeService.DisputeServiceClient Merchant { get; private set; } = null!;
    public DisputeService.DisputeServiceClient OtherMerchant { get; private set; } = null!;
    public DisputeService.DisputeServiceClient Hangzhou { get; private set; } = null!;
    public DisputeService.DisputeServiceClient Jiangsu { get; private set; } = null!;
    public DisputeService.DisputeServiceClient AdminReader { get; private set; } = null!;
    public string ChannelToken { get; private set; } = "";
    public string MerchantToken { get; private set; } = "";

    public static async Task<Scenario> CreateAsync(GatewayFixture gw)
    {
        var s = new Scenario(gw, Guid.NewGuid().ToString("N")[..8]);
        var admin = gw.Admin();
        await admin.RegisterChannelAsync(new RegisterChannelRequest { ChannelId = s.ChannelId, DisplayName = "Pay" });
        await admin.RegisterChannelAsync(new RegisterChannelRequest { ChannelId = s.OtherChannelId, DisplayName = "Shop" });
        await admin.EnrollMerchantAsync(new EnrollMerchantRequest { MerchantId = s.MerchantId, DisplayName = "West Lake Tea House" });
        await admin.EnrollMerchantAsync(new EnrollMerchantRequest { MerchantId = s.OtherMerchantId, DisplayName = "Noodle Bar" });
        await admin.UpsertStoreAsync(new UpsertStoreRequest
        {
            Store = new Store { MerchantId = s.MerchantId, StoreId = s.StoreId, DisplayName = "Tea House (Xihu)", Address = "1 Longjing Rd", RegionCode = "330106" },
        });
        s.ChannelToken = await gw.KeyAsync(CredentialRole.Channel, s.ChannelId);
        s.Channel = gw.Disputes(s.ChannelToken);
        s.OtherChannel = gw.Disputes(await gw.KeyAsync(CredentialRole.Channel, s.OtherChannelId));
        s.MerchantToken = await gw.KeyAsync(CredentialRole.Merchant, s.MerchantId);
        s.Merchant = gw.Disputes(s.MerchantToken);
        s.OtherMerchant = gw.Disputes(await gw.KeyAsync(CredentialRole.Merchant, s.OtherMerchantId));
        s.Hangzhou = gw.Disputes(await gw.KeyAsync(CredentialRole.Regulator, "3301"));
        s.Jiangsu = gw.Disputes(await gw.KeyAsync(CredentialRole.Regulator, "32"));
        s.AdminReader = gw.Disputes(gw.AdminToken);
        return s;
    }

    /// <summary>A valid open request for an order of this scenario's merchant, paid an hour ago.</summary>
    public OpenDisputeRequest OpenRequest(string? orderId = null, string? merchantId = null, string consumerRef = "c-1")
    {
        var r = new OpenDisputeRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Order = new OrderContext
            {
                ChannelOrderId = orderId ?? "o-" + Guid.NewGuid().ToString("N")[..12],
                MerchantId = merchantId ?? MerchantId,
                StoreId = StoreId,
                Amount = new Money { CurrencyCode = "CNY", MinorUnits = 12_800 },
                PayTime = Timestamp.FromDateTimeOffset(Now.AddHours(-1)),
                PaymentMethod = "alipay",
                MerchantName = "Tea (bill)",
                StoreName = "Tea store (bill)",
                RegionCode = "330106",
            },
            Consumer = new Consumer { ConsumerRef = consumerRef, Name = "Li Hua", Mobile = Mobile },
            Category = Category.Quality,
            Demand = new Demand { Remedy = Remedy.FullRefund },
            Description = "The tea was stale.",
        };
        r.Order.LineItems.Add(new LineItem { Name = "Longjing 250g", Quantity = 1, UnitPrice = new Money { CurrencyCode = "CNY", MinorUnits = 12_800 } });
        r.Evidence.Add(new EvidenceRef { Uri = "https://cdn.example/e/1.jpg", Sha256 = new string('a', 64), ContentType = "image/jpeg", SizeBytes = 1234 });
        return r;
    }

    public async Task<Dispute> OpenAsync(string? orderId = null, string consumerRef = "c-1") =>
        (await Channel.OpenDisputeAsync(OpenRequest(orderId, consumerRef: consumerRef))).Dispute;

    /// <summary>Opens a dispute, has the merchant reply and make a partial-refund offer.</summary>
    public async Task<(Dispute Dispute, Offer Offer)> OpenWithOfferAsync()
    {
        var d = await OpenAsync();
        var offer = await Merchant.MakeOfferAsync(new MakeOfferRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            DisputeId = d.DisputeId,
            Remedy = Remedy.PartialRefund,
            Amount = new Money { CurrencyCode = "CNY", MinorUnits = 6_400 },
            Note = "half back",
        });
        return (offer.Dispute, offer.Offer);
    }

    public async Task<IReadOnlyList<DisputeEvent>> EventsAsync(string disputeId)
    {
        var r = await AdminReader.ListDisputeEventsAsync(new ListDisputeEventsRequest { DisputeId = disputeId, PageSize = 500 });
        return r.Events;
    }
}

public static class RpcAssert
{
    /// <summary>Awaits the call and asserts it failed with <paramref name="code"/>.</summary>
    public static async Task<RpcException> FailsWith(StatusCode code, Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<RpcException>(call);
        Assert.True(e.StatusCode == code, $"expected {code}, got {e.StatusCode}: {e.Status.Detail}");
        return e;
    }

    /// <summary>The field names of the BadRequest violations in an INVALID_ARGUMENT error.</summary>
    public static IReadOnlyList<string> Fields(RpcException e)
    {
        var status = e.GetRpcStatus();
        var badRequest = status?.GetDetail<Google.Rpc.BadRequest>();
        Assert.NotNull(badRequest);
        return badRequest.FieldViolations.Select(v => v.Field).ToArray();
    }
}
