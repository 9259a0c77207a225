using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ResolutionGateway.Contracts.V1;
using ResolutionGateway.Hosting;

namespace ResolutionGateway.IntegrationTests;

/// <summary>
/// The real gateway: the app's own wiring, Kestrel on a loopback port, HTTP/2 gRPC, and a
/// throw-away store (embedded by default; <see cref="MySqlGateway"/> for MariaDB + Redis). Every log
/// line is captured so tests can check what reaches logs.
/// </summary>
public class GatewayFixture : IAsyncLifetime
{
    private readonly string _ownDataDir = Path.Combine(Path.GetTempPath(), "rg-it-" + Guid.NewGuid().ToString("N"));
    private readonly List<GrpcChannel> _channels = [];
    private readonly List<HttpClient> _httpClients = [];
    private readonly TimeProvider? _time;
    private readonly string[] _extraArgs;
    private WebApplication? _app;

    public GatewayFixture() : this(null) { }

    internal GatewayFixture(TimeProvider? time, params string[] extraArgs)
    {
        _time = time;
        _extraArgs = extraArgs;
    }

    /// <summary>Everything the app logged, formatted, with exceptions.</summary>
    public ConcurrentQueue<string> Logs { get; } = new();

    public string Address { get; private set; } = "";

    /// <summary>The HTTP/JSON listener (Kestrel:Endpoints:Http), e.g. http://127.0.0.1:40123.</summary>
    public string HttpAddress { get; private set; } = "";

    /// <summary>Set before InitializeAsync to share another node's embedded store (its data directory).</summary>
    public string? SharedDataDirectory { get; init; }

    /// <summary>Where the embedded store and the admin key file live.</summary>
    public string DataDirectory => SharedDataDirectory ?? _ownDataDir;

    public string AdminToken { get; set; } = "";

    public IServiceProvider Services => _app!.Services;

    /// <summary>The Prometheus scrape URL of this gateway (its own free port).</summary>
    public Uri MetricsUrl => Services.GetRequiredService<ScrapeListener>().Url ?? throw new InvalidOperationException("metrics are off");

    /// <summary>More wiring, applied after the app's own (e.g. a span exporter).</summary>
    public Action<WebApplicationBuilder>? Configure { get; init; }

    /// <summary>Arguments choosing the store and fan-out; the embedded store by default.</summary>
    protected virtual Task<string[]> BackendArgsAsync() => Task.FromResult(Array.Empty<string>());

    public virtual async Task InitializeAsync()
    {
        var keyFile = Path.Combine(DataDirectory, "admin-key");
        // A port picked free can be taken before Kestrel binds it (an outgoing connection of any
        // process takes ports from the same range): pick another and start again.
        for (var attempt = 1; ; attempt++)
        {
            // A port of its own, known in advance, so the two listeners' addresses are told apart.
            HttpAddress = $"http://127.0.0.1:{GatewayProcess.FreePort()}";
            string[] args =
            [
                "--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:0",
                $"--Kestrel:Endpoints:Http:Url={HttpAddress}",
                $"--Storage:DataDirectory={DataDirectory}",
                $"--Bootstrap:AdminKeyFile={keyFile}",
                "--Logging:LogLevel:Default=Debug",
                // Never the default port 9464: other gateways (tests, other checkouts) run beside this one.
                "--Metrics:Url=http://127.0.0.1:0",
                .. await BackendArgsAsync(),
                .. _extraArgs,
            ];
            _app = GatewayApp.Build(args, b =>
            {
                b.Logging.ClearProviders();
                b.Logging.AddProvider(new CaptureLoggerProvider(Logs));
                if (_time is not null)
                {
                    b.Services.AddSingleton(_time);
                }
                Configure?.Invoke(b);
            });
            await _app.InitializeAsync();
            try
            {
                await _app.StartAsync();
                break;
            }
            catch (IOException e) when (attempt < 5 && e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
            {
                await _app.DisposeAsync();
            }
        }
        // The gRPC listener (the Prometheus and HTTP/JSON ones are listed too).
        var metricsPort = _app.Services.GetRequiredService<ScrapeListener>().Url?.Port;
        Address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First(a => new Uri(a).Port != metricsPort && a != HttpAddress);
        // A second node on a shared database finds the admin key made by the first.
        AdminToken = File.Exists(keyFile) ? (await File.ReadAllTextAsync(keyFile)).Trim() : AdminToken;
    }

    /// <summary>Stops the app as SIGTERM does (the host's graceful stop), leaving the clients' channels open.</summary>
    public Task StopAppAsync() => _app!.StopAsync();

    public virtual async Task DisposeAsync()
    {
        foreach (var c in _channels)
        {
            c.Dispose();
        }
        foreach (var c in _httpClients)
        {
            c.Dispose();
        }
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        try
        {
            if (SharedDataDirectory is null)
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
        }
        catch (IOException)
        {
        }
    }

    /// <summary>An HttpClient on the HTTP/JSON listener that sends <paramref name="token"/> (or nothing) as the bearer credential.</summary>
    public HttpClient Http(string? token)
    {
        var client = new HttpClient { BaseAddress = new Uri(HttpAddress) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }
        lock (_httpClients)
        {
            _httpClients.Add(client);
        }
        return client;
    }

    /// <summary>A call invoker that sends <paramref name="token"/> (or nothing) as the bearer credential.</summary>
    public CallInvoker Invoker(string? token)
    {
        var channel = GrpcChannel.ForAddress(Address);
        lock (_channels)
        {
            _channels.Add(channel);
        }
        return token is null ? channel.CreateCallInvoker() : channel.Intercept(m =>
        {
            m.Add("authorization", "Bearer " + token);
            return m;
        });
    }

    public DisputeService.DisputeServiceClient Disputes(string? token) => new(Invoker(token));

    public AdminService.AdminServiceClient Admin(string? token = null) => new(Invoker(token ?? AdminToken));

    public async Task<string> KeyAsync(CredentialRole role, string scope, string officerName = "")
    {
        var r = await Admin().CreateApiKeyAsync(new CreateApiKeyRequest { Role = role, Scope = scope, Description = "test", OfficerName = officerName });
        return r.Token;
    }

    private sealed class CaptureLoggerProvider(ConcurrentQueue<string> sink) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CaptureLogger(categoryName, sink);

        public void Dispose()
        {
        }
    }

    private sealed class CaptureLogger(string category, ConcurrentQueue<string> sink) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
