using System.Collections.Concurrent;
using System.Text;
using Google.Protobuf;
using ResolutionGateway.Contracts.V1;
using ResolutionGateway.IntegrationTests.Otlp;

namespace ResolutionGateway.IntegrationTests;

/// <summary>
/// The OTLP exporter as an operator switches it on: the gateway process with
/// OTEL_EXPORTER_OTLP_ENDPOINT in its environment, exporting over OTLP/gRPC to a real receiver.
/// </summary>
public sealed class OtlpExportTests
{
    private const string Mobile = "13900004321";
    private const string Name = "Zhao Lei";

    [Fact]
    public async Task Export_OpenDisputeWithEndpointSet_ReceiverGetsItsSpanAndOpenedCountWithoutPersonalData()
    {
        await using var receiver = new OtlpReceiver();
        await receiver.StartAsync();
        var dataDir = Directory.CreateTempSubdirectory("rg-otlp-").FullName;
        var port = GatewayProcess.FreePort();
        var keyFile = Path.Combine(dataDir, "admin-key");
        var lines = new ConcurrentQueue<string>();
        var environment = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint,
            // Export within a second rather than the defaults (5 s for spans, 60 s for metrics).
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        };
        using var process = GatewayProcess.Start(lines, environment,
            $"--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:{port}",
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
            var channel = new DisputeService.DisputeServiceClient(GatewayProcess.Invoker(port, channelKey));
            var request = TelemetryPrivacyTests.OpenRequest();
            request.Consumer.Name = Name;
            request.Consumer.Mobile = Mobile;

            await channel.OpenDisputeAsync(request);

            // The RPC's server span, with the store write under it, from the gateway's resource.
            await GatewayProcess.WaitAsync(() => OpenSpan(receiver) is not null, "the OpenDispute span is exported");
            var (resource, open) = OpenSpan(receiver)!.Value;
            Assert.Contains(resource.Attributes, a => a.Key == "service.name" && a.Value.StringValue == "resolution-gateway");
            Assert.Equal(16, open.TraceId.Length);
            await GatewayProcess.WaitAsync(() => Spans(receiver).Any(s => s.Name == "store write" && s.TraceId == open.TraceId && s.ParentSpanId == open.SpanId),
                "the OpenDispute's store write span is exported in its trace");
            // The opened counter: a monotonic sum whose point counts the dispute.
            await GatewayProcess.WaitAsync(() => OpenedPoints(receiver).Any(p => p.AsInt >= 1), "an rg_disputes_opened point is exported");
            var opened = receiver.Metrics.SelectMany(r => r.ResourceMetrics).SelectMany(r => r.ScopeMetrics)
                .SelectMany(s => s.Metrics).First(m => m.Name == "rg_disputes_opened");
            Assert.True(opened.Sum.IsMonotonic);

            // Nowhere in what was exported (every byte, the fields this receiver does not read included).
            var exported = receiver.Traces.Select(r => r.ToByteArray()).Concat(receiver.Metrics.Select(r => r.ToByteArray())).ToArray();
            Assert.All(exported, bytes =>
            {
                Assert.False(Contains(bytes, Encoding.UTF8.GetBytes(Mobile)), "a mobile number was exported");
                Assert.False(Contains(bytes, Encoding.UTF8.GetBytes(Name)), "a consumer's name was exported");
            });
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static IEnumerable<Span> Spans(OtlpReceiver receiver) =>
        receiver.Traces.SelectMany(r => r.ResourceSpans).SelectMany(r => r.ScopeSpans).SelectMany(s => s.Spans);

    private static (Resource Resource, Span Span)? OpenSpan(OtlpReceiver receiver) =>
        receiver.Traces.SelectMany(r => r.ResourceSpans)
            .SelectMany(r => r.ScopeSpans.SelectMany(s => s.Spans).Select(s => (r.Resource, Span: s)))
            .Where(x => x.Span.Attributes.Any(a => a.Key == "http.route" && a.Value.StringValue == "/resolution.v1.DisputeService/OpenDispute"))
            .Select(x => ((Resource, Span)?)x)
            .FirstOrDefault();

    private static IEnumerable<NumberDataPoint> OpenedPoints(OtlpReceiver receiver) =>
        receiver.Metrics.SelectMany(r => r.ResourceMetrics).SelectMany(r => r.ScopeMetrics).SelectMany(s => s.Metrics)
            .Where(m => m.Name == "rg_disputes_opened" && m.Sum is not null).SelectMany(m => m.Sum.DataPoints);

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
