using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ResolutionGateway.IntegrationTests;

/// <summary>How the receiver answers one path.</summary>
public enum ReceiverMode
{
    /// <summary>200 OK.</summary>
    Up,
    /// <summary>503.</summary>
    Failing,
    /// <summary>410 Gone.</summary>
    Gone,
    /// <summary>Holds the request until <see cref="WebhookReceiver.ReleaseHeld"/> (or 60 s), then 200.</summary>
    Hang,
}

/// <summary>One POST as the receiver got it.</summary>
public sealed record ReceivedWebhook(string Path, string EventId, string EventType, int Attempt, string Signature, byte[] Body, int AnsweredWith, DateTimeOffset At, string TraceParent = "")
{
    public string Text => System.Text.Encoding.UTF8.GetString(Body);

    public Contracts.V1.WebhookEvent Parse() => Google.Protobuf.JsonParser.Default.Parse<Contracts.V1.WebhookEvent>(Text);
}

/// <summary>
/// A real HTTP endpoint (Kestrel on a fixed loopback port) that records every POST. It can be
/// stopped (connection refused) and started again on the same port, and told per path to
/// succeed, fail, answer 410 or hang.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ReceiverMode> _modes = new();
    private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication? _app;

    public WebhookReceiver()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
    }

    public int Port { get; }

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    /// <summary>Requests that reached the handler (counted before any hang), per path.</summary>
    public ConcurrentDictionary<string, int> Arrived { get; } = new();

    /// <summary>How long a POST to a path in <see cref="ReceiverMode.Hang"/> waits before it is answered (unless released).</summary>
    public TimeSpan HangFor { get; set; } = TimeSpan.FromSeconds(60);

    public string Url(string path) => $"http://127.0.0.1:{Port}/{path}";

    public void SetMode(string path, ReceiverMode mode) => _modes[path] = mode;

    /// <summary>Lets held (hanging) requests finish.</summary>
    public void ReleaseHeld()
    {
        var old = _release;
        _release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        old.TrySetResult();
    }

    public bool IsRunning => _app is not null;

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        // The test folder holds the gateway's appsettings.json: without this the receiver would also
        // try to listen on the gateway's configured address (127.0.0.1:50051) and fail to start
        // whenever a gateway runs on its default port.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, Port, l => l.Protocols = HttpProtocols.Http1AndHttp2));
        var app = builder.Build();
        app.MapPost("/{path}", async (string path, HttpContext context) =>
        {
            Arrived.AddOrUpdate(path, 1, (_, n) => n + 1);
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var mode = _modes.GetValueOrDefault(path, ReceiverMode.Up);
            if (mode == ReceiverMode.Hang)
            {
                await Task.WhenAny(_release.Task, Task.Delay(HangFor));
            }
            var status = mode switch
            {
                ReceiverMode.Failing => 503,
                ReceiverMode.Gone => 410,
                _ => 200,
            };
            var h = context.Request.Headers;
            Received.Enqueue(new ReceivedWebhook(path, h["X-RG-Event-Id"].ToString(), h["X-RG-Event-Type"].ToString(),
                int.TryParse(h["X-RG-Delivery-Attempt"], out var a) ? a : 0, h["X-RG-Signature"].ToString(), buffer.ToArray(), status, DateTimeOffset.UtcNow,
                h["traceparent"].ToString()));
            context.Response.StatusCode = status;
        });
        await app.StartAsync();
        _app = app;
    }

    /// <summary>Stops listening: connections are refused until <see cref="StartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            ReleaseHeld();
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>Successful deliveries to a path, first receipt of each event id, in arrival order.</summary>
    public IReadOnlyList<ReceivedWebhook> Delivered(string path) => Received
        .Where(r => r.Path == path && r.AnsweredWith == 200)
        .GroupBy(r => r.EventId).Select(g => g.First()).ToArray();

    public async ValueTask DisposeAsync() => await StopAsync();
}
