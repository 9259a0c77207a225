using System.Diagnostics;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using ResolutionGateway.Contracts.V1;
using ResolutionGateway.Core.Events;
using Xunit.Abstractions;

namespace ResolutionGateway.IntegrationTests;

/// <summary>Two gateway nodes sharing one MariaDB database and one Redis, as behind a load balancer.</summary>
public sealed class TwoNodes : IAsyncLifetime
{
    public MySqlGateway A { get; } = new();

    public MySqlGateway B { get; private set; } = null!;

    public IEventHub HubOf(GatewayFixture node) => node.Services.GetRequiredService<IEventHub>();

    public async Task InitializeAsync()
    {
        await A.InitializeAsync();
        B = new MySqlGateway { SharedConnectionString = A.ConnectionString };
        await B.InitializeAsync();
        B.AdminToken = A.AdminToken;
    }

    public async Task DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync();
    }
}

/// <summary>Cross-node fan-out, and what happens when Redis or MariaDB goes away and comes back.</summary>
public sealed class FailoverTests(TwoNodes nodes, ITestOutputHelper output) : IClassFixture<TwoNodes>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task WatchDispute_WatcherOnNodeAMessageOnNodeB_DeliveredLive()
    {
        var s = await Scenario.CreateAsync(nodes.A);
        var d = await s.OpenAsync();
        var channelOnB = nodes.B.Disputes(s.ChannelToken);
        using var cts = new CancellationTokenSource(Patience);
        using var watch = s.Merchant.WatchDispute(new WatchDisputeRequest { DisputeId = d.DisputeId }, cancellationToken: cts.Token);
        await ReadUntilCaughtUpAsync(watch.ResponseStream, cts.Token);

        var sent = Stopwatch.StartNew();
        await channelOnB.PostMessageAsync(new PostMessageRequest { RequestId = "x", DisputeId = d.DisputeId, Text = "from node B" });
        var e = await NextEventAsync(watch.ResponseStream, cts.Token);
        var latency = sent.Elapsed;

        output.WriteLine($"cross-node delivery: {latency.TotalMilliseconds:0} ms");
        Assert.Equal("from node B", e.MessagePosted.Text);
        // Without live fan-out the watcher would only find it at its 30 s database re-check.
        Assert.True(latency < TimeSpan.FromSeconds(3), $"cross-node delivery took {latency}");
    }

    [Fact]
    public async Task WatchDisputes_WatcherOnNodeAMessageOnNodeB_DeliveredLive()
    {
        // Node B's commit is positioned by B's sequencer and announced on the feed channel, which
        // node A subscribes to once a WatchDisputes stream runs on it. (A's own sequencer would also
        // position it at its next sweep, within a second: the bound below is the 30 s re-read.)
        var s = await Scenario.CreateAsync(nodes.A);
        var d = await s.OpenAsync();
        var channelOnB = nodes.B.Disputes(s.ChannelToken);
        using var cts = new CancellationTokenSource(Patience);
        using var watch = s.Merchant.WatchDisputes(new WatchDisputesRequest { StartAtNow = true }, cancellationToken: cts.Token);
        while (await watch.ResponseStream.MoveNext(cts.Token) && !watch.ResponseStream.Current.CaughtUp)
        {
        }

        var sent = Stopwatch.StartNew();
        await channelOnB.PostMessageAsync(new PostMessageRequest { RequestId = "feed-x", DisputeId = d.DisputeId, Text = "from node B" });
        DisputeEvent? e = null;
        while (e is null && await watch.ResponseStream.MoveNext(cts.Token))
        {
            var item = watch.ResponseStream.Current;
            if (item.Event?.DisputeId == d.DisputeId && item.Event.Seq == 2)
            {
                e = item.Event;
            }
        }
        var latency = sent.Elapsed;

        output.WriteLine($"cross-node feed delivery: {latency.TotalMilliseconds:0} ms");
        Assert.Equal("from node B", e!.MessagePosted.Text);
        Assert.True(latency < TimeSpan.FromSeconds(3), $"cross-node feed delivery took {latency}");
    }

    [Fact]
    public async Task RedisStopped_RpcsSucceedWatchersReadDatabase_ThenLiveFanOutResumes()
    {
        var s = await Scenario.CreateAsync(nodes.A);
        var d = await s.OpenAsync();
        var channelOnB = nodes.B.Disputes(s.ChannelToken);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var watch = s.Merchant.WatchDispute(new WatchDisputeRequest { DisputeId = d.DisputeId }, cancellationToken: cts.Token);
        await ReadUntilCaughtUpAsync(watch.ResponseStream, cts.Token);
        try
        {
            await ServersAsync("stop-redis");
            await WaitUntilAsync(() => !nodes.HubOf(nodes.A).IsLive && !nodes.HubOf(nodes.B).IsLive, TimeSpan.FromSeconds(10));

            var degraded = new List<TimeSpan>();
            for (var i = 1; i <= 3; i++)
            {
                var sent = Stopwatch.StartNew();
                await channelOnB.PostMessageAsync(new PostMessageRequest { RequestId = $"down-{i}", DisputeId = d.DisputeId, Text = $"down {i}" });
                var e = await NextEventAsync(watch.ResponseStream, cts.Token);
                degraded.Add(sent.Elapsed);
                Assert.Equal($"down {i}", e.MessagePosted.Text);
            }

            var restarted = Stopwatch.StartNew();
            await ServersAsync("start-redis");
            await WaitUntilAsync(() => nodes.HubOf(nodes.A).IsLive && nodes.HubOf(nodes.B).IsLive, TimeSpan.FromSeconds(20));
            var recovery = restarted.Elapsed;
            await Task.Delay(TimeSpan.FromSeconds(2)); // the watcher is back to waiting on notifications
            var live = Stopwatch.StartNew();
            await channelOnB.PostMessageAsync(new PostMessageRequest { RequestId = "up", DisputeId = d.DisputeId, Text = "back up" });
            var back = await NextEventAsync(watch.ResponseStream, cts.Token);
            var liveLatency = live.Elapsed;

            output.WriteLine($"Redis down: delivery via database in {string.Join(", ", degraded.Select(x => $"{x.TotalMilliseconds:0} ms"))}");
            output.WriteLine($"Redis restart: both nodes live again after {recovery.TotalMilliseconds:0} ms; then delivery in {liveLatency.TotalMilliseconds:0} ms");
            Assert.All(degraded, x => Assert.True(x < TimeSpan.FromSeconds(5), $"degraded delivery took {x}"));
            Assert.Equal("back up", back.MessagePosted.Text);
            Assert.True(liveLatency < TimeSpan.FromSeconds(1.5), $"delivery after Redis came back took {liveLatency}");
        }
        finally
        {
            await ServersAsync("start-redis");
        }
    }

    [Fact]
    public async Task MariaDbStopped_CallsFailFastUnavailable_RecoversWithEveryAcknowledgedWriteOnce()
    {
        var s = await Scenario.CreateAsync(nodes.A);
        var d = await s.OpenAsync();
        var clients = new[] { s.Channel, nodes.B.Disputes(s.ChannelToken), s.Merchant, nodes.B.Disputes(s.MerchantToken) };
        var deadline = TimeSpan.FromSeconds(5);
        var outcomes = new System.Collections.Concurrent.ConcurrentBag<(string RequestId, StatusCode Code, TimeSpan Started, TimeSpan Took, DisputeService.DisputeServiceClient Client)>();
        using var stop = new CancellationTokenSource();
        var restartedAt = TimeSpan.Zero;
        var recovery = TimeSpan.Zero;
        var allRecovered = TimeSpan.Zero;
        var livenessWhileDown = HealthCheckResponse.Types.ServingStatus.Unknown;
        var readinessWhileDown = HealthCheckResponse.Types.ServingStatus.Unknown;
        var clock = Stopwatch.StartNew();

        async Task WorkerAsync(int w)
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var id = $"w{w}-{i}";
                var started = clock.Elapsed;
                try
                {
                    await clients[w].PostMessageAsync(new PostMessageRequest { RequestId = id, DisputeId = d.DisputeId, Text = id },
                        deadline: DateTime.UtcNow + deadline);
                    outcomes.Add((id, StatusCode.OK, started, clock.Elapsed - started, clients[w]));
                }
                catch (RpcException e)
                {
                    outcomes.Add((id, e.StatusCode, started, clock.Elapsed - started, clients[w]));
                    await Task.Delay(50);
                }
            }
        }

        var workers = Enumerable.Range(0, clients.Length).Select(WorkerAsync).ToArray();
        try
        {
            await Task.Delay(1000);
            var stoppedAt = clock.Elapsed;
            await ServersAsync("stop-mariadb");
            await Task.Delay(4000);
            // The process still serves while its database is down: the "liveness" health service
            // (the load generator's no-op RPC) answers without a storage round trip, readiness does not.
            var health = new Health.HealthClient(nodes.A.Invoker(null));
            livenessWhileDown = (await health.CheckAsync(new HealthCheckRequest { Service = "liveness" }, deadline: DateTime.UtcNow.AddSeconds(10))).Status;
            readinessWhileDown = (await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(10))).Status;
            await ServersAsync("start-mariadb");
            restartedAt = clock.Elapsed;
            // Recovered means every client, on both nodes, gets writes through again: a node whose
            // breaker opened just before the restart refuses for up to one break (2 s) more.
            bool Recovered(DisputeService.DisputeServiceClient client) =>
                outcomes.Any(o => o.Client == client && o.Code == StatusCode.OK && o.Started >= restartedAt);
            await WaitUntilAsync(() => clients.All(Recovered), TimeSpan.FromSeconds(30));
            var afterRestart = outcomes.Where(o => o.Code == StatusCode.OK && o.Started >= restartedAt).ToArray();
            recovery = afterRestart.Min(o => o.Started + o.Took) - restartedAt;
            allRecovered = clients.Max(cl => afterRestart.Where(o => o.Client == cl).Min(o => o.Started + o.Took)) - restartedAt;
            await Task.Delay(1500);
            await stop.CancelAsync();
            await Task.WhenAll(workers);
            output.WriteLine($"started at {DateTime.UtcNow - clock.Elapsed:HH:mm:ss.fff}; stopped MariaDB at {stoppedAt.TotalSeconds:0.0} s, restarted at {restartedAt.TotalSeconds:0.0} s; " +
                $"first write acknowledged {recovery.TotalMilliseconds:0} ms after the restart, every client on both nodes " +
                $"{allRecovered.TotalMilliseconds:0} ms after it");
        }
        finally
        {
            await stop.CancelAsync();
            await ServersAsync("start-mariadb");
        }

        var failures = outcomes.Where(o => o.Code != StatusCode.OK).ToArray();
        output.WriteLine($"{outcomes.Count} calls: {outcomes.Count(o => o.Code == StatusCode.OK)} OK, {failures.Length} failed " +
            $"({string.Join(", ", failures.GroupBy(f => f.Code).Select(g => $"{g.Key} x{g.Count()}"))}); slowest failure " +
            $"{(failures.Length == 0 ? 0 : failures.Max(f => f.Took.TotalMilliseconds)):0} ms");
        // The server side of the outage: breaker transitions, and any failure that was not UNAVAILABLE.
        foreach (var line in nodes.A.Logs.Concat(nodes.B.Logs)
                     .Where(l => l.Contains("circuit", StringComparison.Ordinal) || l.Contains("failed unexpectedly", StringComparison.Ordinal))
                     .Order(StringComparer.Ordinal))
        {
            output.WriteLine(line.Length > 300 ? line[..300] : line);
        }
        Assert.NotEmpty(failures);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, livenessWhileDown);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, readinessWhileDown);
        Assert.True(allRecovered < TimeSpan.FromSeconds(10), $"service took {allRecovered} to recover on every node");
        Assert.All(failures, f => Assert.Equal(StatusCode.Unavailable, f.Code));
        Assert.All(failures, f => Assert.True(f.Took < deadline, $"{f.RequestId} failed only after {f.Took}"));

        // Every failed request is retried with its request id: a write that committed before its
        // answer was lost must come back as the first result, not as a second message.
        foreach (var f in failures)
        {
            await f.Client.PostMessageAsync(new PostMessageRequest { RequestId = f.RequestId, DisputeId = d.DisputeId, Text = f.RequestId });
        }
        var events = new List<DisputeEvent>();
        for (var page = await s.AdminReader.ListDisputeEventsAsync(new ListDisputeEventsRequest { DisputeId = d.DisputeId, PageSize = 500 }); ;
             page = await s.AdminReader.ListDisputeEventsAsync(new ListDisputeEventsRequest { DisputeId = d.DisputeId, PageSize = 500, AfterSeq = events[^1].Seq }))
        {
            events.AddRange(page.Events);
            if (!page.HasMore)
            {
                break;
            }
        }
        var texts = events.Where(e => e.MessagePosted is not null).Select(e => e.MessagePosted.Text).ToArray();
        Assert.Equal(texts.Length, texts.Distinct().Count());
        Assert.Equal(outcomes.Select(o => o.RequestId).Order(), texts.Order());
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Seq));
    }

    private static async Task ServersAsync(string command)
    {
        using var p = Process.Start(new ProcessStartInfo("bash", [TestServers.Script, command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stderr = p.StandardError.ReadToEndAsync();
        await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, $"rg-servers.sh {command} failed: {await stderr}");
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan limit)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < limit, $"condition not reached within {limit}");
            await Task.Delay(50);
        }
    }

    private static async Task ReadUntilCaughtUpAsync(IAsyncStreamReader<WatchDisputeResponse> stream, CancellationToken ct)
    {
        while (await stream.MoveNext(ct))
        {
            if (stream.Current.CaughtUp)
            {
                return;
            }
        }
        throw new InvalidOperationException("stream ended before caught_up");
    }

    private static async Task<DisputeEvent> NextEventAsync(IAsyncStreamReader<WatchDisputeResponse> stream, CancellationToken ct)
    {
        Assert.True(await stream.MoveNext(ct));
        return stream.Current.Event;
    }
}
