using System.Globalization;
using Grpc.Core;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.IntegrationTests;

/// <summary>ReportingService.ListMerchantRankings through the real gRPC stack (issue 17): figures against the disputes' own states, order, minimum, roles, errors.</summary>
public abstract class RankingTests(GatewayFixture gw)
{
    // The default Rankings:MinimumDisputes.
    private const int Minimum = 10;

    private ReportingService.ReportingServiceClient Reporting(string? token) => new(gw.Invoker(token));

    private static string Request() => Guid.NewGuid().ToString();

    // Today ± 1 day in Beijing time, so a test running across midnight still covers its disputes.
    internal static ListMerchantRankingsRequest Around(Scenario s, string region = "330106")
    {
        var beijing = s.Now.ToOffset(TimeSpan.FromHours(8));
        return new ListMerchantRankingsRequest
        {
            RegionPrefix = region,
            FromDate = beijing.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ToDate = beijing.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Limit = 1000,
        };
    }

    // `count` disputes against the merchant: every third settled by an accepted offer and rated
    // (ratings 5, 4, 3...), every third withdrawn, the rest left open; one settled by the merchant
    // accepting the demand. Returns their final states.
    internal static async Task<List<Dispute>> HistoryAsync(Scenario s, string merchantId, int count)
    {
        var merchant = merchantId == s.MerchantId ? s.Merchant : s.OtherMerchant;
        var final = new List<Dispute>();
        for (var i = 0; i < count; i++)
        {
            var d = (await s.Channel.OpenDisputeAsync(s.OpenRequest(merchantId: merchantId, consumerRef: $"r{i}"))).Dispute;
            if (i == 0)
            {
                d = (await merchant.AcceptDemandAsync(new AcceptDemandRequest { RequestId = Request(), DisputeId = d.DisputeId })).Dispute;
            }
            else if (i % 3 == 1)
            {
                var offer = await merchant.MakeOfferAsync(new MakeOfferRequest { RequestId = Request(), DisputeId = d.DisputeId, Remedy = Remedy.Repair });
                await s.Channel.RespondToOfferAsync(new RespondToOfferRequest { RequestId = Request(), DisputeId = d.DisputeId, OfferId = offer.Offer.OfferId, Decision = OfferDecision.Accept });
                d = (await s.Channel.RateResolutionAsync(new RateResolutionRequest { RequestId = Request(), DisputeId = d.DisputeId, Rating = 5 - (i / 3 % 3) })).Dispute;
            }
            else if (i % 3 == 2)
            {
                d = (await s.Channel.WithdrawDisputeAsync(new WithdrawDisputeRequest { RequestId = Request(), DisputeId = d.DisputeId })).Dispute;
            }
            final.Add(d);
        }
        return final;
    }

    [Fact]
    public async Task ListMerchantRankings_AfterRealFlows_FiguresEqualTheDisputesAndSmallMerchantsLeftOut()
    {
        var s = await Scenario.CreateAsync(gw);
        var disputes = await HistoryAsync(s, s.MerchantId, Minimum + 1);
        await HistoryAsync(s, s.OtherMerchantId, Minimum - 1);

        var r = await Reporting(gw.AdminToken).ListMerchantRankingsAsync(Around(s));

        Assert.Equal(Minimum, r.MinimumDisputes);
        Assert.Equal("330106", r.EffectiveRegionPrefix);
        Assert.DoesNotContain(r.Rankings, l => l.MerchantId == s.OtherMerchantId);
        var line = Assert.Single(r.Rankings, l => l.MerchantId == s.MerchantId);
        // The raw figures, from the disputes' own states.
        var responded = disputes.Where(d => d.FirstResponseTime is not null).ToArray();
        var concluded = disputes.Count(d => d.Outcome is Outcome.ResolvedByNegotiation or Outcome.ResolvedByMediation or Outcome.Unresolved);
        var rated = disputes.Where(d => d.SatisfactionRating > 0).ToArray();
        Assert.Equal(disputes.Count, line.DisputesReceived);
        Assert.Equal(responded.Length, line.FirstResponded);
        Assert.Equal(concluded, line.Concluded);
        Assert.Equal(disputes.Count(d => d.Outcome == Outcome.ResolvedByNegotiation) / (double)concluded, line.NegotiationSettlementRate);
        Assert.Equal(1.0, line.OnTimeFirstResponseRate);
        Assert.Equal(0, line.Overdue);
        Assert.Equal(rated.Length, line.Rated);
        Assert.Equal(rated.Average(d => d.SatisfactionRating), line.AverageSatisfaction, 9);
        // Responses came within the test's seconds: the median lies in the histogram's first bucket.
        var histogramBucket = (await Reporting(gw.AdminToken).GetResolutionStatsAsync(new GetResolutionStatsRequest
        {
            Filter = new ReportFilter { FromDate = Around(s).FromDate, ToDate = Around(s).ToDate, MerchantId = s.MerchantId },
        })).HistogramBoundsSeconds[0];
        Assert.InRange(line.FirstResponseMedianSeconds, 0, histogramBucket);
        Assert.True(line.Rank >= 1);
    }

    [Fact]
    public async Task ListMerchantRankings_OrderBy_BestFirstAndRanksNumbered()
    {
        var s = await Scenario.CreateAsync(gw);
        var mine = await HistoryAsync(s, s.MerchantId, Minimum);
        var other = await HistoryAsync(s, s.OtherMerchantId, Minimum + 2);
        var request = Around(s);
        request.OrderBy = RankingOrder.DisputesReceived;

        var byCount = await Reporting(gw.AdminToken).ListMerchantRankingsAsync(request);
        request.OrderBy = RankingOrder.Overdue;
        var byOverdue = await Reporting(gw.AdminToken).ListMerchantRankingsAsync(request);

        Assert.Equal(Enumerable.Range(1, byCount.Rankings.Count), byCount.Rankings.Select(l => l.Rank));
        Assert.Equal(byCount.Rankings.OrderByDescending(l => l.DisputesReceived).ThenBy(l => l.MerchantId, StringComparer.Ordinal).Select(l => l.MerchantId),
            byCount.Rankings.Select(l => l.MerchantId));
        var ours = byCount.Rankings.Where(l => l.MerchantId == s.MerchantId || l.MerchantId == s.OtherMerchantId).Select(l => l.MerchantId);
        Assert.Equal([s.OtherMerchantId, s.MerchantId], ours);
        Assert.Equal(byOverdue.Rankings.OrderByDescending(l => l.Overdue).ThenBy(l => l.MerchantId, StringComparer.Ordinal).Select(l => l.MerchantId),
            byOverdue.Rankings.Select(l => l.MerchantId));
        Assert.Equal((long)mine.Count, byCount.Rankings.Single(l => l.MerchantId == s.MerchantId).DisputesReceived);
        Assert.Equal((long)other.Count, byCount.Rankings.Single(l => l.MerchantId == s.OtherMerchantId).DisputesReceived);
    }

    [Fact]
    public async Task ListMerchantRankings_ByRole_ReadersWithinScopeOthersRefused()
    {
        var s = await Scenario.CreateAsync(gw);
        await HistoryAsync(s, s.MerchantId, Minimum);
        var analyst = await gw.KeyAsync(CredentialRole.Analyst, "33");
        var hangzhou = await gw.KeyAsync(CredentialRole.Regulator, "3301");
        var jiangsu = await gw.KeyAsync(CredentialRole.Regulator, "32");

        var byAdmin = await Reporting(gw.AdminToken).ListMerchantRankingsAsync(Around(s));
        var byAnalyst = await Reporting(analyst).ListMerchantRankingsAsync(Around(s));
        var byRegulator = await Reporting(hangzhou).ListMerchantRankingsAsync(Around(s, region: ""));

        Assert.Contains(byAdmin.Rankings, l => l.MerchantId == s.MerchantId);
        Assert.Contains(byAnalyst.Rankings, l => l.MerchantId == s.MerchantId);
        Assert.Contains(byRegulator.Rankings, l => l.MerchantId == s.MerchantId);
        Assert.Equal("3301", byRegulator.EffectiveRegionPrefix);
        Assert.DoesNotContain((await Reporting(jiangsu).ListMerchantRankingsAsync(Around(s, region: ""))).Rankings, l => l.MerchantId == s.MerchantId);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => Reporting(jiangsu).ListMerchantRankingsAsync(Around(s)).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => Reporting(s.MerchantToken).ListMerchantRankingsAsync(Around(s)).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => Reporting(s.ChannelToken).ListMerchantRankingsAsync(Around(s)).ResponseAsync);
        // Rankings:Public is off by default: no key, no ranking.
        await RpcAssert.FailsWith(StatusCode.Unauthenticated, () => Reporting(null).ListMerchantRankingsAsync(Around(s)).ResponseAsync);
    }

    [Fact]
    public async Task ListMerchantRankings_BadRequest_InvalidArgumentNamingEachField()
    {
        var s = await Scenario.CreateAsync(gw);
        var inverted = Around(s);
        (inverted.FromDate, inverted.ToDate) = (inverted.ToDate, inverted.FromDate);

        var e = await RpcAssert.FailsWith(StatusCode.InvalidArgument, () => Reporting(gw.AdminToken).ListMerchantRankingsAsync(
            new ListMerchantRankingsRequest { RegionPrefix = "3", OrderBy = (RankingOrder)99, Limit = 1001 }).ResponseAsync);
        var backwards = await RpcAssert.FailsWith(StatusCode.InvalidArgument, () => Reporting(gw.AdminToken).ListMerchantRankingsAsync(inverted).ResponseAsync);

        Assert.Equal(["order_by", "limit", "from_date", "to_date", "region_prefix"], RpcAssert.Fields(e));
        Assert.Equal(["to_date"], RpcAssert.Fields(backwards));
    }
}

/// <summary>Rankings:Public on a gateway of its own: a published ranking needs no key.</summary>
public sealed class PublicRankingTests
{
    [Fact]
    public async Task ListMerchantRankings_PublicWithoutKey_AggregatesOnlyKeysStillChecked()
    {
        var gw = new GatewayFixture(null, "--Rankings:Public=true", "--Rankings:MinimumDisputes=2");
        try
        {
            await gw.InitializeAsync();
            var s = await Scenario.CreateAsync(gw);
            await RankingTests.HistoryAsync(s, s.MerchantId, 2);
            await RankingTests.HistoryAsync(s, s.OtherMerchantId, 1);

            var r = await new ReportingService.ReportingServiceClient(gw.Invoker(null)).ListMerchantRankingsAsync(RankingTests.Around(s));

            Assert.Equal(2, r.MinimumDisputes);
            Assert.Equal([s.MerchantId], r.Rankings.Select(l => l.MerchantId));
            Assert.Equal(2, r.Rankings[0].DisputesReceived);
            await RpcAssert.FailsWith(StatusCode.Unauthenticated, () =>
                new ReportingService.ReportingServiceClient(gw.Invoker("not-a-key")).ListMerchantRankingsAsync(RankingTests.Around(s)).ResponseAsync);
            await RpcAssert.FailsWith(StatusCode.PermissionDenied, () =>
                new ReportingService.ReportingServiceClient(gw.Invoker(s.MerchantToken)).ListMerchantRankingsAsync(RankingTests.Around(s)).ResponseAsync);
            // Only the ranking is public.
            await RpcAssert.FailsWith(StatusCode.Unauthenticated, () =>
                new ReportingService.ReportingServiceClient(gw.Invoker(null)).GetResolutionStatsAsync(new GetResolutionStatsRequest()).ResponseAsync);
        }
        finally
        {
            await gw.DisposeAsync();
        }
    }
}
