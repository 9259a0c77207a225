using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.IntegrationTests;

/// <summary>
/// Graceful drain of a real gateway process: two nodes on one MariaDB and Redis; node A, under write
/// load with watch streams open and webhook POSTs in flight, gets SIGTERM. Clients move to node B.
/// </summary>
public sealed class SigTermDrainTests : IAsyncLifetime
{
    // Far longer than the test: a delivery made again by node B was given back, not timed out.
    private const string WebhookLease = "00:10:00";
    private static readonly string Kek = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    private string _db = "";

    public async Task InitializeAsync() => _db = await TestServers.CreateDatabaseAsync("rg_sigterm");

    public Task DisposeAsync() => TestServers.DropDatabaseAsync(_db);

    [Fact]
    public async Task SigTerm_UnderWriteLoadWatchStreamsAndWebhooksInFlight_NoAckLostNoInternalStreamsResumeLeasesGivenBack()
    {
        // Arrange: node A alone first, so it is the one holding the webhook POSTs.
        var dirA = Directory.CreateTempSubdirectory("rg-sigterm-a-").FullName;
        var dirB = Directory.CreateTempSubdirectory("rg-sigterm-b-").FullName;
        await using var receiver = new WebhookReceiver { HangFor = TimeSpan.FromMinutes(10) };
        await receiver.StartAsync();
        receiver.SetMode("hook", ReceiverMode.Hang);
        var (portA, portB) = (GatewayProcess.FreePort(), GatewayProcess.FreePort());
        var linesA = new ConcurrentQueue<string>();
        var linesB = new ConcurrentQueue<string>();
        var nodeA = GatewayProcess.Start(linesA, Args(portA, dirA));
        Process? nodeB = null;
        try
        {
            var adminA = await GatewayProcess.ConnectAsync(portA, Path.Combine(dirA, "admin-key"));
            var adminToken = (await File.ReadAllTextAsync(Path.Combine(dirA, "admin-key"))).Trim();
            var admin = new AdminService.AdminServiceClient(adminA);
            await admin.RegisterChannelAsync(new RegisterChannelRequest { ChannelId = "pay", DisplayName = "Pay" });
            await admin.RegisterChannelAsync(new RegisterChannelRequest { ChannelId = "hooked", DisplayName = "Hooked" });
            await admin.EnrollMerchantAsync(new EnrollMerchantRequest { MerchantId = "tea", DisplayName = "Tea House" });
            await admin.UpsertStoreAsync(new UpsertStoreRequest
            {
                Store = new Store { MerchantId = "tea", StoreId = "s1", DisplayName = "Tea (Xihu)", Address = "1 Longjing Rd", RegionCode = "330106" },
            });
            var endpoint = (await admin.CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest
            {
                OwnerKind = WebhookOwnerKind.Channel, OwnerId = "hooked", Url = receiver.Url("hook"),
            })).Endpoint;
            var payKey = (await admin.CreateApiKeyAsync(new CreateApiKeyRequest { Role = CredentialRole.Channel, Scope = "pay", Description = "load" })).Token;
            var hookedKey = (await admin.CreateApiKeyAsync(new CreateApiKeyRequest { Role = CredentialRole.Channel, Scope = "hooked", Description = "hooks" })).Token;
            var onA = new DisputeService.DisputeServiceClient(GatewayProcess.Invoker(portA, payKey));
            var onB = new DisputeService.DisputeServiceClient(GatewayProcess.Invoker(portB, payKey));
            // Four deliveries, each the first event of its dispute: node A's endpoint loop claims what is
            // due, its POSTs hang, and the rest wait behind them.
            var hooked = new DisputeService.DisputeServiceClient(GatewayProcess.Invoker(portA, hookedKey));
            for (var i = 0; i < 4; i++)
            {
                var r = TelemetryPrivacyTests.OpenRequest();
                r.Order.ChannelOrderId = "h-" + Guid.NewGuid().ToString("N")[..12];
                await hooked.OpenDisputeAsync(r);
            }
            await GatewayProcess.WaitAsync(() => receiver.Arrived.GetValueOrDefault("hook") >= 1, "node A's POSTs are in flight");
            // The POSTs of one claim leave together; the ones that arrived hang until the end of the test.
            await Task.Delay(2000);
            var heldByA = receiver.Arrived["hook"];
            receiver.SetMode("hook", ReceiverMode.Up);

            nodeB = GatewayProcess.Start(linesB, Args(portB, dirB));
            await ReadyAsync(portB, adminToken);
            var watched = new List<string>();
            for (var i = 0; i < 6; i++)
            {
                watched.Add((await onA.OpenDisputeAsync(TelemetryPrivacyTests.OpenRequest())).Dispute.DisputeId);
            }
            using var stopWatching = new CancellationTokenSource();
            var disputeWatchers = watched.Select(id => WatchDisputeAsync(onA, onB, id, stopWatching.Token)).ToArray();
            var feedWatchers = Enumerable.Range(0, 2).Select(_ => WatchFeedAsync(onA, onB, stopWatching.Token)).ToArray();
            await GatewayProcess.WaitAsync(() => disputeWatchers.Concat(feedWatchers).All(w => w.Live), "the watchers are live on node A");
            var acknowledged = new ConcurrentBag<(string DisputeId, long Seq, string Text)>();
            var refused = new ConcurrentBag<StatusCode>();
            using var stopLoad = new CancellationTokenSource();
            var load = Enumerable.Range(0, 3).Select(w => Task.Run(() => WriteLoadAsync(onA, onB, watched, w, acknowledged, refused, stopLoad.Token))).ToArray();
            await GatewayProcess.WaitAsync(() => acknowledged.Count >= 30, "node A has acknowledged writes");

            // Act: SIGTERM to node A, load going on.
            using (var kill = Process.Start("kill", ["-TERM", nodeA.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }
            await nodeA.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            var ackedByA = acknowledged.Count;
            await GatewayProcess.WaitAsync(() => acknowledged.Count >= ackedByA + 30, "node B acknowledges the load's writes");
            await stopLoad.CancelAsync();
            await Task.WhenAll(load);
            var adminB = new AdminService.AdminServiceClient(GatewayProcess.Invoker(portB, adminToken));
            await GatewayProcess.WaitAsync(() => Deliveries(adminB, endpoint.EndpointId).All(d => d.Status == WebhookDeliveryStatus.Delivered),
                "node B delivers the webhooks node A gave back");
            var readerB = new DisputeService.DisputeServiceClient(GatewayProcess.Invoker(portB, adminToken));
            var logs = new Dictionary<string, List<DisputeEvent>>();
            foreach (var id in watched)
            {
                logs[id] = await EventsAsync(readerB, id);
            }
            // The feed watchers started live before the load: they must see every acknowledged write.
            var expected = acknowledged.Select(a => (a.DisputeId, a.Seq)).ToHashSet();
            await GatewayProcess.WaitAsync(() => disputeWatchers.All(w => w.Seen.Count >= logs[w.DisputeId].Count)
                && feedWatchers.All(w => expected.IsSubsetOf(w.Seen)),
                "every watcher has caught up on node B");
            await stopWatching.CancelAsync();
            await Task.WhenAll(disputeWatchers.Select(w => w.Run).Concat(feedWatchers.Select(w => w.Run)));

            // Assert: no acknowledged write lost or doubled; nothing but UNAVAILABLE refused.
            Assert.All(acknowledged, a => Assert.Contains(logs[a.DisputeId], e => e.Seq == a.Seq && e.MessagePosted?.Text == a.Text));
            var texts = logs.Values.SelectMany(l => l).Where(e => e.MessagePosted is not null).Select(e => e.MessagePosted.Text).ToList();
            Assert.Equal(texts.Count, texts.Distinct().Count());
            Assert.DoesNotContain(refused, c => c is StatusCode.Internal or StatusCode.Unknown);
            Assert.NotEmpty(refused);
            // Every stream on A ended UNAVAILABLE and resumed on B from its cursor: each event once, none missing.
            Assert.All(disputeWatchers, w => Assert.Equal(StatusCode.Unavailable, w.EndedOnA));
            Assert.All(feedWatchers, w => Assert.Equal(StatusCode.Unavailable, w.EndedOnA));
            Assert.All(disputeWatchers, w => Assert.Equal(logs[w.DisputeId].Select(e => (e.DisputeId, e.Seq)), w.Seen));
            Assert.All(feedWatchers, w => Assert.Equal(w.Seen.Count, w.Seen.Distinct().Count()));
            // The webhook leases came back at once: node B delivered the ones A held (the wait above
            // allows 60 s; their leases ran 10 minutes), each a second attempt after A's cut-short one.
            var deliveries = Deliveries(adminB, endpoint.EndpointId);
            Assert.Equal(4, deliveries.Count);
            Assert.Equal(heldByA, deliveries.Count(d => d.Attempts == 2));
            Assert.Equal(4 - heldByA, deliveries.Count(d => d.Attempts == 1));
            Assert.Contains(linesA, l => l.Contains($"gave back {heldByA} webhook deliveries", StringComparison.Ordinal));
        }
        finally
        {
            foreach (var p in new[] { nodeA, nodeB })
            {
                if (p is { HasExited: false })
                {
                    p.Kill(entireProcessTree: true);
                    await p.WaitForExitAsync();
                }
                p?.Dispose();
            }
            Directory.Delete(dirA, recursive: true);
            Directory.Delete(dirB, recursive: true);
        }
    }

    private string[] Args(int port, string dataDir) =>
    [
        $"--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:{port}",
        $"--Storage:DataDirectory={dataDir}",
        $"--Bootstrap:AdminKeyFile={Path.Combine(dataDir, "admin-key")}",
        "--Storage:Provider=MySql",
        $"--Storage:MySql:ConnectionString={_db}",
        $"--Redis:Configuration={TestServers.Redis}",
        $"--PersonalData:Kek={Kek}",
        "--Webhooks:AllowHttp=true",
        "--Webhooks:PollInterval=00:00:00.200",
        $"--Webhooks:Lease={WebhookLease}",
        "--Webhooks:AttemptTimeout=00:05:00",
        "--Logging:LogLevel:ResolutionGateway.Infrastructure.Webhooks=Information",
    ];

    private static async Task ReadyAsync(int port, string adminToken)
    {
        var admin = new AdminService.AdminServiceClient(GatewayProcess.Invoker(port, adminToken));
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await admin.ListApiKeysAsync(new ListApiKeysRequest());
                return;
            }
            catch (RpcException) when (clock.Elapsed < TimeSpan.FromSeconds(90))
            {
                await Task.Delay(200);
            }
        }
    }

    // Messages posted as fast as answered, to node A until it refuses, then to node B, retrying a
    // refused write with the same request id (so a write A committed but could not acknowledge is not doubled).
    private static async Task WriteLoadAsync(DisputeService.DisputeServiceClient onA, DisputeService.DisputeServiceClient onB, List<string> disputes,
        int worker, ConcurrentBag<(string, long, string)> acknowledged, ConcurrentBag<StatusCode> refused, CancellationToken stop)
    {
        var target = onA;
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var request = new PostMessageRequest
            {
                RequestId = Guid.NewGuid().ToString(),
                DisputeId = disputes[(worker + n) % disputes.Count],
                Text = $"w{worker}-{n}",
            };
            while (true)
            {
                try
                {
                    var e = (await target.PostMessageAsync(request, cancellationToken: CancellationToken.None)).Event;
                    acknowledged.Add((request.DisputeId, e.Seq, request.Text));
                    break;
                }
                catch (RpcException x)
                {
                    refused.Add(x.StatusCode);
                    target = onB;
                    await Task.Delay(50, CancellationToken.None);
                }
            }
        }
    }

    private static List<WebhookDelivery> Deliveries(AdminService.AdminServiceClient admin, string endpointId) =>
        [.. admin.ListWebhookDeliveries(new ListWebhookDeliveriesRequest { EndpointId = endpointId, PageSize = 100 }).Deliveries];

    private static async Task<List<DisputeEvent>> EventsAsync(DisputeService.DisputeServiceClient reader, string disputeId)
    {
        var all = new List<DisputeEvent>();
        while (true)
        {
            var page = await reader.ListDisputeEventsAsync(new ListDisputeEventsRequest { DisputeId = disputeId, AfterSeq = all.LastOrDefault()?.Seq ?? 0, PageSize = 100 });
            all.AddRange(page.Events);
            if (!page.HasMore)
            {
                return all;
            }
        }
    }

    private static Watcher WatchDisputeAsync(DisputeService.DisputeServiceClient onA, DisputeService.DisputeServiceClient onB, string disputeId, CancellationToken stop)
    {
        var w = new Watcher(disputeId);
        w.Run = Task.Run(async () =>
        {
            long afterSeq = 0;
            foreach (var node in new[] { onA, onB })
            {
                try
                {
                    using var call = node.WatchDispute(new WatchDisputeRequest { DisputeId = disputeId, AfterSeq = afterSeq }, cancellationToken: stop);
                    await foreach (var m in call.ResponseStream.ReadAllAsync(stop))
                    {
                        w.Live = true;
                        if (m.Event is { } e)
                        {
                            w.Queue.Enqueue((e.DisputeId, e.Seq));
                            afterSeq = e.Seq;
                        }
                    }
                    w.Ended(StatusCode.OK);
                }
                catch (RpcException x) when (!stop.IsCancellationRequested)
                {
                    w.Ended(x.StatusCode);
                }
                catch (Exception) when (stop.IsCancellationRequested)
                {
                    return;
                }
            }
        }, CancellationToken.None);
        return w;
    }

    private static Watcher WatchFeedAsync(DisputeService.DisputeServiceClient onA, DisputeService.DisputeServiceClient onB, CancellationToken stop)
    {
        var w = new Watcher("");
        w.Run = Task.Run(async () =>
        {
            var request = new WatchDisputesRequest { StartAtNow = true };
            foreach (var node in new[] { onA, onB })
            {
                try
                {
                    using var call = node.WatchDisputes(request, cancellationToken: stop);
                    await foreach (var m in call.ResponseStream.ReadAllAsync(stop))
                    {
                        w.Live = true;
                        if (m.Event is { } e)
                        {
                            w.Queue.Enqueue((e.DisputeId, e.Seq));
                        }
                        if (m.Cursor.Length > 0)
                        {
                            request = new WatchDisputesRequest { AfterCursor = m.Cursor };
                        }
                    }
                    w.Ended(StatusCode.OK);
                }
                catch (RpcException x) when (!stop.IsCancellationRequested)
                {
                    w.Ended(x.StatusCode);
                }
                catch (Exception) when (stop.IsCancellationRequested)
                {
                    return;
                }
            }
        }, CancellationToken.None);
        return w;
    }

    private sealed class Watcher(string disputeId)
    {
        public string DisputeId { get; } = disputeId;

        // Events in arrival order.
        public ConcurrentQueue<(string DisputeId, long Seq)> Queue { get; } = new();

        public List<(string DisputeId, long Seq)> Seen => [.. Queue];

        public StatusCode? EndedOnA { get; private set; }

        // Set on the first message (the replay's end): events from then on reach this watcher.
        public bool Live { get; set; }

        public Task Run { get; set; } = Task.CompletedTask;

        public void Ended(StatusCode code) => EndedOnA ??= code;
    }
}
