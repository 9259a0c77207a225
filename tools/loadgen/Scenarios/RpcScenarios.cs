using Grpc.Core;
using Grpc.Health.V1;
using ResolutionGateway.Contracts.V1;
using ResolutionGateway.Hosting;
using ResolutionGateway.Tools.LoadGen.Cluster;
using ResolutionGateway.Tools.LoadGen.Engine;

namespace ResolutionGateway.Tools.LoadGen.Scenarios;

/// <summary>A node under load: its connections and the parties calls are made as.</summary>
public sealed record Target(string Backend, Connections Connections, World World);

/// <summary>The single-node RPC scenarios: noop (the gRPC ceiling), read, open and lifecycle.</summary>
public static class RpcScenarios
{
    private static DateTime Deadline => DateTime.UtcNow.AddSeconds(30);

    /// <summary>grpc.health.v1 Check of the "liveness" service: the gRPC stack with no storage work (the no-op baseline).</summary>
    public static Task<PhaseResult> NoopAsync(Target t, Offered offered, Phase phase, CancellationToken ct)
    {
        var request = new HealthCheckRequest { Service = GatewayApp.LivenessService };
        return Load.RunAsync(offered, phase, async (worker, token) =>
        {
            var reply = await new Health.HealthClient(t.Connections[worker]).CheckAsync(request, deadline: Deadline, cancellationToken: token);
            if (reply.Status != HealthCheckResponse.Types.ServingStatus.Serving)
            {
                throw new InvalidOperationException($"liveness answered {reply.Status}");
            }
        }, ct);
    }

    /// <summary>Opens <paramref name="count"/> disputes (for the read, chat and watchers scenarios) and returns their ids.</summary>
    public static async Task<string[]> SeedDisputesAsync(Target t, int count, CancellationToken ct)
    {
        var ids = new string[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (i, token) =>
        {
            var reply = await t.Connections.Disputes(i).OpenDisputeAsync(t.World.NewOpenRequest(), t.World.ChannelHeaders, Deadline, token);
            ids[i] = reply.Dispute.DisputeId;
        });
        return ids;
    }

    /// <summary>GetDispute by the channel, of a random dispute among <paramref name="ids"/>.</summary>
    public static Task<PhaseResult> ReadAsync(Target t, string[] ids, Offered offered, Phase phase, CancellationToken ct) =>
        Load.RunAsync(offered, phase, async (worker, token) =>
        {
            var id = ids[Random.Shared.Next(ids.Length)];
            var reply = await t.Connections.Disputes(worker).GetDisputeAsync(new GetDisputeRequest { DisputeId = id }, t.World.ChannelHeaders, Deadline, token);
            if (reply.Dispute.DisputeId != id)
            {
                throw new InvalidOperationException("GetDispute answered another dispute");
            }
        }, ct);

    /// <summary>OpenDispute with a new order each call.</summary>
    public static Task<PhaseResult> OpenAsync(Target t, Offered offered, Phase phase, CancellationToken ct) =>
        Load.RunAsync(offered, phase, (index, token) => OpenOnceAsync(t, index, token), ct);

    private static async Task OpenOnceAsync(Target t, long index, CancellationToken ct)
    {
        var reply = await t.Connections.Disputes(index).OpenDisputeAsync(t.World.NewOpenRequest(), t.World.ChannelHeaders, Deadline, ct);
        if (reply.Dispute.Status != DisputeStatus.AwaitingMerchant)
        {
            throw new InvalidOperationException($"a new dispute is {reply.Dispute.Status}");
        }
    }

    /// <summary>PostMessage by the consumer (through the channel) to a random dispute among <paramref name="ids"/>.</summary>
    public static Task<PhaseResult> MessageAsync(Target t, string[] ids, Offered offered, Phase phase, CancellationToken ct) =>
        Load.RunAsync(offered, phase, async (worker, token) =>
        {
            await t.Connections.Disputes(worker).PostMessageAsync(new PostMessageRequest
            {
                RequestId = Guid.NewGuid().ToString(),
                DisputeId = ids[Random.Shared.Next(ids.Length)],
                Text = "Any news on my refund?",
            }, t.World.ChannelHeaders, Deadline, token);
        }, ct);

    /// <summary>The steps of one lifecycle, each with its own latency recorder.</summary>
    public static readonly string[] LifecycleSteps = ["OpenDispute", "PostMessage(consumer)", "PostMessage(merchant)", "MakeOffer", "RespondToOffer"];

    /// <summary>
    /// The realistic mix: the channel opens a dispute, the consumer and the merchant
    /// each post a message, the merchant offers a partial refund, the consumer accepts (resolved).
    /// The phase's figures are per lifecycle; <paramref name="steps"/> gets each RPC's latency.
    /// </summary>
    public static Task<PhaseResult> LifecycleAsync(Target t, Offered offered, Phase phase, Recorder[] steps, CancellationToken ct) =>
        Load.RunAsync(offered, phase, async (worker, token) =>
        {
            var client = t.Connections.Disputes(worker);
            var w = t.World;
            async Task<T> Step<T>(int i, Func<AsyncUnaryCall<T>> call)
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var reply = await call();
                steps[i].Success(started);
                return reply;
            }
            var d = (await Step(0, () => client.OpenDisputeAsync(w.NewOpenRequest(), w.ChannelHeaders, Deadline, token))).Dispute;
            await Step(1, () => client.PostMessageAsync(new PostMessageRequest
            {
                RequestId = Guid.NewGuid().ToString(), DisputeId = d.DisputeId, Text = "The seal was broken, photo attached.",
            }, w.ChannelHeaders, Deadline, token));
            await Step(2, () => client.PostMessageAsync(new PostMessageRequest
            {
                RequestId = Guid.NewGuid().ToString(), DisputeId = d.DisputeId, Text = "Sorry about that, we can refund half.",
            }, w.MerchantHeaders, Deadline, token));
            var offer = await Step(3, () => client.MakeOfferAsync(new MakeOfferRequest
            {
                RequestId = Guid.NewGuid().ToString(), DisputeId = d.DisputeId, Remedy = Remedy.PartialRefund,
                Amount = new Money { CurrencyCode = "CNY", MinorUnits = 6_400 }, Note = "half back",
            }, w.MerchantHeaders, Deadline, token));
            var answered = await Step(4, () => client.RespondToOfferAsync(new RespondToOfferRequest
            {
                RequestId = Guid.NewGuid().ToString(), DisputeId = d.DisputeId, OfferId = offer.Offer.OfferId, Decision = OfferDecision.Accept,
            }, w.ChannelHeaders, Deadline, token));
            if (answered.Dispute.Status != DisputeStatus.Resolved)
            {
                throw new InvalidOperationException($"an accepted offer left the dispute {answered.Dispute.Status}");
            }
        }, ct, steps);
}
