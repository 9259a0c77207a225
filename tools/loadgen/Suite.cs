using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Dapper;
using MySqlConnector;
using ResolutionGateway.Tools.LoadGen.Cluster;
using ResolutionGateway.Tools.LoadGen.Engine;
using ResolutionGateway.Tools.LoadGen.Report;
using ResolutionGateway.Tools.LoadGen.Scenarios;

namespace ResolutionGateway.Tools.LoadGen;

/// <summary>What the suite runs and how hard.</summary>
public sealed record SuiteOptions
{
    public required string MySql { get; init; }
    public required string Redis { get; init; }
    public required string Database { get; init; }
    public required string GatewayDll { get; init; }
    public required string Out { get; init; }
    public string? Markdown { get; init; }
    public required IReadOnlySet<string> Scenarios { get; init; }
    public required Phase Phase { get; init; }
    public int Concurrency { get; init; } = 32;
    /// <summary>When set, noop, read, db-ceiling, row-floor, open, message and lifecycle run open loop at this rate instead of closed loop.</summary>
    public double? Rate { get; init; }
    public int Connections { get; init; } = 4;
    public int ReadDisputes { get; init; } = 500;
    public double ChatRate { get; init; } = 1000;
    public int ChatDisputes { get; init; } = 100;
    public int MessageHalfDisputes { get; init; } = 10_000;
    public int Watchers { get; init; } = 10_000;
    public int WatchDisputes { get; init; } = 1000;
    public int StormStreams { get; init; } = 100_000;
    public bool Smoke { get; init; }

    /// <summary>Scenarios run only when named in --scenarios (too heavy for "every scenario").</summary>
    public static readonly string[] OnlyWhenNamed = ["storm"];

    public static readonly string[] All = ["noop", "read", "db-ceiling", "row-floor", "open", "open-half", "message", "message-half", "lifecycle", "chat", "chat-half", "watchers", "open-sqlite"];
}

/// <summary>
/// The whole benchmark in one run: starts real gateway processes (MySQL store with Redis, and the
/// embedded store), runs every scenario and its baselines one after another on the same machine,
/// and reports each figure against its baseline and target.
/// </summary>
public sealed class Suite(SuiteOptions o)
{
    private readonly List<ScenarioResult> _results = [];
    private readonly string _workDir = Directory.CreateTempSubdirectory("loadgen-").FullName;
    private readonly CpuMeter _cpu = NewCpuMeter();

    // The generator itself (and the in-process loops of db-ceiling and row-floor), and the MariaDB of
    // tools/servers/rg-servers.sh when its pid file is where RG_SERVERS_DIR says.
    private static CpuMeter NewCpuMeter()
    {
        var cpu = new CpuMeter();
        cpu.Watch("loadgen", () => Environment.ProcessId);
        var pidFile = Path.Combine(Environment.GetEnvironmentVariable("RG_SERVERS_DIR") is { Length: > 0 } dir ? dir : "/tmp/rg-servers", "mariadb", "mysqld.pid");
        cpu.Watch("mariadb", () => CpuMeter.PidFile(pidFile));
        Load.Window = cpu;
        return cpu;
    }

    private bool Wants(string scenario) => o.Scenarios.Contains(scenario);

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        var total = Stopwatch.StartNew();
        try
        {
            if (o.Scenarios.Overlaps(SuiteOptions.All.Where(s => s != "open-sqlite")) || Wants("storm"))
            {
                await RunMySqlAsync(ct);
            }
            if (Wants("open-sqlite"))
            {
                await RunSqliteAsync(ct);
            }
        }
        finally
        {
            try
            {
                Directory.Delete(_workDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
        var targets = Targets.Evaluate(_results);
        var machine = await MachineAsync(ct);
        var document = new
        {
            started,
            seconds = Math.Round(total.Elapsed.TotalSeconds, 1),
            machine,
            settings = new
            {
                warmup_s = o.Phase.Warmup.TotalSeconds,
                duration_s = o.Phase.Duration.TotalSeconds,
                o.Concurrency,
                o.Rate,
                o.Connections,
                o.ChatRate,
                o.ChatDisputes,
                o.MessageHalfDisputes,
                o.Watchers,
                o.WatchDisputes,
                o.StormStreams,
                o.Smoke,
            },
            scenarios = _results,
            targets,
        };
        var json = JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower });
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(o.Out))!);
        await File.WriteAllTextAsync(o.Out, json + "\n", ct);
        var table = Tables.Markdown(machine, o, _results, targets);
        Console.WriteLine(table);
        if (o.Markdown is not null)
        {
            await File.WriteAllTextAsync(o.Markdown, table, ct);
        }
        Console.WriteLine($"results: {o.Out}");
        // The smoke asserts that every scenario works (calls succeed, deliveries arrive), never timing.
        var broken = _results.Where(r => r.Ok == 0 || r.Failed > 0).ToArray();
        foreach (var r in broken)
        {
            Console.Error.WriteLine($"scenario {r.Name}: {r.Ok} ok, errors {string.Join(", ", r.Errors.Select(e => $"{e.Key}={e.Value}"))}");
        }
        return broken.Length == 0 ? 0 : 1;
    }

    private NodeOptions Node(string name, string backend, string? mysql, string? redis) =>
        new(name, backend, mysql, redis, Path.Combine(_workDir, name), o.GatewayDll);

    private async Task RunMySqlAsync(CancellationToken ct)
    {
        var mysql = await FreshDatabaseAsync(ct);
        Log($"MySQL store: database {o.Database} (new), Redis {o.Redis}");
        await using var a = await GatewayNode.StartAsync(Node("node-a", "MySql", mysql, o.Redis), ct);
        _cpu.Watch("gateway", () => a.Pid);
        var world = await World.CreateAsync(a.Url, a.AdminToken ?? throw new InvalidOperationException("node A did not create an admin key"), ct);
        using var connA = new Connections(a.Url, o.Connections);
        var targetA = new Target("mysql", connA, world);
        var offered = new Offered(o.Concurrency, o.Rate);
        var mode = offered.ToString();

        if (Wants("noop"))
        {
            Log("noop: liveness health check (gRPC ceiling)");
            Add(ScenarioResult.From("noop", "grpc.health.v1 Check(\"liveness\"): the gRPC stack, no storage", "none", mode,
                await RpcScenarios.NoopAsync(targetA, offered, o.Phase, ct)));
        }
        if (Wants("read"))
        {
            Log($"read: seeding {o.ReadDisputes} disputes, then GetDispute");
            var ids = await RpcScenarios.SeedDisputesAsync(targetA, o.ReadDisputes, ct);
            Add(ScenarioResult.From("read", "GetDispute by the channel, random among the seeded disputes", "mysql", mode,
                await RpcScenarios.ReadAsync(targetA, ids, offered, o.Phase, ct)));
        }
        if (Wants("db-ceiling"))
        {
            Log("db-ceiling: OpenDispute's database work in a plain MySqlConnector loop");
            Add(ScenarioResult.From("db-ceiling", "OpenDispute's database work, in-process MySqlConnector loop (no gRPC)", "mysql", mode,
                await DatabaseCeiling.OpenAsync(mysql, world, offered, o.Phase, ct)));
        }
        if (Wants("row-floor"))
        {
            // The rows' JSON is a dispute the gateway has just opened, so the floor writes rows of the service's size.
            Log("row-floor: one dispute row and one event row per transaction in a plain MySqlConnector loop");
            var sample = (await RpcScenarios.SeedDisputesAsync(targetA, 1, ct))[0];
            var rows = await RowFloor.SampleAsync(mysql, sample, ct);
            var floor = ScenarioResult.From("row-floor", "a dispute row and an event row of the service's sizes, one round trip per commit, in-process MySqlConnector loop (no gRPC)",
                "mysql", mode, await RowFloor.RunAsync(mysql, rows, offered, o.Phase, ct));
            floor.Extra["state_json_bytes"] = Encoding.UTF8.GetByteCount(rows.StateJson);
            floor.Extra["payload_json_bytes"] = Encoding.UTF8.GetByteCount(rows.PayloadJson);
            Add(floor);
        }
        ScenarioResult? open = null;
        if (Wants("open") || Wants("open-half"))
        {
            Log($"open: OpenDispute, {mode}");
            open = Add(ScenarioResult.From("open", "OpenDispute, a new order each call", "mysql", mode,
                await RpcScenarios.OpenAsync(targetA, offered, o.Phase, ct)));
        }
        if (Wants("open-half") && open is not null)
        {
            var halfOffered = Offered.HalfOf(open.PerSecond, o.Concurrency);
            var rate = halfOffered.Rate!.Value;
            Log($"open-half: OpenDispute at {rate}/s (half the peak), open loop");
            var half = Add(ScenarioResult.From("open-half", "OpenDispute at half the peak rate (latency from the scheduled start)", "mysql", halfOffered.ToString(),
                await RpcScenarios.OpenAsync(targetA, halfOffered, o.Phase, ct)));
            half.Extra["offered_per_s"] = rate;
        }
        ScenarioResult? message = null;
        if (Wants("message") || Wants("message-half") || Wants("chat-half"))
        {
            Log($"message: seeding {o.ChatDisputes} disputes, then PostMessage (the write of chat)");
            var ids = await RpcScenarios.SeedDisputesAsync(targetA, o.ChatDisputes, ct);
            message = Add(ScenarioResult.From("message", "PostMessage by the consumer, random among the seeded disputes", "mysql", mode,
                await RpcScenarios.MessageAsync(targetA, ids, offered, o.Phase, ct)));
        }
        if (Wants("message-half") && message is not null)
        {
            // Over many disputes, as real traffic is: the write path's latency with headroom, not one dispute's queue.
            var halfOffered = Offered.HalfOf(message.PerSecond, o.Concurrency);
            var rate = halfOffered.Rate!.Value;
            Log($"message-half: seeding {o.MessageHalfDisputes} disputes, then PostMessage at {rate}/s (half the message peak), open loop");
            var ids = await RpcScenarios.SeedDisputesAsync(targetA, o.MessageHalfDisputes, ct);
            var half = ScenarioResult.From("message-half", "PostMessage at half the message peak, random among the seeded disputes (latency from the scheduled start)",
                "mysql", halfOffered.ToString(), await RpcScenarios.MessageAsync(targetA, ids, halfOffered, o.Phase, ct));
            half.Extra["offered_per_s"] = rate;
            half.Extra["disputes"] = ids.Length;
            Add(half);
        }
        if (Wants("lifecycle"))
        {
            Log("lifecycle: open, 2 messages, offer, accept");
            var steps = RpcScenarios.LifecycleSteps.Select(_ => new Recorder()).ToArray();
            var lifecycle = Add(ScenarioResult.From("lifecycle", "open, consumer and merchant messages, offer, accept (5 RPCs)", "mysql", mode,
                await RpcScenarios.LifecycleAsync(targetA, offered, o.Phase, steps, ct)));
            lifecycle.Extra["rpcs_per_s"] = Math.Round(lifecycle.PerSecond * steps.Length, 1);
            for (var i = 0; i < steps.Length; i++)
            {
                var p = Percentiles.Of(steps[i]);
                lifecycle.Extra[$"{RpcScenarios.LifecycleSteps[i]}_p50_ms"] = p.P50;
                lifecycle.Extra[$"{RpcScenarios.LifecycleSteps[i]}_p99_ms"] = p.P99;
            }
        }
        if (Wants("chat") || Wants("chat-half"))
        {
            await using var b = await GatewayNode.StartAsync(Node("node-b", "MySql", mysql, o.Redis), ct);
            _cpu.Watch("gateway_b", () => b.Pid);
            using var connB = new Connections(b.Url, o.Connections);
            var targetB = new Target("mysql", connB, world);
            // Each chat phase seeds disputes of its own: its watchers replay a dispute's log from the
            // start, and an earlier phase's measured messages must not count as this phase's deliveries.
            if (Wants("chat"))
            {
                Log($"chat: node B; {o.ChatDisputes} disputes watched on B, messages posted on A at {o.ChatRate}/s");
                var ids = await RpcScenarios.SeedDisputesAsync(targetA, o.ChatDisputes, ct);
                Add(await StreamScenarios.ChatAsync("chat", targetA, targetB, ids, o.ChatRate, o.Phase, ct));
            }
            if (Wants("chat-half") && message is not null)
            {
                // The same at half the PostMessage peak: the fan-out's latency where the write path has headroom.
                var rate = Offered.HalfOf(message.PerSecond, o.Concurrency).Rate!.Value;
                Log($"chat-half: as chat, at {rate}/s (half the message peak)");
                var ids = await RpcScenarios.SeedDisputesAsync(targetA, o.ChatDisputes, ct);
                Add(await StreamScenarios.ChatAsync("chat-half", targetA, targetB, ids, rate, o.Phase, ct));
            }
        }
        if (Wants("watchers"))
        {
            // A node of its own, so its memory is the streams' and a fresh process's, not the earlier scenarios' heap.
            Log($"watchers: node C; {o.Watchers} streams over {o.WatchDisputes} disputes");
            await using var c = await GatewayNode.StartAsync(Node("node-c", "MySql", mysql, o.Redis), ct);
            using var connC = new Connections(c.Url, o.Connections);
            var targetC = new Target("mysql", connC, world);
            var ids = await RpcScenarios.SeedDisputesAsync(targetC, o.WatchDisputes, ct);
            Add(await StreamScenarios.WatchersAsync(c, targetC, ids, o.Watchers, ct));
        }
        if (Wants("storm"))
        {
            // A fresh node of its own too: its memory before the storm is a new process's.
            Log($"storm: node D; {o.StormStreams} streams opened at once over {o.WatchDisputes} disputes, side load of GetDispute and PostMessage");
            await using var d = await GatewayNode.StartAsync(Node("node-d", "MySql", mysql, o.Redis), ct);
            using var connD = new Connections(d.Url, o.Connections);
            var ids = await RpcScenarios.SeedDisputesAsync(new Target("mysql", connD, world), o.WatchDisputes, ct);
            Add(await StormScenario.RunAsync(d, world, ids, o.StormStreams, o.Phase, ct));
        }
    }

    private async Task RunSqliteAsync(CancellationToken ct)
    {
        Log("open-sqlite: embedded store (SQLite, synchronous=FULL), OpenDispute");
        await using var s = await GatewayNode.StartAsync(Node("node-sqlite", "Sqlite", null, null), ct);
        _cpu.Forget("mariadb");
        _cpu.Watch("gateway", () => s.Pid);
        var world = await World.CreateAsync(s.Url, s.AdminToken ?? throw new InvalidOperationException("the SQLite node did not create an admin key"), ct);
        using var conn = new Connections(s.Url, o.Connections);
        var offered = new Offered(o.Concurrency, o.Rate);
        Add(ScenarioResult.From("open-sqlite", "OpenDispute on the embedded store", "sqlite", offered.ToString(),
            await RpcScenarios.OpenAsync(new Target("sqlite", conn, world), offered, o.Phase, ct)));
    }

    private ScenarioResult Add(ScenarioResult r)
    {
        foreach (var (name, ms) in _cpu.PerCall(r.Ok))
        {
            r.Extra[name] = ms;
        }
        _results.Add(r);
        Log($"  {r.Name}: {r.PerSecond:0.0}/s, p50 {r.Latency?.P50:0.00} ms, p99 {r.Latency?.P99:0.00} ms, errors {r.Failed}"
            + string.Concat(r.Extra.Select(e => $", {e.Key} {e.Value.ToString(CultureInfo.InvariantCulture)}")));
        return r;
    }

    // The benchmark's own database, dropped and created anew: every run starts from the same empty state.
    private async Task<string> FreshDatabaseAsync(CancellationToken ct)
    {
        var builder = new MySqlConnectionStringBuilder(o.MySql) { Database = "" };
        await using (var c = new MySqlConnection(builder.ConnectionString))
        {
            await c.OpenAsync(ct);
            await c.ExecuteAsync($"DROP DATABASE IF EXISTS `{o.Database}`");
            await c.ExecuteAsync($"CREATE DATABASE `{o.Database}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        }
        builder.Database = o.Database;
        return builder.ConnectionString;
    }

    private async Task<Dictionary<string, string>> MachineAsync(CancellationToken ct)
    {
        var machine = new Dictionary<string, string>
        {
            ["cores"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
            ["cpu"] = File.Exists("/proc/cpuinfo")
                ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?"
                : "?",
            ["memory_gib"] = (GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1073741824.0).ToString("0", CultureInfo.InvariantCulture),
            ["os"] = RuntimeInformation.OSDescription,
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
        };
        try
        {
            await using var c = new MySqlConnection(o.MySql);
            await c.OpenAsync(ct);
            machine["database"] = await c.QuerySingleAsync<string>("SELECT VERSION()");
        }
        catch (MySqlException)
        {
            machine["database"] = "?";
        }
        return machine;
    }

    public static void Log(string line) =>
        Console.Error.WriteLine($"[loadgen {DateTime.Now:HH:mm:ss}] {line}");
}
