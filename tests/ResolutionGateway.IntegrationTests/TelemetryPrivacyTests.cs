using System.Collections.Concurrent;
using System.Text.Json;
using Grpc.Core;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.IntegrationTests;

/// <summary>
/// The gateway as an operator runs it, a process with JSON console logs
/// (Logging:Console:FormatterName=json) and its Prometheus endpoint: lines inside a request carry
/// trace and span ids, and neither the logs nor the metric labels hold a mobile number or a name.
/// </summary>
public sealed class TelemetryPrivacyTests
{
    private const string Mobile = "13900005678";
    private const string Name = "Wang Fang";

    [Fact]
    public async Task JsonLogsAndScrape_AfterFlowAndRejectedInput_CarryTraceIdsAndNoPersonalData()
    {
        var dataDir = Directory.CreateTempSubdirectory("rg-json-logs-").FullName;
        var (port, metricsPort) = (GatewayProcess.FreePort(), GatewayProcess.FreePort());
        var keyFile = Path.Combine(dataDir, "admin-key");
        var lines = new ConcurrentQueue<string>();
        using var process = GatewayProcess.Start(lines,
            $"--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:{port}",
            $"--Metrics:Url=http://127.0.0.1:{metricsPort}",
            $"--Storage:DataDirectory={dataDir}",
            $"--Bootstrap:AdminKeyFile={keyFile}",
            "--Logging:Console:FormatterName=json",
            "--Logging:LogLevel:Default=Debug");
        try
        {
            var admin = await GatewayProcess.ConnectAsync(port, keyFile);
            var adminClient = new AdminService.AdminServiceClient(admin);
            await adminClient.RegisterChannelAsync(new RegisterChannelRequest { ChannelId = "pay", DisplayName = "Pay" });
            await adminClient.EnrollMerchantAsync(new EnrollMerchantRequest { MerchantId = "tea", DisplayName = "Tea House" });
            await adminClient.UpsertStoreAsync(new UpsertStoreRequest
            {
                Store = new Store { MerchantId = "tea", StoreId = "s1", DisplayName = "Tea (Xihu)", Address = "1 Longjing Rd", RegionCode = "330106" },
            });
            var channelKey = (await adminClient.CreateApiKeyAsync(new CreateApiKeyRequest { Role = CredentialRole.Channel, Scope = "pay", Description = "t" })).Token;
            var channel = new DisputeService.DisputeServiceClient(GatewayProcess.Invoker(port, channelKey));
            var request = OpenRequest();
            var d = (await channel.OpenDisputeAsync(request)).Dispute;
            var bad = OpenRequest();
            bad.Consumer.Mobile = Mobile + "000"; // too long: rejected, and must not be echoed
            await RpcAssert.FailsWith(StatusCode.InvalidArgument, () => channel.OpenDisputeAsync(bad).ResponseAsync);
            using var http = new HttpClient();
            var scrape = await http.GetStringAsync($"http://127.0.0.1:{metricsPort}/metrics");

            Assert.Contains("rg_disputes_opened_total", scrape, StringComparison.Ordinal);
            Assert.DoesNotContain(Mobile, scrape, StringComparison.Ordinal);
            Assert.DoesNotContain(Name, scrape, StringComparison.Ordinal);
            Assert.DoesNotContain(d.DisputeId, scrape, StringComparison.Ordinal);
            await GatewayProcess.WaitAsync(() => lines.Any(l => l.Contains("DisputeService/OpenDispute", StringComparison.Ordinal)), "the calls are logged");
            var json = lines.Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
            var calls = json.Where(j => j.GetProperty("Message").GetString()!.Contains("DisputeService/OpenDispute", StringComparison.Ordinal)).ToArray();
            Assert.Equal(2, calls.Length);
            Assert.All(calls, c =>
            {
                var scopes = c.GetProperty("Scopes").EnumerateArray().Where(s => s.ValueKind == JsonValueKind.Object).ToArray();
                Assert.Contains(scopes, s => s.TryGetProperty("TraceId", out var t) && t.GetString()!.Length == 32);
                Assert.Contains(scopes, s => s.TryGetProperty("SpanId", out var t) && t.GetString()!.Length == 16);
            });
            Assert.DoesNotContain(lines, l => l.Contains(Mobile, StringComparison.Ordinal) || l.Contains(Name, StringComparison.Ordinal));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    internal static OpenDisputeRequest OpenRequest()
    {
        var r = new OpenDisputeRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Order = new OrderContext
            {
                ChannelOrderId = "o-" + Guid.NewGuid().ToString("N")[..12],
                MerchantId = "tea",
                StoreId = "s1",
                Amount = new Money { CurrencyCode = "CNY", MinorUnits = 12_800 },
                PayTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(-1)),
                PaymentMethod = "alipay",
                RegionCode = "330106",
            },
            Consumer = new Consumer { ConsumerRef = "c-1", Name = Name, Mobile = Mobile },
            Category = Category.Quality,
            Demand = new Demand { Remedy = Remedy.FullRefund },
            Description = "The tea was stale.",
        };
        r.Order.LineItems.Add(new LineItem { Name = "Longjing 250g", Quantity = 1, UnitPrice = new Money { CurrencyCode = "CNY", MinorUnits = 12_800 } });
        return r;
    }
}
