using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.IntegrationTests;

/// <summary>Graceful drain: the host's stop (what SIGTERM triggers) under load, on the embedded store.</summary>
public sealed class DrainTests
{
    [Fact]
    public async Task StopAsync_UnderWriteLoadWithAWatchStream_NotServingStreamUnavailableNoAcknowledgedWriteLost()
    {
        // Arrange: a node with a watch stream open and four clients opening disputes as fast as they can.
        var dataDir = Path.Combine(Path.GetTempPath(), "rg-drain-" + Guid.NewGuid().ToString("N"));
        var node = new GatewayFixture { SharedDataDirectory = dataDir };
        await node.InitializeAsync();
        var s = await Scenario.CreateAsync(node);
        var health = new Health.HealthClient(node.Invoker(null));
        HealthCheckResponse.Types.ServingStatus? duringDrain = null;
        node.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() =>
            duringDrain = Task.Run(async () => (await health.CheckAsync(new HealthCheckRequest { Service = "liveness" })).Status).GetAwaiter().GetResult());
        using var watch = s.Channel.WatchDisputes(new WatchDisputesRequest { StartAtNow = true });
        var streamEnd = Task.Run(async () =>
        {
            try
            {
                while (await watch.ResponseStream.MoveNext(CancellationToken.None))
                {
                }
                return StatusCode.OK;
            }
            catch (RpcException e)
            {
                return e.StatusCode;
            }
        });
        var acknowledged = new ConcurrentBag<string>();
        var failures = new ConcurrentBag<StatusCode>();
        var load = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                try
                {
                    acknowledged.Add((await s.Channel.OpenDisputeAsync(s.OpenRequest())).Dispute.DisputeId);
                }
                catch (RpcException e)
                {
                    failures.Add(e.StatusCode);
                    return;
                }
            }
        })).ToArray();
        while (acknowledged.Count < 20)
        {
            await Task.Delay(20);
        }

        // Act
        await node.StopAppAsync();
        await Task.WhenAll(load);
        var streamStatus = await streamEnd;

        // Assert: NOT_SERVING while draining; the stream told to resume elsewhere; refusals only UNAVAILABLE.
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, duringDrain);
        Assert.Equal(StatusCode.Unavailable, streamStatus);
        Assert.All(failures, c => Assert.Equal(StatusCode.Unavailable, c));
        await node.DisposeAsync();
        // Every acknowledged write is there after a restart on the same store.
        var restarted = new GatewayFixture { SharedDataDirectory = dataDir };
        await restarted.InitializeAsync();
        try
        {
            var reader = restarted.Disputes(restarted.AdminToken);
            foreach (var id in acknowledged)
            {
                Assert.Equal(id, (await reader.GetDisputeAsync(new GetDisputeRequest { DisputeId = id })).Dispute.DisputeId);
            }
        }
        finally
        {
            await restarted.DisposeAsync();
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
