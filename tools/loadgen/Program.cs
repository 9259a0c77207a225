// loadgen: the load generator and benchmark suite of ResolutionGateway (issue 6). It starts real
// gateway processes on loopback, drives the real gRPC API over a few HTTP/2 connections, and reports
// throughput, latency percentiles and errors by status code, each figure next to a baseline
// measured in the same run. See BENCHMARKS.md.
using System.Globalization;
using ResolutionGateway.Tools.LoadGen;
using ResolutionGateway.Tools.LoadGen.Engine;
using ResolutionGateway.Tools.ReportBench.Cli;
using ResolutionGateway.Tools.Shared;

const string Usage = """
    usage: loadgen [suite] [options]

    Runs the scenarios one after another against gateway processes it starts itself (MySQL store
    with Redis for all but open-sqlite, which uses the embedded store), then prints a Markdown
    table and writes a JSON result file. Loopback only; every phase is bounded in time.

      --mysql CS            MySqlConnector connection string of the server (default: $RG_MYSQL)
      --redis CONFIG        Redis configuration (default: $RG_REDIS)
      --database NAME       database the suite drops and creates for itself (default rg_loadgen)
      --gateway-dll PATH    the built gateway (default: src/ResolutionGateway/bin/Release/net10.0/ResolutionGateway.dll)
      --scenarios LIST      comma-separated, from: noop,read,db-ceiling,row-floor,open,open-half,message,message-half,lifecycle,
                            chat,chat-half,watchers,open-sqlite (default all)
      --duration S          measured seconds per phase (default 10)
      --warmup S            warm-up seconds per phase (default 3)
      --concurrency N       calls in flight in closed-loop phases (default 32)
      --rate R              run noop, read, db-ceiling, row-floor, open, message, lifecycle and open-sqlite open loop at
                            R calls (lifecycles) per second instead of closed loop; latency then counts from
                            each call's scheduled start
      --connections N       HTTP/2 connections per node (default 4)
      --read-disputes N     disputes seeded for read (default 500)
      --chat-rate R         messages per second in chat (default 1000)
      --chat-disputes N     disputes the chat (and message) is spread over (default 100)
      --message-half-disputes N
                            disputes message-half is spread over, opened before it unmeasured (default 10000)
      --watchers N          streams in watchers (default 10000)
      --watch-disputes N    disputes the watchers (and storm's streams) are spread over (default 1000)
      --storm-streams N     streams opened at once in storm (default 100000; 2000 with --smoke)
      --out PATH            JSON result file (default tools/loadgen/results/latest.json)
      --markdown PATH       also write the Markdown table there
      --smoke               a few seconds per scenario at small sizes (CI): fails only if calls fail, never on timing
    """;

try
{
    var argv = args.Length > 0 && args[0] == "suite" ? args[1..] : args;
    if (argv.Contains("--help") || argv.Contains("-h"))
    {
        Console.WriteLine(Usage);
        return 0;
    }
    var a = Args.Parse(argv, "mysql= redis= database= gateway-dll= scenarios= duration= warmup= concurrency= rate= connections= read-disputes= "
        + "chat-rate= chat-disputes= message-half-disputes= watchers= watch-disputes= storm-streams= out= markdown= smoke");
    var smoke = a.Has("smoke");
    var root = ChildProcesses.RepoRoot() ?? Directory.GetCurrentDirectory();
    var scenarios = (a.Get("scenarios") ?? string.Join(',', SuiteOptions.All)).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    if (scenarios.FirstOrDefault(s => !SuiteOptions.All.Contains(s) && !SuiteOptions.OnlyWhenNamed.Contains(s)) is { } unknown)
    {
        throw new UsageException($"unknown scenario '{unknown}'");
    }
    var options = new SuiteOptions
    {
        MySql = a.Get("mysql") ?? Environment.GetEnvironmentVariable("RG_MYSQL") ?? throw new UsageException("--mysql or $RG_MYSQL is required"),
        Redis = a.Get("redis") ?? Environment.GetEnvironmentVariable("RG_REDIS") ?? throw new UsageException("--redis or $RG_REDIS is required"),
        Database = a.Get("database") ?? "rg_loadgen",
        GatewayDll = a.Get("gateway-dll") ?? Path.Combine(root, "src", "ResolutionGateway", "bin", "Release", "net10.0", "ResolutionGateway.dll"),
        Out = a.Get("out") ?? Path.Combine(root, "tools", "loadgen", "results", "latest.json"),
        Markdown = a.Get("markdown"),
        Scenarios = scenarios.ToHashSet(StringComparer.Ordinal),
        Phase = new Phase(Seconds(a, "warmup", smoke ? 0.5 : 3), Seconds(a, "duration", smoke ? 1.5 : 10)),
        Concurrency = a.Int("concurrency", smoke ? 8 : 32, 1, 4096),
        Rate = a.Get("rate") is null ? null : a.Int("rate", 0, 1, 1_000_000),
        Connections = a.Int("connections", 4, 1, 256),
        ReadDisputes = a.Int("read-disputes", smoke ? 20 : 500, 1, 1_000_000),
        ChatRate = a.Int("chat-rate", smoke ? 100 : 1000, 1, 1_000_000),
        ChatDisputes = a.Int("chat-disputes", smoke ? 10 : 100, 1, 100_000),
        MessageHalfDisputes = a.Int("message-half-disputes", smoke ? 50 : 10_000, 1, 1_000_000),
        Watchers = a.Int("watchers", smoke ? 200 : 10_000, 1, 1_000_000),
        WatchDisputes = a.Int("watch-disputes", smoke ? 20 : 1000, 1, 1_000_000),
        StormStreams = a.Int("storm-streams", smoke ? 2000 : 100_000, 1, 1_000_000),
        Smoke = smoke,
    };
    using var cancel = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        cancel.Cancel();
    };
    return await new Suite(options).RunAsync(cancel.Token);
}
catch (UsageException e)
{
    Console.Error.WriteLine($"loadgen: {e.Message}\n\n{Usage}");
    return 2;
}

static TimeSpan Seconds(Args a, string name, double fallback)
{
    if (a.Get(name) is not { } text)
    {
        return TimeSpan.FromSeconds(fallback);
    }
    return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s is > 0 and <= 3600
        ? TimeSpan.FromSeconds(s)
        : throw new UsageException($"--{name} must be seconds from 0 to 3600, got '{text}'");
}
