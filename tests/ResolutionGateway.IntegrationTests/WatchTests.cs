using Grpc.Core;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.IntegrationTests;

public abstract class WatchTests(GatewayFixture gw)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task WatchDispute_ReplayThenLive_CaughtUpMarkerThenNewEventsInOrder()
    {
        var s = await Scenario.CreateAsync(gw);
        var d = await s.OpenAsync();
        await s.Channel.PostMessageAsync(new PostMessageRequest { RequestId = "a", DisputeId = d.DisputeId, Text = "before" });
        using var cts = new CancellationTokenSource(Patience);
        using var call = s.Channel.WatchDispute(new WatchDisputeRequest { DisputeId = d.DisputeId }, cancellationToken: cts.Token);

        var replay = await ReadUntilCaughtUpAsync(call.ResponseStream, cts.Token);
        await s.Merchant.PostMessageAsync(new PostMessageRequest { RequestId = "b", DisputeId = d.DisputeId, Text = "live 1" });
        await s.Merchant.PostMessageAsync(new PostMessageRequest { RequestId = "c", DisputeId = d.DisputeId, Text = "live 2" });
        var live = await ReadEventsAsync(call.ResponseStream, 2, cts.Token);

        Assert.Equal([1L, 2], replay.Select(e => e.Seq));
        Assert.Equal([3L, 4], live.Select(e => e.Seq));
        Assert.Equal(["live 1", "live 2"], live.Select(e => e.MessagePosted.Text));
    }

    [Fact]
    public async Task WatchDispute_ReconnectWithLastSeq_NoGapNoDuplicate()
    {
        var s = await Scenario.CreateAsync(gw);
        var d = await s.OpenAsync();
        var received = new List<long>();
        using (var cts = new CancellationTokenSource(Patience))
        using (var call = s.Merchant.WatchDispute(new WatchDisputeRequest { DisputeId = d.DisputeId }, cancellationToken: cts.Token))
        {
            received.AddRange((await ReadUntilCaughtUpAsync(call.ResponseStream, cts.Token)).Select(e => e.Seq));
            await s.Channel.PostMessageAsync(new PostMessageRequest { RequestId = "1", DisputeId = d.DisputeId, Text = "one" });
            received.AddRange((await ReadEventsAsync(call.ResponseStream, 1, cts.Token)).Select(e => e.Seq));
        }

        // Disconnected while the dispute moves on.
        for (var i = 2; i <= 6; i++)
        {
            await s.Channel.PostMessageAsync(new PostMessageRequest { RequestId = $"{i}", DisputeId = d.DisputeId, Text = $"msg {i}" });
        }
        using (var cts = new CancellationTokenSource(Patience))
        using (var call = s.Merchant.WatchDispute(new WatchDisputeRequest { DisputeId = d.DisputeId, AfterSeq = received[^1] }, cancellationToken: cts.Token))
        {
            received.AddRange((await ReadUntilCaughtUpAsync(call.ResponseStream, cts.Token)).Select(e => e.Seq));
            var post = s.Merchant.AcceptDemandAsync(new AcceptDemandRequest { RequestId = "acc", DisputeId = d.DisputeId });
            received.AddRange((await ReadEventsAsync(call.ResponseStream, 1, cts.Token)).Select(e => e.Seq));
            await post;
        }

        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), received);
    }

    [Fact]
    public async Task WatchDisputes_MerchantFromNow_SeesOwnNewDisputesOnlyWithMaskedMobile()
    {
        var s = await Scenario.CreateAsync(gw);
        using var cts = new CancellationTokenSource(Patience);
        using var call = s.Merchant.WatchDisputes(new WatchDisputesRequest { StartAtNow = true }, cancellationToken: cts.Token);
        Assert.True(await call.ResponseStream.MoveNext(cts.Token));
        Assert.True(call.ResponseStream.Current.CaughtUp);

        await s.Channel.OpenDisputeAsync(s.OpenRequest(merchantId: s.OtherMerchantId));
        var mine = await s.OpenAsync();
        var first = await NextEventAsync(call.ResponseStream, cts.Token);

        Assert.Equal(mine.DisputeId, first.Event.DisputeId);
        Assert.Equal(DisputeEvent.DetailOneofCase.Opened, first.Event.DetailCase);
        Assert.Equal("138****1234", first.Event.Opened.Dispute.Consumer.Mobile);
        Assert.NotEmpty(first.Cursor);
    }

    [Fact]
    public async Task WatchDisputes_ResumeFromCursor_NoGapNoDuplicate()
    {
        var s = await Scenario.CreateAsync(gw);
        var d1 = await s.OpenAsync();
        var d2 = await s.OpenAsync();
        var seen = new List<(string, long)>();
        string cursor;
        using (var cts = new CancellationTokenSource(Patience))
        using (var call = s.Merchant.WatchDisputes(new WatchDisputesRequest(), cancellationToken: cts.Token))
        {
            // From the beginning: the merchant's history (only this scenario's merchant is visible).
            var history = await ReadFeedUntilCaughtUpAsync(call.ResponseStream, cts.Token);
            seen.AddRange(history.Events.Select(e => (e.DisputeId, e.Seq)));
            cursor = history.Cursor;
        }
        await s.Merchant.PostMessageAsync(new PostMessageRequest { RequestId = "x", DisputeId = d1.DisputeId, Text = "while away" });
        await s.Channel.PostMessageAsync(new PostMessageRequest { RequestId = "y", DisputeId = d2.DisputeId, Text = "while away" });
        using (var cts = new CancellationTokenSource(Patience))
        using (var call = s.Merchant.WatchDisputes(new WatchDisputesRequest { AfterCursor = cursor }, cancellationToken: cts.Token))
        {
            var missed = await ReadFeedUntilCaughtUpAsync(call.ResponseStream, cts.Token);
            seen.AddRange(missed.Events.Select(e => (e.DisputeId, e.Seq)));
            await s.Merchant.AcceptDemandAsync(new AcceptDemandRequest { RequestId = "z", DisputeId = d1.DisputeId });
            // Events enter the feed when the sequencer positions them, milliseconds after their
            // commit: a message posted just before the reconnect may come live, after caught_up,
            // and one pass announces its events partition by partition, not in commit order.
            while (!seen.Contains((d1.DisputeId, 3L)) || !seen.Contains((d2.DisputeId, 2L)))
            {
                var live = await NextEventAsync(call.ResponseStream, cts.Token);
                seen.Add((live.Event.DisputeId, live.Event.Seq));
            }
        }

        Assert.True(seen.Count == 5, string.Join(", ", seen));
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal([1L, 2, 3], seen.Where(x => x.Item1 == d1.DisputeId).Select(x => x.Item2));
        Assert.Equal([1L, 2], seen.Where(x => x.Item1 == d2.DisputeId).Select(x => x.Item2));
    }

    [Fact]
    public async Task WatchDisputes_GarbageCursor_InvalidArgument()
    {
        var s = await Scenario.CreateAsync(gw);

        var e = await RpcAssert.FailsWith(StatusCode.InvalidArgument, async () =>
        {
            using var call = s.Merchant.WatchDisputes(new WatchDisputesRequest { AfterCursor = "c1_!!!" });
            await call.ResponseStream.MoveNext();
        });

        Assert.Equal(["after_cursor"], RpcAssert.Fields(e));
    }

    private static async Task<List<DisputeEvent>> ReadUntilCaughtUpAsync(IAsyncStreamReader<WatchDisputeResponse> stream, CancellationToken ct)
    {
        var events = new List<DisputeEvent>();
        while (await stream.MoveNext(ct))
        {
            if (stream.Current.CaughtUp)
            {
                return events;
            }
            events.Add(stream.Current.Event);
        }
        throw new InvalidOperationException("stream ended before caught_up");
    }

    private static async Task<List<DisputeEvent>> ReadEventsAsync(IAsyncStreamReader<WatchDisputeResponse> stream, int count, CancellationToken ct)
    {
        var events = new List<DisputeEvent>();
        while (events.Count < count && await stream.MoveNext(ct))
        {
            Assert.False(stream.Current.CaughtUp, "a second caught_up marker");
            events.Add(stream.Current.Event);
        }
        return events;
    }

    private static async Task<(List<DisputeEvent> Events, string Cursor)> ReadFeedUntilCaughtUpAsync(
        IAsyncStreamReader<WatchDisputesResponse> stream, CancellationToken ct)
    {
        var events = new List<DisputeEvent>();
        while (await stream.MoveNext(ct))
        {
            if (stream.Current.CaughtUp)
            {
                return (events, stream.Current.Cursor);
            }
            events.Add(stream.Current.Event);
        }
        throw new InvalidOperationException("stream ended before caught_up");
    }

    private static async Task<WatchDisputesResponse> NextEventAsync(IAsyncStreamReader<WatchDisputesResponse> stream, CancellationToken ct)
    {
        Assert.True(await stream.MoveNext(ct));
        Assert.False(stream.Current.CaughtUp);
        return stream.Current;
    }
}
