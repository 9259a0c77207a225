using System.Diagnostics;
using Dapper;
using Grpc.Core;
using Grpc.Net.Client;
using ResolutionGateway.Contracts.V1;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Tools.ReportBench.Data;
using ResolutionGateway.Tools.Shared;

namespace ResolutionGateway.Tools.ReportBench.Bench;

/// <summary>
/// The real gateway as a child process on a free loopback port, on the bench database (MySQL
/// store, no Redis, deadline worker and webhook dispatch off so the history does not change under
/// the benchmark), with a temporary data directory for its bootstrap admin key. An analyst key is
/// created through AdminService; both keys are revoked and the process stopped on dispose.
/// </summary>
internal sealed class Gateway : IAsyncDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _dataDir;
    private readonly CapturedOutput _log = new();
    private readonly GrpcChannel _channel;
    private string _adminToken = "";
    private string _analystKeyId = "";
    private string _adminKeyId = "";

    private Gateway(Process process, DirectoryInfo dataDir, int port)
    {
        _process = process;
        _dataDir = dataDir;
        Url = $"http://127.0.0.1:{port}";
        _channel = GrpcChannel.ForAddress(Url, new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 * 1024 });
        Reporting = new ReportingService.ReportingServiceClient(_channel);
    }

    public string Url { get; }

    /// <summary>The bearer metadata of the analyst key.</summary>
    public Metadata AnalystHeaders { get; } = [];

    public ReportingService.ReportingServiceClient Reporting { get; }

    /// <summary>The repository root, if found.</summary>
    public static string? RepoRoot() => ChildProcesses.RepoRoot();

    /// <summary>Where the gateway's Release build output is expected.</summary>
    public static string? DefaultDll() => RepoRoot() is { } root
        ? Path.Combine(root, "src", "ResolutionGateway", "bin", "Release", "net10.0", "ResolutionGateway.dll")
        : null;

    public static async Task<Gateway> StartAsync(BenchDatabase db, string dll, CancellationToken ct)
    {
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"gateway not built: {dll} (run: dotnet build -c Release src/ResolutionGateway, or pass --gateway-dll)");
        }
        // A fresh bootstrap admin key each run: the gateway creates one only when no admin key is active.
        await using (var c = await db.OpenAsync(ct))
        {
            await c.ExecuteAsync(new CommandDefinition("UPDATE api_keys SET revoked_at = @Now WHERE role = 1 AND revoked_at IS NULL",
                new { Now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, cancellationToken: ct));
        }
        var port = ChildProcesses.FreePort();
        var dataDir = Directory.CreateTempSubdirectory("reportbench-gateway-");
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        psi.Environment["RG_DATA_DIR"] = dataDir.FullName;
        psi.Environment["Storage__Provider"] = "MySql";
        psi.Environment["Storage__MySql__ConnectionString"] = db.ConnectionString;
        psi.Environment["Kestrel__Endpoints__Grpc__Url"] = $"http://127.0.0.1:{port}";
        psi.Environment["Metrics__Url"] = "http://127.0.0.1:0";
        // A benchmark times calls back to back: the analyst role's default quota (20/s) would refuse them.
        psi.Environment["Quotas__Enabled"] = "false";
        // The HTTP/JSON listener is not used here; a free port keeps nodes off 8080 and each other.
        psi.Environment["Kestrel__Endpoints__Http__Url"] = "http://127.0.0.1:0";
        psi.Environment["Deadlines__Enforce"] = "false";
        psi.Environment["Webhooks__Dispatch"] = "false";
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        psi.Environment["Redis__Configuration"] = "";
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the gateway");
        var gateway = new Gateway(process, dataDir, port);
        gateway._log.Attach(process);
        try
        {
            await gateway.ConnectAsync(ct);
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
        return gateway;
    }

    public int ProcessId => _process.Id;

    public string Log() => _log.ToString();

    private async Task ConnectAsync(CancellationToken ct)
    {
        var keyFile = Path.Combine(_dataDir.FullName, "admin-key");
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the gateway exited with code {_process.ExitCode}:\n{Log()}");
            }
            if (deadline.Elapsed > TimeSpan.FromSeconds(120))
            {
                throw new TimeoutException($"the gateway did not answer on {Url} within 120 s:\n{Log()}");
            }
            if (File.Exists(keyFile) && (await File.ReadAllTextAsync(keyFile, ct)).Trim() is { Length: > 0 } token)
            {
                try
                {
                    var admin = new AdminService.AdminServiceClient(_channel);
                    var headers = new Metadata { { "authorization", "Bearer " + token } };
                    var created = await admin.CreateApiKeyAsync(new CreateApiKeyRequest
                    {
                        Role = Contracts.V1.CredentialRole.Analyst,
                        Scope = "",
                        Description = "reportbench",
                    }, headers, deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: ct);
                    _adminToken = token;
                    _adminKeyId = ApiKeys.TryParse(token, out var adminKeyId, out _) ? adminKeyId : "";
                    _analystKeyId = created.Key.KeyId;
                    AnalystHeaders.Add("authorization", "Bearer " + created.Token);
                    return;
                }
                catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
                {
                    // Not listening yet.
                }
            }
            await Task.Delay(200, ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_adminToken.Length > 0 && !_process.HasExited)
        {
            var admin = new AdminService.AdminServiceClient(_channel);
            var headers = new Metadata { { "authorization", "Bearer " + _adminToken } };
            foreach (var keyId in new[] { _analystKeyId, _adminKeyId }.Where(k => k.Length > 0))
            {
                try
                {
                    await admin.RevokeApiKeyAsync(new RevokeApiKeyRequest { KeyId = keyId }, headers, deadline: DateTime.UtcNow.AddSeconds(10));
                }
                catch (RpcException e)
                {
                    Console.Error.WriteLine($"warning: could not revoke {keyId}: {e.Status.Detail}");
                }
            }
        }
        _channel.Dispose();
        await ChildProcesses.StopAsync(_process);
        _process.Dispose();
        try
        {
            _dataDir.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
