using Grpc.Core;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.IntegrationTests;

/// <summary>Analysts read aggregates only: every read of disputes is PERMISSION_DENIED, whatever the scope; statistics answer.</summary>
public abstract class AnalystAccessTests(GatewayFixture gw)
{
    [Theory]
    [InlineData("")]
    [InlineData("33")]
    public async Task DisputeReads_AnalystKey_PermissionDeniedWhileStatisticsAnswer(string scope)
    {
        var s = await Scenario.CreateAsync(gw);
        var d = await s.OpenAsync();
        var token = await gw.KeyAsync(CredentialRole.Analyst, scope);
        var analyst = gw.Disputes(token);
        var id = new GetDisputeRequest { DisputeId = d.DisputeId };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => analyst.ListDisputesAsync(new ListDisputesRequest()).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => analyst.ListDisputesAsync(new ListDisputesRequest { RegionPrefix = "3301" }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => analyst.GetDisputeAsync(id).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () =>
            analyst.ListDisputeEventsAsync(new ListDisputeEventsRequest { DisputeId = d.DisputeId }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => analyst.ListCaseNotesAsync(new ListCaseNotesRequest { DisputeId = d.DisputeId }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, async () =>
        {
            using var call = analyst.WatchDisputes(new WatchDisputesRequest(), cancellationToken: cts.Token);
            await call.ResponseStream.MoveNext(cts.Token);
        });
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, async () =>
        {
            using var call = analyst.WatchDispute(new WatchDisputeRequest { DisputeId = d.DisputeId }, cancellationToken: cts.Token);
            await call.ResponseStream.MoveNext(cts.Token);
        });
        var stats = await new ReportingService.ReportingServiceClient(gw.Invoker(token)).GetResolutionStatsAsync(new GetResolutionStatsRequest
        {
            Filter = new ReportFilter { FromDate = BeijingDay(s.Now), ToDate = BeijingDay(s.Now) },
        });

        Assert.True(stats.Total.Opened >= 1, "the dispute opened today is counted");
        Assert.DoesNotContain("Li Hua", stats.ToString(), StringComparison.Ordinal);
    }

    private static string BeijingDay(DateTimeOffset t) =>
        t.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
