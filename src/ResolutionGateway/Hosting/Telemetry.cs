using System.Diagnostics;
using System.Net;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using ResolutionGateway.Grpc;
using ResolutionGateway.Infrastructure.Telemetry;

namespace ResolutionGateway.Hosting;

/// <summary>
/// Metrics, traces and log correlation (OpenTelemetry). Metrics: the service's own meter
/// (<see cref="GatewayMetrics"/>), ASP.NET Core's per-request metrics tagged with the gRPC status,
/// Kestrel, the runtime, HttpClient (webhook POSTs) and MySqlConnector; exported on a Prometheus
/// listener of its own (Metrics:Url) and, when OTEL_EXPORTER_OTLP_ENDPOINT is set, over OTLP.
/// Traces: one per RPC (ASP.NET Core), with the store operations, the event hub publish, MySQL
/// commands and webhook POSTs (W3C traceparent) as children; recorded only when exported (OTLP, or
/// Tracing:Enabled for an exporter added in code).
/// </summary>
public static class Telemetry
{
    /// <summary>The resource's service name.</summary>
    public const string ServiceName = "resolution-gateway";

    /// <summary>Registers telemetry; call before the app is built.</summary>
    public static void AddTelemetry(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(MetricsOptions.SectionName).Get<MetricsOptions>() ?? new MetricsOptions();
        var endPoint = options.EndPoint();
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var scrape = new ScrapeListener();
        builder.Services.AddSingleton(scrape);
        builder.Services.Configure<GrpcServiceOptions>(o => o.Interceptors.Add<WatchStreamInterceptor>());
        // JSON console lines carry the request's trace and span ids (the host's activity tracking puts
        // them in a log scope; the JSON formatter prints scopes only when asked).
        builder.Services.Configure<JsonConsoleFormatterOptions>(o => o.IncludeScopes = true);
        if (endPoint is not null)
        {
            // A listener of its own, HTTP/1.1 (what Prometheus speaks), beside the HTTP/2-only gRPC one.
            builder.WebHost.ConfigureKestrel(k => k.Listen(endPoint, l =>
            {
                l.Protocols = HttpProtocols.Http1;
                scrape.Listen = l;
            }));
        }
        var otel = builder.Services.AddOpenTelemetry().ConfigureResource(r => r.AddService(ServiceName));
        // Without an exporter nothing listens to the instruments, and recording them costs nothing.
        if (endPoint is not null || otlp)
        {
            otel.WithMetrics(m =>
            {
                m.AddMeter(GatewayMetrics.MeterName, "MySqlConnector")
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation();
                if (endPoint is not null)
                {
                    m.AddPrometheusExporter();
                }
                if (otlp)
                {
                    m.AddOtlpExporter();
                }
            });
        }
        // Spans are recorded only when something exports them (OTLP, or Tracing:Enabled for an exporter
        // added in code, as the tracing test does): with no exporter, a sampled span per RPC, per store
        // operation and per MySQL command was built and tagged for nobody, a cost on every call (see
        // BENCHMARKS.md). Without a tracer provider the host still gives every request an activity, so
        // logs keep their trace and span ids.
        if (otlp || builder.Configuration.GetValue<bool>("Tracing:Enabled"))
        {
            otel.WithTracing(t =>
            {
                t.AddSource(GatewayMetrics.SourceName, "MySqlConnector")
                    .AddAspNetCoreInstrumentation(o => o.Filter = c => !scrape.IsScrape(c))
                    .AddHttpClientInstrumentation();
                if (otlp)
                {
                    t.AddOtlpExporter();
                }
            });
        }
    }

    /// <summary>Adds the scrape endpoint and the gRPC status tag; call on the built app, before the services are mapped.</summary>
    public static void UseTelemetry(this WebApplication app)
    {
        var scrape = app.Services.GetRequiredService<ScrapeListener>();
        if (scrape.Listen is not null)
        {
            app.UseOpenTelemetryPrometheusScrapingEndpoint(scrape.IsScrape);
        }
        app.Use(TagGrpcStatusAsync);
    }

    // gRPC answers HTTP 200 whatever happened; the outcome is the grpc-status trailer (or header, in
    // a trailers-only answer). Tagging the request's metric and span with it gives the per-RPC
    // status code. Runs after the call, so it sees what the interceptor mapped.
    private static async Task TagGrpcStatusAsync(HttpContext context, RequestDelegate next)
    {
        await next(context);
        var status = context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers["grpc-status"] is { Count: > 0 } trailer
            ? trailer.ToString()
            : context.Response.Headers["grpc-status"].ToString();
        if (status.Length == 0)
        {
            return;
        }
        context.Features.Get<IHttpMetricsTagsFeature>()?.Tags.Add(new("rpc.grpc.status_code", status));
        Activity.Current?.SetTag("rpc.grpc.status_code", status);
    }
}

/// <summary>The Prometheus listener: where Kestrel bound it (port 0 picks one), and whether a request came through it.</summary>
public sealed class ScrapeListener
{
    /// <summary>Kestrel's listen options; null when the endpoint is off. Holds the bound port once started.</summary>
    public ListenOptions? Listen { get; set; }

    /// <summary>The scrape URL (http://ip:port/metrics) once the server has started, else null.</summary>
    public Uri? Url => Listen?.IPEndPoint is { Port: > 0 } ep ? new Uri($"http://{Format(ep)}{MetricsOptions.Path}") : null;

    /// <summary>True for a request to /metrics on the metrics listener (never on the gRPC one).</summary>
    public bool IsScrape(HttpContext context) =>
        Listen?.IPEndPoint is { } ep && context.Connection.LocalPort == ep.Port
        && context.Request.Path.Equals(MetricsOptions.Path, StringComparison.Ordinal);

    private static string Format(IPEndPoint ep) =>
        ep.Address.Equals(IPAddress.Any) ? $"127.0.0.1:{ep.Port}" : ep.ToString();
}
