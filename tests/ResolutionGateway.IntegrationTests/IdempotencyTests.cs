using Grpc.Core;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.IntegrationTests;

public abstract class IdempotencyTests(GatewayFixture gw)
{
    [Fact]
    public async Task OpenDispute_SameRequestIdRetried_SameResponseOneDispute()
    {
        var s = await Scenario.CreateAsync(gw);
        var request = s.OpenRequest(consumerRef: "retry");

        var first = await s.Channel.OpenDisputeAsync(request);
        await s.Merchant.PostMessageAsync(new PostMessageRequest { RequestId = "m", DisputeId = first.Dispute.DisputeId, Text = "hi" });
        var retry = await s.Channel.OpenDisputeAsync(request);

        Assert.Equal(first, retry); // the first result, not the dispute's current state
        var list = await s.Channel.ListDisputesAsync(new ListDisputesRequest { ConsumerRef = "retry" });
        Assert.Single(list.Disputes);
        Assert.Equal(2, list.Disputes[0].LastSeq);
    }

    [Fact]
    public async Task OpenDispute_SameRequestIdDifferentPayload_InvalidArgumentOnRequestId()
    {
        var s = await Scenario.CreateAsync(gw);
        var request = s.OpenRequest(consumerRef: "reuse");
        await s.Channel.OpenDisputeAsync(request);
        var changed = request.Clone();
        changed.Order.ChannelOrderId = "another-order";

        var e = await RpcAssert.FailsWith(StatusCode.InvalidArgument, () => s.Channel.OpenDisputeAsync(changed).ResponseAsync);

        Assert.Equal(["request_id"], RpcAssert.Fields(e));
        Assert.Single((await s.Channel.ListDisputesAsync(new ListDisputesRequest { ConsumerRef = "reuse" })).Disputes);
    }

    [Fact]
    public async Task OpenDispute_SecondOpenForActiveOrder_AlreadyExistsNamingDispute()
    {
        var s = await Scenario.CreateAsync(gw);
        var d = await s.OpenAsync(orderId: "dup-order");

        var e = await RpcAssert.FailsWith(StatusCode.AlreadyExists, () => s.Channel.OpenDisputeAsync(s.OpenRequest("dup-order")).ResponseAsync);

        var info = e.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>();
        Assert.Equal("ACTIVE_DISPUTE_EXISTS", info!.Reason);
        Assert.Equal(d.DisputeId, info.Metadata["dispute_id"]);
    }

    [Fact]
    public async Task PostMessage_RetriedSameRequestId_OneEventSameResponse()
    {
        var s = await Scenario.CreateAsync(gw);
        var d = await s.OpenAsync();
        var request = new PostMessageRequest { RequestId = "same", DisputeId = d.DisputeId, Text = "once" };

        var first = await s.Channel.PostMessageAsync(request);
        var second = await s.Channel.PostMessageAsync(request);
        var third = await s.Channel.PostMessageAsync(request);

        Assert.Equal(first, second);
        Assert.Equal(first, third);
        Assert.Equal(2, (await s.EventsAsync(d.DisputeId)).Count);
    }

    [Fact]
    public async Task OpenDispute_ConcurrentRetriesOfOneRequest_OneDisputeAllSameAnswer()
    {
        var s = await Scenario.CreateAsync(gw);
        var request = s.OpenRequest(consumerRef: "storm");

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => s.Channel.OpenDisputeAsync(request).ResponseAsync));

        Assert.Single(results.Select(r => r.Dispute.DisputeId).Distinct());
        Assert.Single((await s.Channel.ListDisputesAsync(new ListDisputesRequest { ConsumerRef = "storm" })).Disputes);
    }

    [Fact]
    public async Task OpenDispute_ConcurrentDifferentRequestsSameOrder_OneWinsOthersAlreadyExists()
    {
        var s = await Scenario.CreateAsync(gw);

        var calls = Enumerable.Range(0, 20).Select(async _ =>
        {
            try
            {
                return (await s.Channel.OpenDisputeAsync(s.OpenRequest("race-order", consumerRef: "race"))).Dispute.DisputeId;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.AlreadyExists)
            {
                return null;
            }
        });
        var results = await Task.WhenAll(calls);

        Assert.Single(results, r => r is not null);
        Assert.Single((await s.Channel.ListDisputesAsync(new ListDisputesRequest { ConsumerRef = "race" })).Disputes);
    }
}
