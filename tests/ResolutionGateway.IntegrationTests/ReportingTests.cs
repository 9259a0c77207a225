using Google.Protobuf;
using Grpc.Core;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.IntegrationTests;

/// <summary>ReportingService through the real gRPC stack: figures after real dispute flows, scopes, errors, the export stream.</summary>
public abstract class ReportingTests(GatewayFixture gw)
{
    private ReportingService.ReportingServiceClient Reporting(string? token = null) => new(gw.Invoker(token ?? gw.AdminToken));

    // Today ± 1 day in Beijing time, so a test running across midnight still covers its disputes.
    private static ReportFilter Around(Scenario s)
    {
        var beijing = s.Now.ToOffset(TimeSpan.FromHours(8));
        return new ReportFilter
        {
            FromDate = beijing.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ToDate = beijing.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    private static string Request() => Guid.NewGuid().ToString();

    // Four disputes: settled by an accepted offer and rated 5, withdrawn, still open, settled by the merchant accepting the demand.
    private static async Task<(Dispute Rated, Dispute Withdrawn, Dispute Open, Dispute Accepted)> LifecyclesAsync(Scenario s)
    {
        var (offered, offer) = await s.OpenWithOfferAsync();
        await s.Channel.RespondToOfferAsync(new RespondToOfferRequest { RequestId = Request(), DisputeId = offered.DisputeId, OfferId = offer.OfferId, Decision = OfferDecision.Accept });
        var rated = (await s.Channel.RateResolutionAsync(new RateResolutionRequest { RequestId = Request(), DisputeId = offered.DisputeId, Rating = 5 })).Dispute;
        var withdrawn = await s.OpenAsync(consumerRef: "c-2");
        withdrawn = (await s.Channel.WithdrawDisputeAsync(new WithdrawDisputeRequest { RequestId = Request(), DisputeId = withdrawn.DisputeId })).Dispute;
        var open = await s.OpenAsync(consumerRef: "c-3");
        var accepted = await s.OpenAsync(consumerRef: "c-4");
        accepted = (await s.Merchant.AcceptDemandAsync(new AcceptDemandRequest { RequestId = Request(), DisputeId = accepted.DisputeId })).Dispute;
        return (rated, withdrawn, open, accepted);
    }

    [Fact]
    public async Task GetResolutionStats_AfterRealFlows_CountsOutcomesRatesAndMoney()
    {
        var s = await Scenario.CreateAsync(gw);
        await LifecyclesAsync(s);
        var filter = Around(s);
        filter.ChannelId = s.ChannelId;

        var r = await Reporting().GetResolutionStatsAsync(new GetResolutionStatsRequest { Filter = filter });

        var t = r.Total;
        Assert.Equal((4L, 1L, 2L, 1L, 3L, 2L), (t.Opened, t.Open, t.ResolvedByNegotiation, t.Withdrawn, t.Closed, t.Concluded));
        Assert.Equal(1.0, t.NegotiationSettlementRate);
        Assert.Equal(1.0, t.ResolutionRate);
        Assert.Equal(0.0, t.EscalationRate);
        Assert.Equal((2L, 0L), (t.FirstResponseOnTime, t.FirstResponseLate));
        Assert.Equal(1.0, t.OnTimeFirstResponseRate);
        Assert.Equal(1.0, t.OnTimeCompletionRate);
        Assert.Equal(6_400 + 12_800, t.AgreedAmountFen);
        Assert.Equal(6_400 + 12_800, t.AgreedRefundFen);
        Assert.Equal(2, t.SettlementsWithAmount);
        Assert.Equal((1L, 5.0), (t.Rated, t.AverageSatisfaction));
        Assert.Equal(2, t.FirstResponded);
        Assert.InRange(t.FirstResponseP50Seconds, 0, 60); // answered within the test's seconds: the first bucket
        Assert.Equal(21, r.HistogramBoundsSeconds.Count);
        Assert.Equal(s.ChannelId, r.EffectiveFilter.ChannelId);
        Assert.Equal(PeriodBasis.Opened, r.EffectiveFilter.Basis);
    }

    [Fact]
    public async Task GetResolutionStats_GroupedByCategoryRegionAndMonth_ReadableKeys()
    {
        var s = await Scenario.CreateAsync(gw);
        await LifecyclesAsync(s);
        var filter = Around(s);
        filter.MerchantId = s.MerchantId;
        filter.Basis = PeriodBasis.Closed;

        var r = await Reporting().GetResolutionStatsAsync(new GetResolutionStatsRequest
        {
            Filter = filter,
            GroupBy = { GroupBy.Category, GroupBy.Region, GroupBy.Month },
            RegionLevel = 4,
        });

        var row = Assert.Single(r.Rows);
        Assert.Equal(["CATEGORY_QUALITY", "3301"], row.Keys.Take(2).Select(k => k.Value));
        Assert.Matches("^[0-9]{4}-[0-9]{2}-01$", row.Keys[2].Value);
        Assert.Equal([GroupBy.Category, GroupBy.Region, GroupBy.Month], row.Keys.Select(k => k.Dimension));
        Assert.Equal((3L, 0L, 3L), (row.Opened, row.Open, row.Closed)); // closed basis: the three closed disputes
        Assert.Equal(row.Opened, r.Total.Opened);
    }

    [Fact]
    public async Task GetResolutionStats_MerchantKey_SeesOnlyItsScorecard()
    {
        var s = await Scenario.CreateAsync(gw);
        await LifecyclesAsync(s);
        var merchant = Reporting(s.MerchantToken);

        var own = await merchant.GetResolutionStatsAsync(new GetResolutionStatsRequest { Filter = Around(s) });
        var asAdmin = await Reporting().GetResolutionStatsAsync(new GetResolutionStatsRequest { Filter = new ReportFilter(Around(s)) { MerchantId = s.MerchantId } });

        Assert.Equal(s.MerchantId, own.EffectiveFilter.MerchantId);
        Assert.Equal(asAdmin.Total, own.Total);
        Assert.Equal(4, own.Total.Opened);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () =>
            merchant.GetResolutionStatsAsync(new GetResolutionStatsRequest { Filter = new ReportFilter(Around(s)) { MerchantId = s.OtherMerchantId } }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, async () =>
        {
            using var call = merchant.ExportOutcomes(new ExportOutcomesRequest());
            await call.ResponseStream.MoveNext();
        });
    }

    [Fact]
    public async Task AnalystKey_RegionScoped_ReadsItsRegionOnlyAndNothingElse()
    {
        var s = await Scenario.CreateAsync(gw);
        await s.OpenAsync();
        var zhejiang = await gw.KeyAsync(CredentialRole.Analyst, "33");
        var jiangsu = await gw.KeyAsync(CredentialRole.Analyst, "32");
        var filter = new ReportFilter(Around(s)) { ChannelId = s.ChannelId };

        var seen = await Reporting(zhejiang).GetResolutionStatsAsync(new GetResolutionStatsRequest { Filter = filter });
        var unseen = await Reporting(jiangsu).GetResolutionStatsAsync(new GetResolutionStatsRequest { Filter = filter });

        Assert.Equal("33", seen.EffectiveFilter.RegionPrefix);
        Assert.Equal(1, seen.Total.Opened);
        Assert.Equal("32", unseen.EffectiveFilter.RegionPrefix);
        Assert.Equal(0, unseen.Total.Opened);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () =>
            Reporting(jiangsu).GetResolutionStatsAsync(new GetResolutionStatsRequest { Filter = new ReportFilter(filter) { RegionPrefix = "33" } }).ResponseAsync);
        // Read-only and reporting only: no disputes, no admin.
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => gw.Disputes(zhejiang).ListDisputesAsync(new ListDisputesRequest()).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => gw.Admin(zhejiang).ListApiKeysAsync(new ListApiKeysRequest()).ResponseAsync);
    }

    [Fact]
    public async Task CreateApiKey_AnalystScopeNotARegionPrefix_InvalidArgument()
    {
        var e = await RpcAssert.FailsWith(StatusCode.InvalidArgument, () =>
            gw.Admin().CreateApiKeyAsync(new CreateApiKeyRequest { Role = CredentialRole.Analyst, Scope = "3" }).ResponseAsync);

        Assert.Equal(["scope"], RpcAssert.Fields(e));
        Assert.NotEmpty((await gw.Admin().CreateApiKeyAsync(new CreateApiKeyRequest { Role = CredentialRole.Analyst, Scope = "" })).Token);
    }

    [Fact]
    public async Task GetResolutionStats_BadRequest_InvalidArgumentWithFieldViolations()
    {
        var e = await RpcAssert.FailsWith(StatusCode.InvalidArgument, () =>
            Reporting().GetResolutionStatsAsync(new GetResolutionStatsRequest
            {
                Filter = new ReportFilter { ToDate = "2026-02-30", RegionPrefix = "3x" },
                GroupBy = { GroupBy.Region, GroupBy.Region },
                RegionLevel = 5,
            }).ResponseAsync);

        Assert.Equal(["filter.from_date", "filter.to_date", "filter.region_prefix", "group_by[1]", "region_level"], RpcAssert.Fields(e));
    }

    [Fact]
    public async Task ExportOutcomes_ResumedFromCursor_ContinuesWithoutRepeatsOrPersonalData()
    {
        var s = await Scenario.CreateAsync(gw);
        var (rated, withdrawn, _, accepted) = await LifecyclesAsync(s);
        var filter = new ReportFilter { ChannelId = s.ChannelId };

        // A record is exported once the feed sequencer has given it a position, milliseconds after
        // its commit: wait (bounded) for the four.
        var all = await ExportAsync(new ExportOutcomesRequest { Filter = filter });
        for (var waited = 0; all.Count < 4 && waited < 50; waited++)
        {
            await Task.Delay(100);
            all = await ExportAsync(new ExportOutcomesRequest { Filter = filter });
        }
        var firstTwo = await ExportAsync(new ExportOutcomesRequest { Filter = filter, Limit = 2 });
        var rest = await ExportAsync(new ExportOutcomesRequest { Filter = filter, AfterCursor = firstTwo[^1].Cursor });

        // One record per closing, and another when the settled dispute was rated.
        Assert.Equal(4, all.Count);
        Assert.Equal(
            new[] { rated.DisputeId, rated.DisputeId, withdrawn.DisputeId, accepted.DisputeId }.Order(),
            all.Select(x => x.Outcome.DisputeId).Order());
        var ratedRecords = all.Where(x => x.Outcome.DisputeId == rated.DisputeId).Select(x => x.Outcome).ToArray();
        Assert.Equal([0, 5], ratedRecords.Select(o => o.SatisfactionRating));
        Assert.True(ratedRecords[0].Revision < ratedRecords[1].Revision);
        Assert.Equal(Outcome.ResolvedByNegotiation, ratedRecords[1].Outcome);
        Assert.Equal(6_400, ratedRecords[1].SettlementAmount.MinorUnits);
        Assert.Equal(all.Select(x => x.Cursor), firstTwo.Concat(rest).Select(x => x.Cursor));
        foreach (var x in all)
        {
            var json = JsonFormatter.Default.Format(x.Outcome);
            Assert.DoesNotContain(Scenario.Mobile, json, StringComparison.Ordinal);
            Assert.DoesNotContain("Li Hua", json, StringComparison.Ordinal);
            Assert.DoesNotContain("c-1", json, StringComparison.Ordinal);
        }
        // Nothing after the last record (until the next closing).
        Assert.Empty(await ExportAsync(new ExportOutcomesRequest { Filter = filter, AfterCursor = all[^1].Cursor }));
    }

    private async Task<List<ExportOutcomesResponse>> ExportAsync(ExportOutcomesRequest request)
    {
        using var call = Reporting().ExportOutcomes(request);
        var list = new List<ExportOutcomesResponse>();
        await foreach (var item in call.ResponseStream.ReadAllAsync())
        {
            list.Add(item);
        }
        return list;
    }
}
