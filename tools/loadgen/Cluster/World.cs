using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.Tools.LoadGen.Cluster;

/// <summary>
/// The parties the load acts as, registered through AdminService on a fresh store: one channel
/// (a payment app), one merchant with a Hangzhou store, and their API keys. Orders are unique per
/// run (a random run id), so runs on the same database never collide.
/// </summary>
public sealed class World
{
    public const string MerchantId = "lg-tea";
    public const string StoreId = "xihu-1";
    public const string RegionCode = "330106";

    private World(string runId, string channelId, string channelKeyId, string channelToken, string merchantToken)
    {
        RunId = runId;
        ChannelKeyId = channelKeyId;
        ChannelId = channelId;
        ChannelHeaders = Bearer.Of(channelToken);
        MerchantHeaders = Bearer.Of(merchantToken);
    }

    public string RunId { get; }

    public string ChannelId { get; }

    /// <summary>The channel key's id (for SetKeyQuota).</summary>
    public string ChannelKeyId { get; }

    public Metadata ChannelHeaders { get; }

    public Metadata MerchantHeaders { get; }

    public static async Task<World> CreateAsync(string url, string adminToken, CancellationToken ct)
    {
        using var channel = GrpcChannel.ForAddress(url);
        var admin = new AdminService.AdminServiceClient(channel);
        var headers = Bearer.Of(adminToken);
        var runId = Guid.NewGuid().ToString("N")[..8];
        var channelId = "lg-pay";
        await admin.RegisterChannelAsync(new RegisterChannelRequest { ChannelId = channelId, DisplayName = "Loadgen Pay" }, headers, cancellationToken: ct);
        await admin.EnrollMerchantAsync(new EnrollMerchantRequest { MerchantId = MerchantId, DisplayName = "West Lake Tea House" }, headers, cancellationToken: ct);
        await admin.UpsertStoreAsync(new UpsertStoreRequest
        {
            Store = new Store { MerchantId = MerchantId, StoreId = StoreId, DisplayName = "Tea House (Xihu)", Address = "1 Longjing Rd", RegionCode = RegionCode },
        }, headers, cancellationToken: ct);
        var channelKey = await admin.CreateApiKeyAsync(new CreateApiKeyRequest { Role = CredentialRole.Channel, Scope = channelId, Description = "loadgen " + runId }, headers, cancellationToken: ct);
        var merchantKey = await admin.CreateApiKeyAsync(new CreateApiKeyRequest { Role = CredentialRole.Merchant, Scope = MerchantId, Description = "loadgen " + runId }, headers, cancellationToken: ct);
        return new World(runId, channelId, channelKey.Key.KeyId, channelKey.Token, merchantKey.Token);
    }

    private long _orders;

    /// <summary>A valid OpenDispute request for a new order (paid an hour ago), as a payment app sends it.</summary>
    public OpenDisputeRequest NewOpenRequest()
    {
        var n = Interlocked.Increment(ref _orders);
        var r = new OpenDisputeRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Order = new OrderContext
            {
                ChannelOrderId = $"o-{RunId}-{n}",
                MerchantId = MerchantId,
                StoreId = StoreId,
                Amount = new Money { CurrencyCode = "CNY", MinorUnits = 12_800 },
                PayTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(-1)),
                PaymentMethod = "alipay",
                MerchantName = "Tea (bill)",
                StoreName = "Tea store (bill)",
                RegionCode = RegionCode,
            },
            Consumer = new Consumer { ConsumerRef = $"c-{n % 5000}", Name = "Li Hua", Mobile = "13800001234" },
            Category = Category.Quality,
            Demand = new Demand { Remedy = Remedy.FullRefund },
            Description = "The tea was stale when it arrived; the seal was broken.",
        };
        r.Order.LineItems.Add(new LineItem { Name = "Longjing 250g", Quantity = 1, UnitPrice = new Money { CurrencyCode = "CNY", MinorUnits = 12_800 } });
        r.Evidence.Add(new EvidenceRef { Uri = "https://cdn.example/e/1.jpg", Sha256 = new string('a', 64), ContentType = "image/jpeg", SizeBytes = 123_456 });
        return r;
    }
}
