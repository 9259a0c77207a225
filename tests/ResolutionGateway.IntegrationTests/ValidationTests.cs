using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.IntegrationTests;

public abstract class ValidationTests(GatewayFixture gw)
{
    public static TheoryData<string, string> BadOpenRequests => new()
    {
        { "missing-mobile", "consumer.mobile" },
        { "bad-mobile", "consumer.mobile" },
        { "negative-amount", "order.amount.minor_units" },
        { "zero-amount", "order.amount.minor_units" },
        { "demand-over-order", "demand.amount" },
        { "partial-without-amount", "demand.amount" },
        { "unknown-category", "category" },
        { "empty-description", "description" },
        { "long-description", "description" },
        { "too-much-evidence", "evidence" },
        { "bad-digest", "evidence[0].sha256" },
        { "future-payment", "order.pay_time" },
        { "missing-request-id", "request_id" },
        { "bad-currency", "order.amount.currency_code" },
        { "unassigned-currency", "order.amount.currency_code" },
        { "foreign-mobile", "consumer.mobile" },
        { "foreign-mobile-with-plus", "consumer.mobile" },
        { "unregistered-store-without-region", "order.region_code" },
    };

    [Theory]
    [MemberData(nameof(BadOpenRequests))]
    public async Task OpenDispute_BadInput_InvalidArgumentNamingFieldAndNoTrace(string defect, string field)
    {
        var s = await Scenario.CreateAsync(gw);
        var r = s.OpenRequest(consumerRef: "bad");
        Break(r, defect);

        var e = await RpcAssert.FailsWith(StatusCode.InvalidArgument, () => s.Channel.OpenDisputeAsync(r).ResponseAsync);

        Assert.Contains(field, RpcAssert.Fields(e));
        Assert.Empty((await s.Channel.ListDisputesAsync(new ListDisputesRequest { ConsumerRef = "bad" })).Disputes);
        // The same request id is still free: nothing was recorded for it.
        var fixedRequest = s.OpenRequest(consumerRef: "bad");
        fixedRequest.RequestId = r.RequestId.Length > 0 ? r.RequestId : Guid.NewGuid().ToString();
        Assert.Equal(DisputeStatus.AwaitingMerchant, (await s.Channel.OpenDisputeAsync(fixedRequest)).Dispute.Status);
    }

    [Fact]
    public async Task OpenDispute_SeveralDefects_AllReportedTogether()
    {
        var s = await Scenario.CreateAsync(gw);
        var r = s.OpenRequest();
        Break(r, "bad-mobile");
        Break(r, "unknown-category");
        Break(r, "empty-description");

        var e = await RpcAssert.FailsWith(StatusCode.InvalidArgument, () => s.Channel.OpenDisputeAsync(r).ResponseAsync);

        Assert.Equal(["category", "consumer.mobile", "description"], RpcAssert.Fields(e).Order());
    }

    [Fact]
    public async Task OpenDispute_PaidBeyondPurchaseWindow_FailedPrecondition()
    {
        var s = await Scenario.CreateAsync(gw);
        var r = s.OpenRequest();
        r.Order.PayTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(-31));

        var e = await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => s.Channel.OpenDisputeAsync(r).ResponseAsync);

        Assert.Equal("PURCHASE_WINDOW", e.GetRpcStatus()!.GetDetail<Google.Rpc.PreconditionFailure>()!.Violations[0].Type);
    }

    [Fact]
    public async Task MutatingCalls_BadInput_InvalidArgumentAndLogUnchanged()
    {
        var s = await Scenario.CreateAsync(gw);
        var (d, offer) = await s.OpenWithOfferAsync();
        var id = d.DisputeId;
        var evidence = Enumerable.Range(0, 11).Select(_ => new EvidenceRef { Uri = "https://x/y", Sha256 = new string('b', 64), ContentType = "image/png", SizeBytes = 1 });
        var tooMuch = new PostMessageRequest { RequestId = "e", DisputeId = id, Text = "see" };
        tooMuch.Evidence.AddRange(evidence);

        var cases = new (Func<Task> Call, string Field)[]
        {
            (() => s.Channel.PostMessageAsync(new PostMessageRequest { RequestId = "1", DisputeId = id, Text = "" }).ResponseAsync, "text"),
            (() => s.Channel.PostMessageAsync(new PostMessageRequest { RequestId = "2", DisputeId = id, Text = new string('x', 2001) }).ResponseAsync, "text"),
            (() => s.Channel.PostMessageAsync(tooMuch).ResponseAsync, "evidence"),
            (() => s.Channel.PostMessageAsync(new PostMessageRequest { RequestId = "3", DisputeId = "nope", Text = "x" }).ResponseAsync, "dispute_id"),
            (() => s.Merchant.MakeOfferAsync(new MakeOfferRequest { RequestId = "4", DisputeId = id, Remedy = Remedy.PartialRefund,
                Amount = new Money { CurrencyCode = "CNY", MinorUnits = 999_999 } }).ResponseAsync, "amount"),
            (() => s.Merchant.MakeOfferAsync(new MakeOfferRequest { RequestId = "5", DisputeId = id, Remedy = Remedy.PartialRefund,
                Amount = new Money { CurrencyCode = "USD", MinorUnits = 100 } }).ResponseAsync, "amount.currency_code"),
            (() => s.Merchant.MakeOfferAsync(new MakeOfferRequest { RequestId = "6", DisputeId = id, Remedy = (Remedy)42 }).ResponseAsync, "remedy"),
            (() => s.Channel.RespondToOfferAsync(new RespondToOfferRequest { RequestId = "7", DisputeId = id, OfferId = offer.OfferId }).ResponseAsync, "decision"),
            (() => s.Channel.RateResolutionAsync(new RateResolutionRequest { RequestId = "8", DisputeId = id, Rating = 6 }).ResponseAsync, "rating"),
            (() => s.Channel.WithdrawDisputeAsync(new WithdrawDisputeRequest { DisputeId = id }).ResponseAsync, "request_id"),
        };

        foreach (var (call, field) in cases)
        {
            var e = await RpcAssert.FailsWith(StatusCode.InvalidArgument, call);
            Assert.Contains(field, RpcAssert.Fields(e));
        }
        Assert.Equal(2, (await s.EventsAsync(id)).Count);
    }

    [Fact]
    public async Task GetDispute_UnknownId_NotFound()
    {
        var s = await Scenario.CreateAsync(gw);

        await RpcAssert.FailsWith(StatusCode.NotFound, () =>
            s.AdminReader.GetDisputeAsync(new GetDisputeRequest { DisputeId = "dsp_00000000000000000000000000" }).ResponseAsync);
    }

    [Fact]
    public async Task AdminCalls_BadInput_InvalidArgumentOrFailedPrecondition()
    {
        var admin = gw.Admin();

        var badRegion = await RpcAssert.FailsWith(StatusCode.InvalidArgument, () => admin.UpsertStoreAsync(new UpsertStoreRequest
        {
            Store = new Store { MerchantId = "m", StoreId = "s", DisplayName = "S", RegionCode = "99" },
        }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => admin.UpsertStoreAsync(new UpsertStoreRequest
        {
            Store = new Store { MerchantId = "not-enrolled-" + Guid.NewGuid().ToString("N")[..6], StoreId = "s", DisplayName = "S", RegionCode = "330106" },
        }).ResponseAsync);
        var badScope = await RpcAssert.FailsWith(StatusCode.InvalidArgument, () =>
            admin.CreateApiKeyAsync(new CreateApiKeyRequest { Role = CredentialRole.Regulator, Scope = "3" }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () =>
            admin.CreateApiKeyAsync(new CreateApiKeyRequest { Role = CredentialRole.Channel, Scope = "never-registered" }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.NotFound, () =>
            admin.RevokeApiKeyAsync(new RevokeApiKeyRequest { KeyId = "key_00000000000000000000000000" }).ResponseAsync);

        Assert.Contains("store.region_code", RpcAssert.Fields(badRegion));
        Assert.Equal(["scope"], RpcAssert.Fields(badScope));
    }

    private static void Break(OpenDisputeRequest r, string defect)
    {
        switch (defect)
        {
            case "missing-mobile": r.Consumer.Mobile = ""; break;
            case "bad-mobile": r.Consumer.Mobile = "12345678901"; break;
            case "negative-amount": r.Order.Amount.MinorUnits = -5; break;
            case "zero-amount": r.Order.Amount.MinorUnits = 0; break;
            case "demand-over-order": r.Demand = new Demand { Remedy = Remedy.ReturnAndRefund, Amount = new Money { CurrencyCode = "CNY", MinorUnits = 12_801 } }; break;
            case "partial-without-amount": r.Demand = new Demand { Remedy = Remedy.PartialRefund }; break;
            case "unknown-category": r.Category = (Category)99; break;
            case "empty-description": r.Description = ""; break;
            case "long-description": r.Description = new string('x', 2001); break;
            case "too-much-evidence":
                for (var i = 0; i < 10; i++)
                {
                    r.Evidence.Add(r.Evidence[0].Clone());
                }
                break;
            case "bad-digest": r.Evidence[0].Sha256 = "not-hex"; break;
            case "future-payment": r.Order.PayTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(1)); break;
            case "missing-request-id": r.RequestId = ""; break;
            case "bad-currency": r.Order.Amount.CurrencyCode = "yuan"; break;
            case "unassigned-currency": r.Order.Amount.CurrencyCode = "ABC"; break;
            case "foreign-mobile": r.Consumer.Mobile = "+44 13800001234"; break;
            case "foreign-mobile-with-plus": r.Consumer.Mobile = "+1 380 000 1234"; break;
            case "unregistered-store-without-region": r.Order.StoreId = "unknown-store"; r.Order.RegionCode = ""; break;
            default: throw new ArgumentOutOfRangeException(nameof(defect), defect, null);
        }
    }
}
