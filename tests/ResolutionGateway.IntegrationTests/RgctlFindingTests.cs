using System.Collections.Concurrent;
using System.Globalization;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.IntegrationTests;

/// <summary>rgctl list with issue 17's filters and rgctl rankings, against a gateway process that publishes rankings.</summary>
public sealed class RgctlFindingTests
{
    [Fact]
    public async Task ListAndRankings_FiltersAndPublicRanking_PrintTheDisputeAndTheMerchant()
    {
        var dataDir = Directory.CreateTempSubdirectory("rg-find-").FullName;
        var port = GatewayProcess.FreePort();
        var keyFile = Path.Combine(dataDir, "admin-key");
        using var gateway = GatewayProcess.Start(new ConcurrentQueue<string>(),
            $"--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:{port}",
            $"--Storage:DataDirectory={dataDir}",
            $"--Bootstrap:AdminKeyFile={keyFile}",
            "--Rankings:Public=true",
            "--Rankings:MinimumDisputes=1");
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
            var opened = (await new DisputeService.DisputeServiceClient(GatewayProcess.Invoker(port, channelKey)).OpenDisputeAsync(TelemetryPrivacyTests.OpenRequest())).Dispute;
            var today = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8));
            string Day(int offset) => today.AddDays(offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var url = $"http://127.0.0.1:{port}";

            var (listed, listCode) = await RgctlAsync("list", "--url", url, "--key", File.ReadAllText(keyFile).Trim(), "--region", "3301",
                "--opened-from", today.AddHours(-1).ToString("O"), "--deadline-within", "8760", "--order", "next-deadline");
            var (empty, emptyCode) = await RgctlAsync("list", "--url", url, "--key", File.ReadAllText(keyFile).Trim(), "--deadline-within", "0");
            var (ranked, rankedCode) = await RgctlAsync("rankings", "--url", url, "--public", "--from", Day(-1), "--to", Day(1), "--order-by", "disputes-received");

            Assert.Equal(0, listCode);
            Assert.Contains(opened.DisputeId, listed, StringComparison.Ordinal);
            Assert.Equal(0, emptyCode);
            Assert.Contains("(no disputes)", empty, StringComparison.Ordinal);
            Assert.Equal(0, rankedCode);
            Assert.Contains("by disputes-received", ranked, StringComparison.Ordinal);
            Assert.Matches(@"\n\s+1\s+tea\s+1\s", ranked);
        }
        finally
        {
            gateway.Kill(entireProcessTree: true);
            await gateway.WaitForExitAsync();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static async Task<(string Output, int ExitCode)> RgctlAsync(params string[] args)
    {
        var output = new ConcurrentQueue<string>();
        using var rgctl = GatewayProcess.Run(output, GatewayProcess.Built(Path.Combine("tools", "rgctl"), "rgctl.dll"), args);
        await rgctl.WaitForExitAsync();
        rgctl.WaitForExit(); // drains the output readers
        return (string.Join("\n", output), rgctl.ExitCode);
    }
}
