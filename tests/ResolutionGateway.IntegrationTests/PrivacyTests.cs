using Grpc.Core;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.IntegrationTests;

public abstract class PrivacyTests(GatewayFixture gw)
{
    [Fact]
    public async Task MerchantViews_ConsumerMobile_MaskedEverywhereChannelAndRegulatorSeeFull()
    {
        var s = await Scenario.CreateAsync(gw);
        var d = await s.OpenAsync();

        var merchantGet = await s.Merchant.GetDisputeAsync(new GetDisputeRequest { DisputeId = d.DisputeId });
        var merchantList = await s.Merchant.ListDisputesAsync(new ListDisputesRequest());
        var merchantEvents = await s.Merchant.ListDisputeEventsAsync(new ListDisputeEventsRequest { DisputeId = d.DisputeId });
        var merchantOffer = await s.Merchant.MakeOfferAsync(new MakeOfferRequest { RequestId = "o", DisputeId = d.DisputeId, Remedy = Remedy.Repair });
        var regulator = await s.Hangzhou.GetDisputeAsync(new GetDisputeRequest { DisputeId = d.DisputeId });

        Assert.Equal(Scenario.Mobile, d.Consumer.Mobile);
        Assert.Equal("138****1234", merchantGet.Dispute.Consumer.Mobile);
        Assert.All(merchantList.Disputes, x => Assert.Equal("138****1234", x.Consumer.Mobile));
        Assert.Equal("138****1234", merchantEvents.Events[0].Opened.Dispute.Consumer.Mobile);
        Assert.Equal("138****1234", merchantOffer.Dispute.Consumer.Mobile);
        Assert.Equal(Scenario.Mobile, regulator.Dispute.Consumer.Mobile);
        Assert.DoesNotContain(Scenario.Mobile, merchantGet.ToString());
        Assert.DoesNotContain(Scenario.Mobile, merchantEvents.ToString());
    }

    [Fact]
    public async Task Logs_AfterFullFlowAndRejectedInput_NeverContainMobileNumbers()
    {
        var s = await Scenario.CreateAsync(gw);
        const string rejected = "13912345678000"; // too long: rejected, and must not be echoed either
        var bad = s.OpenRequest();
        bad.Consumer.Mobile = rejected;
        var (d, offer) = await s.OpenWithOfferAsync();

        var e = await RpcAssert.FailsWith(StatusCode.InvalidArgument, () => s.Channel.OpenDisputeAsync(bad).ResponseAsync);
        await s.Channel.RespondToOfferAsync(new RespondToOfferRequest { RequestId = "r", DisputeId = d.DisputeId, OfferId = offer.OfferId, Decision = OfferDecision.Accept });
        await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () =>
            s.Channel.WithdrawDisputeAsync(new WithdrawDisputeRequest { RequestId = "w", DisputeId = d.DisputeId }).ResponseAsync);

        Assert.DoesNotContain(rejected, e.Status.Detail);
        var logs = gw.Logs.ToArray();
        Assert.NotEmpty(logs); // the capture works: calls are logged
        Assert.Contains(logs, l => l.Contains("/resolution.v1.DisputeService/OpenDispute", StringComparison.Ordinal));
        Assert.DoesNotContain(logs, l => l.Contains(Scenario.Mobile, StringComparison.Ordinal) || l.Contains("1391234567", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MetricLabels_AfterFullFlow_NeverContainMobileNamesOrIds()
    {
        var s = await Scenario.CreateAsync(gw);
        var (d, offer) = await s.OpenWithOfferAsync();
        await s.Channel.RespondToOfferAsync(new RespondToOfferRequest { RequestId = "r", DisputeId = d.DisputeId, OfferId = offer.OfferId, Decision = OfferDecision.Accept });
        using var http = new HttpClient();

        var scrape = await http.GetStringAsync(gw.MetricsUrl);

        Assert.Contains("rg_disputes_closed_total{", scrape, StringComparison.Ordinal); // the scrape holds the flow's series
        Assert.DoesNotContain(Scenario.Mobile, scrape, StringComparison.Ordinal);
        Assert.DoesNotContain("Li Hua", scrape, StringComparison.Ordinal);
        Assert.DoesNotContain(d.DisputeId, scrape, StringComparison.Ordinal);
        Assert.DoesNotContain(s.MerchantId, scrape, StringComparison.Ordinal);
        Assert.DoesNotContain(s.ChannelId, scrape, StringComparison.Ordinal);
    }
}
