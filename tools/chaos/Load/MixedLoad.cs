using System.Collections.Concurrent;
using System.Diagnostics;
using ResolutionGateway.Contracts.V1;
using ResolutionGateway.Tools.LoadGen.Cluster;

namespace ResolutionGateway.Tools.Chaos.Load;

/// <summary>What the load was told: an acknowledged write, when, how long it took, and the event it owes.</summary>
public sealed record Ack(long At, double Ms, string DisputeId, string Kind, string Marker);

/// <summary>
/// Workers that each play disputes through to the end: open, a consumer message, a merchant offer,
/// the consumer's acceptance; and a message on one of the watched disputes between each step. Every
/// call is retried with its request id until answered (<see cref="Calls"/>).
/// </summary>
public sealed class MixedLoad(Connections connections, World world, IReadOnlyList<string> watched)
{
    private long _calls;
    private int _errors;

    public ConcurrentQueue<Ack> Acks { get; } = new();

    /// <summary>Calls that ended with a status no retry could fix (a bug or a give-up).</summary>
    public int Errors => _errors;

    public async Task RunAsync(int workers, CancellationToken stop)
    {
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(() => WorkerAsync(w, stop))));
    }

    private async Task WorkerAsync(int worker, CancellationToken stop)
    {
        var random = new Random(worker);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await PlayOneAsync(random, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Interlocked.Increment(ref _errors);
                Console.Error.WriteLine($"chaos: call failed: {e.GetType().Name}: {e.Message}");
            }
        }
    }

    private DisputeService.DisputeServiceClient Client() => connections.Disputes(Interlocked.Increment(ref _calls));

    private async Task PlayOneAsync(Random random, CancellationToken stop)
    {
        var open = world.NewOpenRequest();
        var (opened, ms) = await Calls.UntilAnsweredAsync(d => Client().OpenDisputeAsync(open, world.ChannelHeaders, d), stop);
        var id = opened.Dispute.DisputeId;
        Record(ms, id, "opened", "");
        await MessageAsync(id, stop);
        await MessageAsync(watched[random.Next(watched.Count)], stop);

        var offer = new MakeOfferRequest
        {
            RequestId = Guid.NewGuid().ToString(), DisputeId = id, Remedy = Remedy.FullRefund,
            Amount = new Money { CurrencyCode = "CNY", MinorUnits = 12_800 }, Note = "refund in full",
        };
        var (made, offerMs) = await Calls.UntilAnsweredAsync(d => Client().MakeOfferAsync(offer, world.MerchantHeaders, d), stop);
        Record(offerMs, id, "offer_made", made.Offer.OfferId);
        await MessageAsync(watched[random.Next(watched.Count)], stop);

        var accept = new RespondToOfferRequest
        {
            RequestId = Guid.NewGuid().ToString(), DisputeId = id, OfferId = made.Offer.OfferId, Decision = OfferDecision.Accept,
        };
        var (_, acceptMs) = await Calls.UntilAnsweredAsync(d => Client().RespondToOfferAsync(accept, world.ChannelHeaders, d), stop);
        Record(acceptMs, id, "offer_answered", made.Offer.OfferId);
    }

    private async Task MessageAsync(string disputeId, CancellationToken stop)
    {
        var text = "msg " + Guid.NewGuid().ToString("N");
        var post = new PostMessageRequest { RequestId = Guid.NewGuid().ToString(), DisputeId = disputeId, Text = text };
        var (_, ms) = await Calls.UntilAnsweredAsync(d => Client().PostMessageAsync(post, world.ChannelHeaders, d), stop);
        Record(ms, disputeId, "message_posted", text);
    }

    private void Record(double ms, string disputeId, string kind, string marker) =>
        Acks.Enqueue(new Ack(Stopwatch.GetTimestamp(), ms, disputeId, kind, marker));

    /// <summary>Opens a dispute outside the measured load (the watched ones).</summary>
    public static async Task<string> OpenAsync(Connections connections, World world, CancellationToken ct)
    {
        var open = world.NewOpenRequest();
        var (opened, _) = await Calls.UntilAnsweredAsync(d => connections.Disputes(0).OpenDisputeAsync(open, world.ChannelHeaders, d), ct);
        return opened.Dispute.DisputeId;
    }

    /// <summary>Every event of a dispute, read through the balancer.</summary>
    public static async Task<List<DisputeEvent>> EventsAsync(Connections connections, World world, string disputeId, CancellationToken ct)
    {
        var all = new List<DisputeEvent>();
        long after = 0;
        while (true)
        {
            var request = new ListDisputeEventsRequest { DisputeId = disputeId, AfterSeq = after, PageSize = 200 };
            var (page, _) = await Calls.UntilAnsweredAsync(d => connections.Disputes(0).ListDisputeEventsAsync(request, world.ChannelHeaders, d), ct);
            all.AddRange(page.Events);
            if (!page.HasMore || page.Events.Count == 0)
            {
                return all;
            }
            after = page.Events[^1].Seq;
        }
    }

    /// <summary>The marker an acknowledged write left in its event (message text, offer id), or "" for an open.</summary>
    public static string MarkerOf(DisputeEvent e) => e.DetailCase switch
    {
        DisputeEvent.DetailOneofCase.MessagePosted => e.MessagePosted.Text,
        DisputeEvent.DetailOneofCase.OfferMade => e.OfferMade.Offer.OfferId,
        DisputeEvent.DetailOneofCase.OfferAnswered => e.OfferAnswered.OfferId,
        _ => "",
    };

    /// <summary>The kind of an event as the acknowledgements name it.</summary>
    public static string KindOf(DisputeEvent e) => e.DetailCase switch
    {
        DisputeEvent.DetailOneofCase.Opened => "opened",
        DisputeEvent.DetailOneofCase.MessagePosted => "message_posted",
        DisputeEvent.DetailOneofCase.OfferMade => "offer_made",
        DisputeEvent.DetailOneofCase.OfferAnswered => "offer_answered",
        _ => e.DetailCase.ToString(),
    };
}
