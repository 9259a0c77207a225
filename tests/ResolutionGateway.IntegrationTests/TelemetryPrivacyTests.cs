using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
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
        var (port, metricsPort) = (FreePort(), FreePort());
        var keyFile = Path.Combine(dataDir, "admin-key");
        var lines = new ConcurrentQueue<string>();
        using var process = Start(lines,
            $"--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:{port}",
            $"--Metrics:Url=http://127.0.0.1:{metricsPort}",
            $"--Storage:DataDirectory={dataDir}",
            $"--Bootstrap:AdminKeyFile={keyFile}",
            "--Logging:Console:FormatterName=json",
            "--Logging:LogLevel:Default=Debug");
        try
        {
            var admin = await ConnectAsync(port, keyFile);
            var adminClient = new AdminService.AdminServiceClient(admin);
            await adminClient.RegisterChannelAsync(new RegisterChannelRequest { ChannelId = "pay", DisplayName = "Pay" });
            await adminClient.EnrollMerchantAsync(new EnrollMerchantRequest { MerchantId = "tea", DisplayName = "Tea House" });
            await adminClient.UpsertStoreAsync(new UpsertStoreRequest
            {
                Store = new Store { MerchantId = "tea", StoreId = "s1", DisplayName = "Tea (Xihu)", Address = "1 Longjing Rd", RegionCode = "330106" },
            });
            var channelKey = (await adminClient.CreateApiKeyAsync(new CreateApiKeyRequest { Role = CredentialRole.Channel, Scope = "pay", Description = "t" })).Token;
            var channel = new DisputeService.DisputeServiceClient(Invoker(port, channelKey));
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
            await WaitAsync(() => lines.Any(l => l.Contains("DisputeService/OpenDispute", StringComparison.Ordinal)), "the calls are logged");
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

    private static OpenDisputeRequest OpenRequest()
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

    private static Process Start(ConcurrentQueue<string> lines, params string[] args)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
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
        p.OutputDataReceived += (_, e) => Add(lines, e.Data);
        p.ErrorDataReceived += (_, e) => Add(lines, e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private static void Add(ConcurrentQueue<string> lines, string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }

    private static async Task<CallInvoker> ConnectAsync(int port, string keyFile)
    {
        await WaitAsync(() => File.Exists(keyFile), "the admin key file is written");
        var invoker = Invoker(port, (await File.ReadAllTextAsync(keyFile)).Trim());
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await new AdminService.AdminServiceClient(invoker).ListApiKeysAsync(new ListApiKeysRequest());
                return invoker;
            }
            catch (RpcException) when (clock.Elapsed < TimeSpan.FromSeconds(60))
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

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "timed out waiting until " + what);
            await Task.Delay(100);
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
