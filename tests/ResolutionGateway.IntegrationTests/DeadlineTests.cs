using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.IntegrationTests;

/// <summary>A gateway whose clock the test drives, with the deadline worker off.</summary>
public sealed class FakeClockGateway() : IAsyncLifetime
{
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public GatewayFixture Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // The worker is off here: these tests check what the consumer may do by hand around the
        // deadline (ClockedNodes tests cover the worker).
        Gateway = new GatewayFixture(Time, "--Policies:Regions:4201:FirstResponseHours=48", "--Policies:Regions:4201:PurchaseWindowDays=10",
            "--Deadlines:Enforce=false");
        await Gateway.InitializeAsync();
    }

    public Task DisposeAsync() => Gateway.DisposeAsync();
}

public sealed class DeadlineTests(FakeClockGateway clock) : IClassFixture<FakeClockGateway>
{
    [Fact]
    public async Task EscalateDispute_AwaitingMerchant_RefusedBefore96HoursAllowedAfter()
    {
        var s = await Scenario.CreateAsync(clock.Gateway);
        var r = s.OpenRequest();
        r.Order.PayTime = Timestamp.FromDateTimeOffset(clock.Time.GetUtcNow().AddHours(-1));
        var d = (await s.Channel.OpenDisputeAsync(r)).Dispute;

        clock.Time.Advance(TimeSpan.FromHours(95));
        var early = await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () =>
            s.Channel.EscalateDisputeAsync(new EscalateDisputeRequest { RequestId = "e1", DisputeId = d.DisputeId }).ResponseAsync);
        clock.Time.Advance(TimeSpan.FromHours(1));
        var escalated = await s.Channel.EscalateDisputeAsync(new EscalateDisputeRequest { RequestId = "e2", DisputeId = d.DisputeId, Note = "no answer" });

        Assert.Equal("FIRST_RESPONSE_PENDING", early.GetRpcStatus()!.GetDetail<Google.Rpc.PreconditionFailure>()!.Violations[0].Type);
        Assert.Equal(DisputeStatus.Escalated, escalated.Dispute.Status);
        Assert.Equal(clock.Time.GetUtcNow().ToUnixTimeMilliseconds(), escalated.Dispute.EscalateTime.ToDateTimeOffset().ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task OpenDispute_RegionalPolicy_DeadlinesAndPurchaseWindowFromRegion()
    {
        var s = await Scenario.CreateAsync(clock.Gateway);
        var now = clock.Time.GetUtcNow();
        var wuhan = s.OpenRequest(merchantId: "unenrolled-" + s.Suffix);
        wuhan.Order.RegionCode = "420106";
        wuhan.Order.PayTime = Timestamp.FromDateTimeOffset(now.AddDays(-9));
        var tooOld = s.OpenRequest(merchantId: "unenrolled-" + s.Suffix);
        tooOld.Order.RegionCode = "420106";
        tooOld.Order.PayTime = Timestamp.FromDateTimeOffset(now.AddDays(-11));

        var d = (await s.Channel.OpenDisputeAsync(wuhan)).Dispute;
        await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => s.Channel.OpenDisputeAsync(tooOld).ResponseAsync);

        Assert.Equal(TimeSpan.FromHours(48), d.FirstResponseDueTime.ToDateTimeOffset() - d.CreateTime.ToDateTimeOffset());
        Assert.Equal(now.ToUnixTimeMilliseconds(), d.CreateTime.ToDateTimeOffset().ToUnixTimeMilliseconds());
    }
}
