using System.Collections.Concurrent;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.IntegrationTests;

/// <summary>rgctl status against a running gateway process.</summary>
public sealed class RgctlStatusTests
{
    [Fact]
    public async Task Status_RunningGatewayAfterOneDispute_ShowsReadinessAndFiguresFromMetrics()
    {
        var dataDir = Directory.CreateTempSubdirectory("rg-status-").FullName;
        var (port, metricsPort) = (GatewayProcess.FreePort(), GatewayProcess.FreePort());
        var keyFile = Path.Combine(dataDir, "admin-key");
        var gatewayLines = new ConcurrentQueue<string>();
        using var gateway = GatewayProcess.Start(gatewayLines,
            $"--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:{port}",
            $"--Metrics:Url=http://127.0.0.1:{metricsPort}",
            "--Metrics:GaugeInterval=00:00:00.200",
            $"--Storage:DataDirectory={dataDir}",
            $"--Bootstrap:AdminKeyFile={keyFile}");
        try
        {
            var admin = new AdminService.AdminServiceClient(await GatewayProcess.ConnectAsync(port, keyFile));
            await admin.RegisterChannelAsync(new RegisterChannelRequest { ChannelId = "pay", DisplayName = "Pay" });
            await admin.EnrollMerchantAsync(new EnrollMerchantRequest { MerchantId = "tea", DisplayName = "Tea House" });
            await admin.UpsertStoreAsync(new UpsertStoreRequest
            {
                Store = new Store { MerchantId = "tea", StoreId = "s1", DisplayName = "Tea (Xihu)", Address = "1 Longjing Rd", RegionCode = "330106" },
            });
            var channelKey = (await admin.CreateApiKeyAsync(new CreateApiKeyRequest { Role = CredentialRole.Channel, Scope = "pay", Description = "t" })).Token;
            await new DisputeService.DisputeServiceClient(GatewayProcess.Invoker(port, channelKey)).OpenDisputeAsync(TelemetryPrivacyTests.OpenRequest());

            var output = new ConcurrentQueue<string>();
            using var rgctl = GatewayProcess.Run(output, GatewayProcess.Built(Path.Combine("tools", "rgctl"), "rgctl.dll"),
                "status", "--url", $"http://127.0.0.1:{port}", "--metrics", $"http://127.0.0.1:{metricsPort}/metrics");
            await rgctl.WaitForExitAsync();
            rgctl.WaitForExit(); // drains the output readers

            var text = string.Join("\n", output);
            Assert.Equal(0, rgctl.ExitCode);
            Assert.Matches(@"readiness\s+SERVING", text);
            Assert.Matches(@"disputes\s+1 opened, 0 closed", text);
            Assert.Matches(@"db breaker\s+closed", text);
            Assert.Matches(@"dead letters\s+0", text);
            Assert.Contains("status: ok", text, StringComparison.Ordinal);
        }
        finally
        {
            gateway.Kill(entireProcessTree: true);
            await gateway.WaitForExitAsync();
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
