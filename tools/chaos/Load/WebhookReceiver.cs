using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace ResolutionGateway.Tools.Chaos.Load;

/// <summary>
/// A real HTTP receiver on a free loopback port: answers 200 to every POST and remembers the event
/// ids (X-RG-Event-Id) it got; delivery is at least once, so ids seen twice are normal.
/// </summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public WebhookReceiver()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = $"http://127.0.0.1:{port}/hooks/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string Url { get; }

    public ConcurrentDictionary<string, byte> EventIds { get; } = new();

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (!_listener.IsListening)
            {
                return;
            }
            catch (HttpListenerException)
            {
                continue;
            }
            if (context.Request.Headers["X-RG-Event-Id"] is { } id)
            {
                EventIds.TryAdd(id, 0);
            }
            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        // The loop ends once GetContextAsync fails on the stopped listener.
        _loop.Wait(TimeSpan.FromSeconds(1));
    }
}
