using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using ResolutionGateway.Tools.Shared;

namespace ResolutionGateway.Tools.LoadGen.Cluster;

/// <summary>How a gateway node is started: its store, its Redis, and its data folder.</summary>
public sealed record NodeOptions(string Name, string Backend, string? MySql, string? Redis, string DataDirectory, string Dll);

/// <summary>
/// One real gateway process (the built ResolutionGateway.dll) on a free loopback port. Its
/// resident memory is read from /proc. Disposing stops it (SIGTERM, then SIGKILL after 15 s).
/// </summary>
public sealed class GatewayNode : IAsyncDisposable
{
    private readonly Process _process;
    private readonly CapturedOutput _log = new();

    private GatewayNode(Process process, NodeOptions options, int port)
    {
        _process = process;
        Options = options;
        Url = $"http://127.0.0.1:{port}";
    }

    public NodeOptions Options { get; }

    public string Url { get; }

    /// <summary>The gateway's process id (null once it has exited or this node was disposed), for its CPU time.</summary>
    public int? Pid
    {
        get
        {
            try
            {
                return _process.HasExited ? null : _process.Id;
            }
            catch (InvalidOperationException)
            {
                // Disposed: a later phase's meter still holds this node's lookup.
                return null;
            }
        }
    }

    /// <summary>The bootstrap admin key, if this node created it (the first node on a new store).</summary>
    public string? AdminToken { get; private set; }

    /// <summary>One key-encryption key (base64) for every node this run starts and the in-process store loops.</summary>
    internal static readonly string SharedKek = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public static async Task<GatewayNode> StartAsync(NodeOptions options, CancellationToken ct)
    {
        if (!File.Exists(options.Dll))
        {
            throw new FileNotFoundException($"gateway not built: {options.Dll} (run: dotnet build -c Release src/ResolutionGateway, or pass --gateway-dll)");
        }
        Directory.CreateDirectory(options.DataDirectory);
        var port = ChildProcesses.FreePort();
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(options.Dll);
        psi.Environment["RG_DATA_DIR"] = options.DataDirectory;
        psi.Environment["Kestrel__Endpoints__Grpc__Url"] = $"http://127.0.0.1:{port}";
        // Metrics on, as in production, on a free port (LOADGEN_GW_Metrics__Url= turns them off).
        psi.Environment["Metrics__Url"] = "http://127.0.0.1:0";
        // The HTTP/JSON listener is not used here; a free port keeps nodes off 8080 and each other.
        psi.Environment["Kestrel__Endpoints__Http__Url"] = "http://127.0.0.1:0";
        psi.Environment["Storage__Provider"] = options.Backend;
        if (options.MySql is not null)
        {
            psi.Environment["Storage__MySql__ConnectionString"] = options.MySql;
            // Nodes sharing a database must share the KEK that wraps its data keys.
            psi.Environment["PersonalData__Kek"] = SharedKek;
        }
        psi.Environment["Redis__Configuration"] = options.Redis ?? "";
        // The benchmarks measure a node's capacity with one key per party: per-key quotas off.
        psi.Environment["Quotas__Enabled"] = "false";
        // No request is logged below Debug anyway; keep start-up chatter out of the captured log.
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        // Tuning experiments: LOADGEN_GW_<NAME>=<value> in the environment reaches the gateway as <NAME>=<value>
        // (e.g. LOADGEN_GW_DOTNET_gcServer=0).
        foreach (var (key, value) in Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Select(e => ((string)e.Key, (string?)e.Value ?? "")))
        {
            if (key.StartsWith("LOADGEN_GW_", StringComparison.Ordinal))
            {
                psi.Environment[key["LOADGEN_GW_".Length..]] = value;
            }
        }
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the gateway");
        var node = new GatewayNode(process, options, port);
        node._log.Attach(process);
        try
        {
            await node.WaitReadyAsync(ct);
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
        return node;
    }

    public string Log() => _log.ToString();

    /// <summary>Resident set size of the gateway process now, in bytes (VmRSS).</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }
        throw new InvalidOperationException("no VmRSS in /proc status");
    }

    private async Task WaitReadyAsync(CancellationToken ct)
    {
        using var channel = GrpcChannel.ForAddress(Url);
        var health = new Health.HealthClient(channel);
        var keyFile = Path.Combine(Options.DataDirectory, "admin-key");
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"gateway {Options.Name} exited with code {_process.ExitCode}:\n{Log()}");
            }
            if (waited.Elapsed > TimeSpan.FromSeconds(120))
            {
                throw new TimeoutException($"gateway {Options.Name} did not answer on {Url} within 120 s:\n{Log()}");
            }
            try
            {
                var reply = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: ct);
                if (reply.Status == HealthCheckResponse.Types.ServingStatus.Serving)
                {
                    if (File.Exists(keyFile) && (await File.ReadAllTextAsync(keyFile, ct)).Trim() is { Length: > 0 } token)
                    {
                        AdminToken = token;
                    }
                    return;
                }
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
            {
                // Not listening yet.
            }
            await Task.Delay(200, ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await ChildProcesses.StopAsync(_process);
        _process.Dispose();
    }
}
