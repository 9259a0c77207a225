using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.IntegrationTests;

/// <summary>ListDisputes' filters (time ranges, category, region, deadline) and its next-deadline order (issue 17).</summary>
public abstract class DisputeListFilterTests(GatewayFixture gw)
{
    [Fact]
    public async Task ListDisputes_NextDeadlineOrder_PagesSoonestFirstEachOnceForEveryRole()
    {
        var s = await Scenario.CreateAsync(gw);
        var opened = new List<Dispute>();
        for (var i = 0; i < 6; i++)
        {
            opened.Add(await s.OpenAsync(consumerRef: "dl"));
        }
        // Two negotiating (the end of negotiation), one escalated after an offer (the regulator's acceptance),
        // one withdrawn (no deadline: left out), two awaiting the merchant (the first response).
        foreach (var i in new[] { 0, 1, 3 })
        {
            await s.Merchant.MakeOfferAsync(new MakeOfferRequest { RequestId = "o" + i, DisputeId = opened[i].DisputeId, Remedy = Remedy.Repair });
        }
        await s.Channel.EscalateDisputeAsync(new EscalateDisputeRequest { RequestId = "e", DisputeId = opened[1].DisputeId });
        await s.Channel.WithdrawDisputeAsync(new WithdrawDisputeRequest { RequestId = "w", DisputeId = opened[4].DisputeId });
        var current = await Task.WhenAll(opened.Select(d => s.AdminReader.GetDisputeAsync(new GetDisputeRequest { DisputeId = d.DisputeId }).ResponseAsync));
        var expected = current.Select(r => r.Dispute).Where(d => NextDeadline(d) is not null)
            .OrderBy(d => NextDeadline(d)).ThenBy(d => d.DisputeId, StringComparer.Ordinal).Select(d => d.DisputeId).ToArray();

        var byAdmin = await ListAllAsync(s.AdminReader, new ListDisputesRequest { MerchantId = s.MerchantId, OrderBy = DisputeOrder.NextDeadline, PageSize = 2 });
        var byMerchant = await ListAllAsync(s.Merchant, new ListDisputesRequest { OrderBy = DisputeOrder.NextDeadline, PageSize = 2 });
        var byRegulator = await ListAllAsync(s.Hangzhou, new ListDisputesRequest { MerchantId = s.MerchantId, OrderBy = DisputeOrder.NextDeadline, PageSize = 2 });
        var byChannel = await ListAllAsync(s.Channel, new ListDisputesRequest { ConsumerRef = "dl", OrderBy = DisputeOrder.NextDeadline, PageSize = 2 });

        Assert.Equal(5, expected.Length);
        Assert.NotEqual(opened.Where((_, i) => i != 4).Select(d => d.DisputeId), expected); // the order is not the opening order
        Assert.Equal(expected, byAdmin);
        Assert.Equal(expected, byMerchant);
        Assert.Equal(expected, byRegulator);
        Assert.Equal(expected, byChannel);
        Assert.Empty(await ListAllAsync(s.Jiangsu, new ListDisputesRequest { MerchantId = s.MerchantId, OrderBy = DisputeOrder.NextDeadline }));
    }

    [Fact]
    public async Task ListDisputes_DeadlineWithinHours_OnlyThoseDueByThen()
    {
        var s = await Scenario.CreateAsync(gw);
        var awaiting = await s.OpenAsync();
        var (escalated, _) = await s.OpenWithOfferAsync();
        await s.Channel.EscalateDisputeAsync(new EscalateDisputeRequest { RequestId = "e", DisputeId = escalated.DisputeId });
        escalated = (await s.AdminReader.GetDisputeAsync(new GetDisputeRequest { DisputeId = escalated.DisputeId })).Dispute;
        var soon = NextDeadline(awaiting)!.Value;
        var late = NextDeadline(escalated)!.Value;
        Assert.True(late - soon > TimeSpan.FromHours(3), $"deadlines {soon:O} and {late:O} too close for this test");
        // A bound an hour past the first response deadline, well before the regulator's.
        var hours = (int)Math.Ceiling((soon - s.Now).TotalHours) + 1;

        var within = await s.AdminReader.ListDisputesAsync(new ListDisputesRequest { MerchantId = s.MerchantId, DeadlineWithinHours = hours });
        var year = await s.AdminReader.ListDisputesAsync(new ListDisputesRequest { MerchantId = s.MerchantId, DeadlineWithinHours = 8760 });
        var passed = await s.AdminReader.ListDisputesAsync(new ListDisputesRequest { MerchantId = s.MerchantId, DeadlineWithinHours = 0 });
        var unfiltered = await s.AdminReader.ListDisputesAsync(new ListDisputesRequest { MerchantId = s.MerchantId });

        Assert.Equal([awaiting.DisputeId], within.Disputes.Select(d => d.DisputeId));
        Assert.Equal([escalated.DisputeId, awaiting.DisputeId], year.Disputes.Select(d => d.DisputeId));
        Assert.Empty(passed.Disputes);
        Assert.Equal(2, unfiltered.Disputes.Count);
    }

    [Fact]
    public async Task ListDisputes_TimeRangesCategoryAndRegion_SelectMatchingOnly()
    {
        var s = await Scenario.CreateAsync(gw);
        var first = await s.OpenAsync();
        await Task.Delay(5); // distinct opening milliseconds
        var priceRequest = s.OpenRequest();
        priceRequest.Category = Category.Price;
        var price = (await s.Channel.OpenDisputeAsync(priceRequest)).Dispute;
        await Task.Delay(5);
        var withdrawn = (await s.Channel.WithdrawDisputeAsync(new WithdrawDisputeRequest { RequestId = "w", DisputeId = first.DisputeId })).Dispute;
        ListDisputesRequest Mine() => new() { MerchantId = s.MerchantId };
        async Task<string[]> ListAsync(DisputeService.DisputeServiceClient who, ListDisputesRequest r) =>
            (await who.ListDisputesAsync(r)).Disputes.Select(d => d.DisputeId).ToArray();

        var openedBeforePrice = Mine();
        openedBeforePrice.Opened = new TimeRange { EndTime = price.CreateTime };
        var openedFromPrice = Mine();
        openedFromPrice.Opened = new TimeRange { StartTime = price.CreateTime };
        var updatedSinceWithdrawal = Mine();
        updatedSinceWithdrawal.Updated = new TimeRange { StartTime = withdrawn.UpdateTime };
        var closedAny = Mine();
        closedAny.Closed = new TimeRange { StartTime = Timestamp.FromDateTimeOffset(s.Now.AddDays(-1)) };
        var closedBefore = Mine();
        closedBefore.Closed = new TimeRange { EndTime = withdrawn.CloseTime };
        var quality = Mine();
        quality.Category = Category.Quality;
        var hangzhou = Mine();
        hangzhou.RegionPrefix = "3301";
        var ningbo = Mine();
        ningbo.RegionPrefix = "3302";
        var xihu = Mine();
        xihu.RegionPrefix = "330106";

        Assert.Equal([first.DisputeId], await ListAsync(s.AdminReader, openedBeforePrice));
        Assert.Equal([price.DisputeId], await ListAsync(s.AdminReader, openedFromPrice));
        Assert.Equal([first.DisputeId], await ListAsync(s.AdminReader, updatedSinceWithdrawal));
        Assert.Equal([first.DisputeId], await ListAsync(s.AdminReader, closedAny));
        Assert.Empty(await ListAsync(s.AdminReader, closedBefore));
        Assert.Equal([first.DisputeId], await ListAsync(s.AdminReader, quality));
        Assert.Equal([price.DisputeId, first.DisputeId], await ListAsync(s.AdminReader, hangzhou));
        Assert.Empty(await ListAsync(s.AdminReader, ningbo));
        Assert.Equal([price.DisputeId, first.DisputeId], await ListAsync(s.Hangzhou, xihu));
        Assert.Equal([price.DisputeId], await ListAsync(s.Merchant, new ListDisputesRequest { Category = Category.Price, RegionPrefix = "33" }));
    }

    [Fact]
    public async Task ListDisputes_RegionOutsideRegulatorScope_PermissionDenied()
    {
        var s = await Scenario.CreateAsync(gw);
        await s.OpenAsync();

        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => s.Hangzhou.ListDisputesAsync(new ListDisputesRequest { RegionPrefix = "33" }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => s.Jiangsu.ListDisputesAsync(new ListDisputesRequest { RegionPrefix = "3301" }).ResponseAsync);
        var analyst = gw.Disputes(await gw.KeyAsync(CredentialRole.Analyst, "33"));
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => analyst.ListDisputesAsync(new ListDisputesRequest { RegionPrefix = "3301" }).ResponseAsync);
    }

    [Fact]
    public async Task ListDisputes_EmptyOrInvertedRangesAndBadFilters_InvalidArgumentNamingEachField()
    {
        var s = await Scenario.CreateAsync(gw);
        await s.OpenAsync();
        await s.OpenAsync();
        var newestToken = (await s.AdminReader.ListDisputesAsync(new ListDisputesRequest { MerchantId = s.MerchantId, PageSize = 1 })).NextPageToken;
        var at = Timestamp.FromDateTimeOffset(s.Now);
        var earlier = Timestamp.FromDateTimeOffset(s.Now.AddHours(-1));
        var request = new ListDisputesRequest
        {
            MerchantId = s.MerchantId,
            Opened = new TimeRange { StartTime = at, EndTime = at },
            Updated = new TimeRange { StartTime = at, EndTime = earlier },
            Closed = new TimeRange { StartTime = at, EndTime = earlier },
            Category = (Category)99,
            RegionPrefix = "3",
            DeadlineWithinHours = -1,
            OrderBy = DisputeOrder.NextDeadline,
            PageToken = newestToken,
        };

        var e = await RpcAssert.FailsWith(StatusCode.InvalidArgument, () => s.AdminReader.ListDisputesAsync(request).ResponseAsync);
        var tooFar = await RpcAssert.FailsWith(StatusCode.InvalidArgument, () =>
            s.AdminReader.ListDisputesAsync(new ListDisputesRequest { DeadlineWithinHours = 8761 }).ResponseAsync);
        var badOrder = await RpcAssert.FailsWith(StatusCode.InvalidArgument, () =>
            s.AdminReader.ListDisputesAsync(new ListDisputesRequest { OrderBy = (DisputeOrder)7 }).ResponseAsync);
        var badTime = await RpcAssert.FailsWith(StatusCode.InvalidArgument, () =>
            s.AdminReader.ListDisputesAsync(new ListDisputesRequest { Closed = new TimeRange { EndTime = new Timestamp { Seconds = long.MaxValue } } }).ResponseAsync);

        Assert.Equal(
            ["opened.end_time", "updated.end_time", "closed.end_time", "category", "region_prefix", "deadline_within_hours", "page_token"],
            RpcAssert.Fields(e));
        Assert.Equal(["deadline_within_hours"], RpcAssert.Fields(tooFar));
        Assert.Equal(["order_by"], RpcAssert.Fields(badOrder));
        Assert.Equal(["closed.end_time"], RpcAssert.Fields(badTime));
    }

    /// <summary>The deadline ListDisputes orders by, as the proto's DisputeOrder documents it.</summary>
    public static DateTimeOffset? NextDeadline(Dispute d) => d.Status switch
    {
        DisputeStatus.AwaitingMerchant => Min(d.FirstResponseDueTime.ToDateTimeOffset(), d.NegotiationDueTime.ToDateTimeOffset()),
        DisputeStatus.Negotiating => d.NegotiationDueTime.ToDateTimeOffset(),
        DisputeStatus.Escalated => d.CaseStatus switch
        {
            CaseStatus.Pending => d.CaseAcceptDueTime?.ToDateTimeOffset(),
            CaseStatus.Accepted => d.MediationDueTime?.ToDateTimeOffset(),
            _ => null,
        },
        _ => null,
    };

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static async Task<List<string>> ListAllAsync(DisputeService.DisputeServiceClient client, ListDisputesRequest request)
    {
        var seen = new List<string>();
        do
        {
            var page = await client.ListDisputesAsync(request);
            seen.AddRange(page.Disputes.Select(d => d.DisputeId));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);
        return seen;
    }
}
