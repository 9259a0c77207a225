using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.IntegrationTests;

public sealed class GatewayKillOnSqlite : GatewayKillTests
{
    protected override Task<string[]> BackendArgsAsync(string dataDir) => Task.FromResult(Array.Empty<string>());
}

public sealed class GatewayKillOnMySql : GatewayKillTests, IAsyncLifetime
{
    private string? _db;

    protected override async Task<string[]> BackendArgsAsync(string dataDir)
    {
        _db ??= await TestServers.CreateDatabaseAsync("rg_kill");
        return ["--Storage:Provider=MySql", $"--Storage:MySql:ConnectionString={_db}", $"--Redis:Configuration={TestServers.Redis}"];
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_db is not null)
        {
            await TestServers.DropDatabaseAsync(_db);
        }
    }
}

/// <summary>
/// The gateway as a real process, killed (SIGKILL) while a webhook POST is in flight: the event was
/// committed, the delivery not acknowledged. After a restart the delivery is made again.
/// </summary>
public abstract class GatewayKillTests
{
    protected abstract Task<string[]> BackendArgsAsync(string dataDir);

    [Fact]
    public async Task Webhooks_GatewayKilledBetweenCommitAndDelivery_DeliveredAfterRestart()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "rg-kill-" + Guid.NewGuid().ToString("N"));
        await using var receiver = new WebhookReceiver();
        await receiver.StartAsync();
        receiver.SetMode("k", ReceiverMode.Hang);
        var port = GatewayProcess.FreePort();
        string[] args =
        [
            $"--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:{port}",
            "--Metrics:Url=http://127.0.0.1:0",
            "--Kestrel:Endpoints:Http:Url=http://127.0.0.1:0",
            $"--Storage:DataDirectory={dataDir}",
            $"--Bootstrap:AdminKeyFile={Path.Combine(dataDir, "admin-key")}",
            "--Webhooks:AllowHttp=true",
            "--Webhooks:PollInterval=00:00:00.200",
            "--Webhooks:Lease=00:00:03",
            "--Webhooks:AttemptTimeout=00:00:30",
            .. await BackendArgsAsync(dataDir),
        ];
        var first = Start(args);
        Process? second = null;
        try
        {
            var admin = new AdminService.AdminServiceClient(await ConnectAsync(port, Path.Combine(dataDir, "admin-key")));
            await admin.RegisterChannelAsync(new RegisterChannelRequest { ChannelId = "pay", DisplayName = "Pay" });
            await admin.EnrollMerchantAsync(new EnrollMerchantRequest { MerchantId = "tea", DisplayName = "Tea" });
            var endpoint = (await admin.CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest
            {
                OwnerKind = WebhookOwnerKind.Channel, OwnerId = "pay", Url = receiver.Url("k"),
            })).Endpoint;
            var channelKey = (await admin.CreateApiKeyAsync(new CreateApiKeyRequest { Role = CredentialRole.Channel, Scope = "pay" })).Token;
            var channel = new DisputeService.DisputeServiceClient(Invoker(port, channelKey));
            var opened = (await channel.OpenDisputeAsync(OpenRequest())).Dispute;
            await WaitAsync(() => receiver.Arrived.GetValueOrDefault("k") >= 1, "the first POST is in flight");

            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
            receiver.SetMode("k", ReceiverMode.Up);
            receiver.ReleaseHeld();
            second = Start(args);
            var admin2 = new AdminService.AdminServiceClient(await ConnectAsync(port, Path.Combine(dataDir, "admin-key")));
            await WaitAsync(() => receiver.Received.Any(r => r.Path == "k" && r.Attempt == 2), "the delivery is made again after the restart", 60);
            await WaitAsync(() => admin2.ListWebhookDeliveries(new ListWebhookDeliveriesRequest { EndpointId = endpoint.EndpointId })
                .Deliveries.Single().Status == WebhookDeliveryStatus.Delivered, "the delivery is recorded as delivered");
            var delivery = admin2.ListWebhookDeliveries(new ListWebhookDeliveriesRequest { EndpointId = endpoint.EndpointId }).Deliveries.Single();

            Assert.Equal(opened.DisputeId + "/events/1", delivery.EventId);
            Assert.Equal(2, delivery.Attempts);
            Assert.All(receiver.Received.Where(r => r.Path == "k"), r => Assert.Equal(delivery.EventId, r.EventId));
        }
        finally
        {
            foreach (var p in new[] { first, second })
            {
                if (p is { HasExited: false })
                {
                    p.Kill(entireProcessTree: true);
                    await p.WaitForExitAsync();
                }
                p?.Dispose();
            }
            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static OpenDisputeRequest OpenRequest() => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        Order = new OrderContext
        {
            ChannelOrderId = "o-" + Guid.NewGuid().ToString("N")[..10],
            MerchantId = "tea",
            Amount = new Money { CurrencyCode = "CNY", MinorUnits = 5_000 },
            PayTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(-1)),
            PaymentMethod = "alipay",
            MerchantName = "Tea",
            StoreName = "Tea store",
            RegionCode = "330106",
        },
        Consumer = new Consumer { ConsumerRef = "c-1", Name = "Li Hua", Mobile = Scenario.Mobile },
        Category = Category.Quality,
        Demand = new Demand { Remedy = Remedy.FullRefund },
        Description = "Stale.",
    };

    // The host built next to this test (same configuration), run as its own process.
    private static Process Start(string[] args)
    {
        var testDir = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = testDir.Parent!.Name;
        var repo = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(TestServers.Script)))!;
        var dll = Path.Combine(repo, "src", "ResolutionGateway", "bin", configuration, "net10.0", "ResolutionGateway.dll");
        Assert.True(File.Exists(dll), $"host not built: {dll}");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        var p = Process.Start(info)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private static async Task<CallInvoker> ConnectAsync(int port, string keyFile)
    {
        await WaitAsync(() => File.Exists(keyFile), "the admin key file is written", 60);
        var token = (await File.ReadAllTextAsync(keyFile)).Trim();
        var invoker = Invoker(port, token);
        var admin = new AdminService.AdminServiceClient(invoker);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                await admin.ListApiKeysAsync(new ListApiKeysRequest());
                return invoker;
            }
            catch (RpcException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    private static CallInvoker Invoker(int port, string token) =>
        GrpcChannel.ForAddress($"http://127.0.0.1:{port}").Intercept(m =>
        {
            m.Add("authorization", "Bearer " + token);
            return m;
        });

    private static async Task WaitAsync(Func<bool> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting until " + what);
            await Task.Delay(100);
        }
    }
}
