using System.Collections.Concurrent;
using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ResolutionGateway.IntegrationTests.Otlp;

/// <summary>
/// A real OTLP/gRPC endpoint (Kestrel, h2c on a free loopback port) that keeps every export request
/// it gets, as an OpenTelemetry collector would receive them.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private WebApplication? _app;

    public int Port { get; } = GatewayProcess.FreePort();

    /// <summary>The value of OTEL_EXPORTER_OTLP_ENDPOINT that reaches this receiver.</summary>
    public string Endpoint => $"http://127.0.0.1:{Port}";

    public ConcurrentQueue<ExportTraceServiceRequest> Traces { get; } = new();

    public ConcurrentQueue<ExportMetricsServiceRequest> Metrics { get; } = new();

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        // The test folder holds the gateway's appsettings.json (see WebhookReceiver).
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, Port, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(this);
        var app = builder.Build();
        app.MapGrpcService<TraceReceiver>();
        app.MapGrpcService<MetricsReceiver>();
        await app.StartAsync();
        _app = app;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private sealed class TraceReceiver(OtlpReceiver receiver) : TraceService.TraceServiceBase
    {
        public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
        {
            receiver.Traces.Enqueue(request);
            return Task.FromResult(new ExportTraceServiceResponse());
        }
    }

    private sealed class MetricsReceiver(OtlpReceiver receiver) : MetricsService.MetricsServiceBase
    {
        public override Task<ExportMetricsServiceResponse> Export(ExportMetricsServiceRequest request, ServerCallContext context)
        {
            receiver.Metrics.Enqueue(request);
            return Task.FromResult(new ExportMetricsServiceResponse());
        }
    }
}
