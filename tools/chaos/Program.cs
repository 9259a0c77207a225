// chaos: the client side of tools/cluster/chaos.sh (issue 15). Through the cluster's balancer it
// keeps a steady mixed load (opens, messages, offers, acceptances), 1,000 watchers over WatchDispute
// and WatchDisputes and a real webhook receiver, while it has tools/cluster/cluster.sh inject one
// fault after another; after each, it checks every acknowledged write against the log and writes one
// result object per fault. It also measures open throughput on the cluster against one plain MariaDB.
using System.Text.Json;
using Grpc.Net.Client;
using ResolutionGateway.Contracts.V1;
using ResolutionGateway.Tools.Chaos;
using ResolutionGateway.Tools.Chaos.Load;
using ResolutionGateway.Tools.LoadGen.Cluster;
using ResolutionGateway.Tools.ReportBench.Cli;

const string Usage = """
    usage: chaos --grpc URL --admin-key KEY --cluster SCRIPT [options]

      --grpc URL            the balancer's address (cluster.sh's RG_CLUSTER_GRPC)
      --admin-key KEY       an admin key of the cluster (RG_CLUSTER_ADMIN_KEY)
      --cluster SCRIPT      tools/cluster/cluster.sh (run with the caller's RG_CLUSTER_DIR)
      --out PATH            result list (default tools/cluster/results/latest.json)
      --direct URL          one gateway of the cluster, for the throughput ratio
      --single URL --single-key KEY
                            a gateway with the same settings on one plain MariaDB (the ratio's baseline)
      --short               shorter phases (the test command)
      --only TEXT           run only the faults whose name contains TEXT (e.g. "redis"), to reproduce one
      --repeat N            run the chosen faults N times over (default 1)
    """;

try
{
    var a = Args.Parse(args, "grpc= admin-key= cluster= out= direct= single= single-key= short only= repeat=");
    var shortRun = a.Has("short");
    var url = a.Required("grpc");
    var adminKey = a.Required("admin-key");
    var cluster = a.Required("cluster");
    var outPath = a.Get("out") ?? Path.Combine(Path.GetDirectoryName(cluster)!, "results", "latest.json");
    using var cancel = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        cancel.Cancel();
    };
    var ct = cancel.Token;
    var timing = shortRun ? new Timing(Before: 6, Hold: 4, Settle: 4, Workers: 6) : new Timing(Before: 20, Hold: 10, Settle: 10, Workers: 12);

    if (a.Get("direct") is { } direct && a.Get("single") is { } single)
    {
        var seconds = shortRun ? 8 : 20;
        var onCluster = await Throughput.OpensPerSecondAsync(direct, adminKey, seconds, ct);
        var onSingle = await Throughput.OpensPerSecondAsync(single, a.Required("single-key"), seconds, ct);
        var figures = new { opens_per_s_cluster = Math.Round(onCluster, 1), opens_per_s_single = Math.Round(onSingle, 1), ratio = Math.Round(onCluster / onSingle, 3), seconds, concurrency = Throughput.Concurrency };
        Console.Error.WriteLine($"chaos: open throughput, one gateway on Galera (through HAProxy) {onCluster:F1}/s, on one MariaDB {onSingle:F1}/s, ratio {onCluster / onSingle:F2}");
        Directory.CreateDirectory(Path.GetDirectoryName(outPath)!);
        await File.WriteAllTextAsync(Path.Combine(Path.GetDirectoryName(outPath)!, "throughput.json"), JsonSerializer.Serialize(figures) + "\n", ct);
    }

    var world = await World.CreateAsync(url, adminKey, ct);
    using var receiver = new WebhookReceiver();
    using (var channel = GrpcChannel.ForAddress(url))
    {
        // 1,000 watchers on one channel key are exactly the channel role's default stream quota, so a
        // reconnect that comes before its old stream's slot is freed was refused (RESOURCE_EXHAUSTED),
        // and on a slow machine the watchers fell behind for good. A payment platform with that many
        // streams gets a larger quota, as here (set before the key's first call, so every node reads it).
        await new AdminService.AdminServiceClient(channel).SetKeyQuotaAsync(new SetKeyQuotaRequest
        {
            Quota = new KeyQuota { KeyId = world.ChannelKeyId, RequestsPerSecond = 100_000, Burst = 100_000, Streams = 10_000 },
        }, Bearer.Of(adminKey), cancellationToken: ct);
        await new AdminService.AdminServiceClient(channel).CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest
        {
            OwnerKind = WebhookOwnerKind.Merchant, OwnerId = World.MerchantId, Url = receiver.Url, Description = "chaos " + world.RunId,
        }, Bearer.Of(adminKey), cancellationToken: ct);
    }
    using var connections = new Connections(url, 16);
    var faults = new Fault[]
    {
        new("kill -9 gateway", ["kill", "gw2"], ["restart", "gw2"], timing.Hold),
        new("kill -9 galera writer", ["kill", "writer"], ["restart", "{target}"], timing.Hold),
        new("kill -9 redis primary", ["kill", "redis-primary"], ["restart", "{target}"], timing.Hold),
        new("freeze galera writer 10s", ["freeze", "writer"], ["thaw", "{target}"], 10),
    };
    if (a.Get("only") is { } only)
    {
        faults = faults.Where(f => f.Name.Contains(only, StringComparison.OrdinalIgnoreCase)).ToArray();
    }
    var repeat = a.Int("repeat", 1, 1, 100);
    var results = new List<FaultResult>();
    foreach (var fault in Enumerable.Repeat(faults, repeat).SelectMany(f => f))
    {
        results.Add(await new Phase(cluster, connections, world, receiver, timing).RunAsync(fault, ct));
        Console.Error.WriteLine("chaos: " + JsonSerializer.Serialize(results[^1]));
    }
    Directory.CreateDirectory(Path.GetDirectoryName(outPath)!);
    await File.WriteAllTextAsync(outPath, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }) + "\n", ct);
    Console.WriteLine(Tables.Of(results));
    var failed = results.Where(r => !r.MeetsTargets).Select(r => r.fault).ToList();
    if (failed.Count > 0)
    {
        Console.Error.WriteLine($"chaos: targets missed for: {string.Join(", ", failed)}");
        return 1;
    }
    return 0;
}
catch (UsageException e)
{
    Console.Error.WriteLine($"chaos: {e.Message}\n\n{Usage}");
    return 2;
}
