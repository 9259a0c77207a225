using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.IntegrationTests;

/// <summary>The settlement's execution deadline and reopen window on a gateway whose clock the test drives.</summary>
public sealed class SettlementDeadlineTests(FakeClockGateway clock) : IClassFixture<FakeClockGateway>
{
    [Fact]
    public async Task ReopenDispute_NothingRecordedBySevenDays_AllowedAfterDeadlineRefusedAfterWindow()
    {
        var s = await Scenario.CreateAsync(clock.Gateway);
        var first = await SettledAsync(s);
        var second = await SettledAsync(s);

        clock.Time.Advance(TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1));
        var early = await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => Reopen(s, first, "r1"));
        clock.Time.Advance(TimeSpan.FromMinutes(2));
        var reopened = (await Reopen(s, first, "r2")).Dispute;
        clock.Time.Advance(TimeSpan.FromDays(8));
        var late = await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => Reopen(s, second, "r3"));

        Assert.Equal("EXECUTION_PENDING", TypeOf(early));
        Assert.Equal(DisputeStatus.Escalated, reopened.Status);
        Assert.Equal(ReopenReason.NotExecuted, reopened.ReopenReason);
        Assert.Equal("REOPEN_WINDOW", TypeOf(late));
    }

    private static string TypeOf(RpcException e) => e.GetRpcStatus()!.GetDetail<Google.Rpc.PreconditionFailure>()!.Violations[0].Type;

    private static Task<ReopenDisputeResponse> Reopen(Scenario s, Dispute d, string id) => s.Channel.ReopenDisputeAsync(new ReopenDisputeRequest
    {
        RequestId = id + "-" + d.DisputeId, DisputeId = d.DisputeId, Reason = ReopenReason.NotExecuted, Note = "no refund",
    }).ResponseAsync;

    private async Task<Dispute> SettledAsync(Scenario s)
    {
        var r = s.OpenRequest();
        r.Order.PayTime = Timestamp.FromDateTimeOffset(clock.Time.GetUtcNow().AddHours(-1));
        var d = (await s.Channel.OpenDisputeAsync(r)).Dispute;
        return (await s.Merchant.AcceptDemandAsync(new AcceptDemandRequest { RequestId = "ad-" + d.DisputeId, DisputeId = d.DisputeId })).Dispute;
    }
}
