using Grpc.Core;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.IntegrationTests;

public abstract class ConcurrencyTests(GatewayFixture gw)
{
    [Fact]
    public async Task AcceptAndWithdraw_50Parallel_ExactlyOneWinnerConsistentLog()
    {
        var s = await Scenario.CreateAsync(gw);
        var (d, offer) = await s.OpenWithOfferAsync();

        var calls = Enumerable.Range(0, 50).Select(async i =>
        {
            try
            {
                var status = i % 2 == 0
                    ? (await s.Channel.RespondToOfferAsync(new RespondToOfferRequest
                    {
                        RequestId = $"accept-{i}", DisputeId = d.DisputeId, OfferId = offer.OfferId, Decision = OfferDecision.Accept,
                    })).Dispute.Status
                    : (await s.Channel.WithdrawDisputeAsync(new WithdrawDisputeRequest { RequestId = $"withdraw-{i}", DisputeId = d.DisputeId })).Dispute.Status;
                return (Won: true, Status: status, Code: StatusCode.OK);
            }
            catch (RpcException e)
            {
                return (Won: false, Status: DisputeStatus.Unspecified, Code: e.StatusCode);
            }
        });
        var results = await Task.WhenAll(calls);

        var winners = results.Where(r => r.Won).ToArray();
        Assert.Single(winners);
        Assert.All(results.Where(r => !r.Won), r => Assert.Equal(StatusCode.FailedPrecondition, r.Code));
        var events = await s.EventsAsync(d.DisputeId);
        Assert.Equal(Enumerable.Range(1, 3).Select(i => (long)i), events.Select(e => e.Seq));
        Assert.Equal(winners[0].Status, events[^1].StatusAfter);
        var final = await s.AdminReader.GetDisputeAsync(new GetDisputeRequest { DisputeId = d.DisputeId });
        Assert.Equal(winners[0].Status, final.Dispute.Status);
        Assert.Equal(3, final.Dispute.LastSeq);
    }

    [Fact]
    public async Task PostMessage_50ParallelFromBothSides_AllStoredWithContiguousSeq()
    {
        var s = await Scenario.CreateAsync(gw);
        var d = await s.OpenAsync();

        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => (i % 2 == 0 ? s.Channel : s.Merchant)
            .PostMessageAsync(new PostMessageRequest { RequestId = $"m-{i}", DisputeId = d.DisputeId, Text = $"message {i}" }).ResponseAsync));

        var events = await s.EventsAsync(d.DisputeId);
        Assert.Equal(Enumerable.Range(1, 51).Select(i => (long)i), events.Select(e => e.Seq));
        Assert.Equal(50, events.Select(e => e.MessagePosted?.Text).Where(t => t is not null).Distinct().Count());
    }
}
