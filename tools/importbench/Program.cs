// importbench — the store import benchmark of issue 17 (a tool, not a timed test).
//
//   importbench --mysql CS [--stores 50000] [--merchants 500] [--baseline 2000] [--gateway-dll PATH]
//
// Drops and recreates the database named in CS (its name must contain "bench"), starts the real
// gateway on it as a child process (free loopback port, no Redis), enrolls the merchants, then
// streams the stores through ImportStores three times (all new; the same again, all unchanged; all
// renamed, all updated), checking the counts each time, and times --baseline stores upserted one
// UpsertStore call at a time over the same channel (the way before ImportStores). Prints a Markdown
// table: seconds and stores per second for each pass and the ratio of the import's rate to the
// baseline's; exits 1 when a count is wrong or the first import of 50,000 stores took over 10 s.
//
// Example (MariaDB from tools/servers/rg-servers.sh):
//   eval "$(tools/servers/rg-servers.sh start)"
//   dotnet build -c Release tools/importbench && dotnet build -c Release src/ResolutionGateway
//   dotnet tools/importbench/bin/Release/net10.0/importbench.dll --mysql "${RG_MYSQL/Database=resolution/Database=rg_importbench}"

using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using MySqlConnector;
using ResolutionGateway.Contracts.V1;
using ResolutionGateway.Tools.Shared;

namespace ResolutionGateway.Tools.ImportBench;

internal static class Program
{
    private const string Usage = """
        usage: importbench --mysql CS [--stores 50000] [--merchants 500] [--baseline 2000] [--gateway-dll PATH]
        CS is a MySqlConnector connection string whose Database contains "bench"; it is dropped and recreated.
        """;

    // The target of issue 17: 50,000 stores in at most 10 s on MariaDB.
    private const double TargetSeconds = 10;
    private const int TargetStores = 50_000;
    private const int StoresPerMessage = 1_000;

    private static async Task<int> Main(string[] argv)
    {
        var args = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < argv.Length; i += 2)
        {
            args[argv[i].TrimStart('-')] = argv[i + 1];
        }
        if (!args.TryGetValue("mysql", out var mysql) || !new MySqlConnectionStringBuilder(mysql).Database.Contains("bench", StringComparison.Ordinal))
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        var stores = Int(args, "stores", TargetStores);
        var merchants = Int(args, "merchants", 500);
        var baseline = Int(args, "baseline", 2_000);
        var dll = args.GetValueOrDefault("gateway-dll") ?? Path.Combine(ChildProcesses.RepoRoot() ?? ".", "src", "ResolutionGateway", "bin", "Release", "net10.0", "ResolutionGateway.dll");

        await RecreateDatabaseAsync(mysql);
        await using var gateway = await Gateway.StartAsync(mysql, dll);
        var admin = gateway.Admin;
        for (var m = 0; m < merchants; m++)
        {
            await admin.EnrollMerchantAsync(new EnrollMerchantRequest { MerchantId = MerchantId(m), DisplayName = $"Merchant {m}" });
        }

        var failures = new List<string>();
        var create = await TimeImportAsync(admin, "create", Rows(stores, merchants, "Store"), r => r.Created, stores, failures);
        var unchanged = await TimeImportAsync(admin, "unchanged", Rows(stores, merchants, "Store"), r => r.Unchanged, stores, failures);
        var update = await TimeImportAsync(admin, "update", Rows(stores, merchants, "Renamed"), r => r.Updated, stores, failures);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < baseline; i++)
        {
            await admin.UpsertStoreAsync(new UpsertStoreRequest { Store = Row(i, merchants, "Single", "b-") });
        }
        var single = clock.Elapsed.TotalSeconds;

        var singleRate = baseline / single;
        Console.WriteLine($"importbench: {stores} stores of {merchants} merchants, MariaDB, gateway pid {gateway.ProcessId}");
        Console.WriteLine();
        Console.WriteLine("| pass | stores | seconds | stores/s | × UpsertStore one by one |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var (name, seconds) in new[] { ("ImportStores, all new", create), ("ImportStores, all unchanged", unchanged), ("ImportStores, all renamed", update) })
        {
            Console.WriteLine(FormattableString.Invariant($"| {name} | {stores} | {seconds:0.00} | {stores / seconds:0} | {stores / seconds / singleRate:0.0} |"));
        }
        Console.WriteLine(FormattableString.Invariant($"| UpsertStore, one call per store (baseline) | {baseline} | {single:0.00} | {singleRate:0} | 1.0 |"));
        Console.WriteLine();
        if (stores >= TargetStores && create > TargetSeconds)
        {
            failures.Add(FormattableString.Invariant($"target missed: {stores} new stores took {create:0.00} s (target {TargetSeconds} s)"));
        }
        Console.WriteLine(stores >= TargetStores
            ? FormattableString.Invariant($"target (50,000 stores in ≤ {TargetSeconds} s): {(create <= TargetSeconds ? "met" : "MISSED")}")
            : "target not checked (fewer than 50,000 stores)");
        foreach (var f in failures)
        {
            Console.Error.WriteLine(f);
        }
        await DropDatabaseAsync(mysql);
        return failures.Count == 0 ? 0 : 1;
    }

    private static async Task<double> TimeImportAsync(
        AdminService.AdminServiceClient admin, string pass, IEnumerable<Store> rows, Func<ImportStoresResponse, long> counted, int expected, List<string> failures)
    {
        var clock = Stopwatch.StartNew();
        using var call = admin.ImportStores();
        var message = new ImportStoresRequest { RequestId = $"importbench-{pass}-{Guid.NewGuid():N}" };
        foreach (var row in rows)
        {
            message.Stores.Add(row);
            if (message.Stores.Count == StoresPerMessage)
            {
                await call.RequestStream.WriteAsync(message);
                message = new ImportStoresRequest();
            }
        }
        if (message.Stores.Count > 0)
        {
            await call.RequestStream.WriteAsync(message);
        }
        await call.RequestStream.CompleteAsync();
        var response = await call.ResponseAsync;
        var seconds = clock.Elapsed.TotalSeconds;
        if (counted(response) != expected || response.Refused != 0)
        {
            failures.Add($"{pass}: expected {expected} counted, got created {response.Created}, updated {response.Updated}, "
                + $"unchanged {response.Unchanged}, refused {response.Refused}");
        }
        return seconds;
    }

    private static IEnumerable<Store> Rows(int stores, int merchants, string name)
    {
        for (var i = 0; i < stores; i++)
        {
            yield return Row(i, merchants, name, "s-");
        }
    }

    // Stores spread over the merchants and over Hangzhou's districts, as a city's enrolment would be.
    private static Store Row(int i, int merchants, string name, string prefix) => new()
    {
        MerchantId = MerchantId(i % merchants),
        StoreId = prefix + i.ToString("D7", CultureInfo.InvariantCulture),
        DisplayName = $"{name} {i}",
        Address = $"{i} Wensan Road, Hangzhou",
        RegionCode = "3301" + (2 + i % 9).ToString("D2", CultureInfo.InvariantCulture),
    };

    private static string MerchantId(int m) => "bench-m" + m.ToString("D5", CultureInfo.InvariantCulture);

    private static int Int(Dictionary<string, string> args, string name, int fallback) =>
        args.TryGetValue(name, out var s) ? int.Parse(s, CultureInfo.InvariantCulture) : fallback;

    private static async Task RecreateDatabaseAsync(string cs)
    {
        var b = new MySqlConnectionStringBuilder(cs);
        var name = b.Database;
        b.Database = "";
        await using var c = new MySqlConnection(b.ConnectionString);
        await c.OpenAsync();
        await using var cmd = new MySqlCommand($"DROP DATABASE IF EXISTS `{name}`; CREATE DATABASE `{name}`", c);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task DropDatabaseAsync(string cs)
    {
        var b = new MySqlConnectionStringBuilder(cs);
        var name = b.Database;
        b.Database = "";
        MySqlConnection.ClearAllPools();
        await using var c = new MySqlConnection(b.ConnectionString);
        await c.OpenAsync();
        await using var cmd = new MySqlCommand($"DROP DATABASE IF EXISTS `{name}`", c);
        await cmd.ExecuteNonQueryAsync();
    }
}

/// <summary>The real gateway as a child process on a free loopback port, on the bench database, with its bootstrap admin key.</summary>
internal sealed class Gateway : IAsyncDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _dataDir;
    private readonly GrpcChannel _channel;
    private readonly CapturedOutput _log = new();

    private Gateway(Process process, DirectoryInfo dataDir, int port)
    {
        _process = process;
        _dataDir = dataDir;
        _channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
    }

    public AdminService.AdminServiceClient Admin { get; private set; } = null!;

    public int ProcessId => _process.Id;

    public static async Task<Gateway> StartAsync(string mysql, string dll)
    {
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"gateway not built: {dll} (run: dotnet build -c Release src/ResolutionGateway, or pass --gateway-dll)");
        }
        var port = ChildProcesses.FreePort();
        var dataDir = Directory.CreateTempSubdirectory("importbench-gateway-");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(dll);
        psi.Environment["RG_DATA_DIR"] = dataDir.FullName;
        psi.Environment["Storage__Provider"] = "MySql";
        psi.Environment["Storage__MySql__ConnectionString"] = mysql;
        psi.Environment["Kestrel__Endpoints__Grpc__Url"] = $"http://127.0.0.1:{port}";
        psi.Environment["Kestrel__Endpoints__Http__Url"] = "http://127.0.0.1:0";
        psi.Environment["Metrics__Url"] = "http://127.0.0.1:0";
        psi.Environment["Deadlines__Enforce"] = "false";
        psi.Environment["Webhooks__Dispatch"] = "false";
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        psi.Environment["Redis__Configuration"] = "";
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the gateway");
        var gateway = new Gateway(process, dataDir, port);
        gateway._log.Attach(process);
        try
        {
            await gateway.ConnectAsync();
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
        return gateway;
    }

    private async Task ConnectAsync()
    {
        var keyFile = Path.Combine(_dataDir.FullName, "admin-key");
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the gateway exited with code {_process.ExitCode}:\n{_log}");
            }
            if (clock.Elapsed > TimeSpan.FromSeconds(120))
            {
                throw new TimeoutException($"the gateway did not start within 120 s:\n{_log}");
            }
            if (File.Exists(keyFile) && (await File.ReadAllTextAsync(keyFile)).Trim() is { Length: > 0 } token)
            {
                var invoker = _channel.CreateCallInvoker().Intercept(m =>
                {
                    m.Add("authorization", "Bearer " + token);
                    return m;
                });
                var admin = new AdminService.AdminServiceClient(invoker);
                try
                {
                    await admin.GetCallerAsync(new GetCallerRequest(), deadline: DateTime.UtcNow.AddSeconds(10));
                    Admin = admin;
                    return;
                }
                catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
                {
                    // Not listening yet.
                }
            }
            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
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
