using System.Diagnostics;
using ResolutionGateway.Contracts.V1;
using ResolutionGateway.Tools.Chaos.Load;
using ResolutionGateway.Tools.LoadGen.Cluster;

namespace ResolutionGateway.Tools.Chaos;

/// <summary>Seconds of steady load before a fault, how long a killed process stays down, the settling after recovery; load workers.</summary>
public sealed record Timing(int Before, int Hold, int Settle, int Workers);

/// <summary>A fault: the cluster.sh command that injects it, the one that repairs it ({target}: the process hit), seconds in between.</summary>
public sealed record Fault(string Name, string[] Inject, string[] Recover, int HoldSeconds);

/// <summary>One line of results/latest.json; the names are the keys.</summary>
#pragma warning disable IDE1006 // the JSON keys are fixed by the issue
public sealed record FaultResult(string fault, long acked_lost, long duplicates, long watch_missed, long watch_duplicated,
    long webhooks_missing, double max_write_gap_s, double p99_ms_before, double p99_ms_during)
#pragma warning restore IDE1006
{
    [System.Text.Json.Serialization.JsonIgnore]
    public bool MeetsTargets => acked_lost == 0 && duplicates == 0 && watch_missed == 0 && watch_duplicated == 0
        && webhooks_missing == 0 && max_write_gap_s <= 5;
}

/// <summary>
/// One fault under load: fresh watchers and watched disputes, steady load, the fault, its repair,
/// then (load stopped) a wait until webhooks and watchers have caught up, and the checks.
/// </summary>
public sealed class Phase(string cluster, Connections connections, World world, WebhookReceiver receiver, Timing timing)
{
    private const int FeedWatchers = 10;
    private const int WatchedDisputes = 33;
    private const int WatchersPerDispute = 30; // 33 × 30 + 10 = 1,000 watchers
    private static readonly TimeSpan ConvergeWithin = TimeSpan.FromSeconds(90);

    // The first seconds of a phase (new watchers replaying, connections warming) are not "before".
    private static readonly long WarmUp = 2 * Stopwatch.Frequency;

    public async Task<FaultResult> RunAsync(Fault fault, CancellationToken ct)
    {
        Console.Error.WriteLine($"chaos: == {fault.Name}");
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var watchers = new Watchers(connections, world);
        watchers.Start([], 0, FeedWatchers, watching.Token);
        await watchers.FeedLiveAsync(ct);
        var watched = new List<string>();
        for (var i = 0; i < WatchedDisputes; i++)
        {
            watched.Add(await MixedLoad.OpenAsync(connections, world, ct));
        }
        watchers.Start(watched, WatchersPerDispute, 0, watching.Token);

        using var loading = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var load = new MixedLoad(connections, world, watched);
        var started = Stopwatch.GetTimestamp();
        var running = load.RunAsync(timing.Workers, loading.Token);
        await Task.Delay(TimeSpan.FromSeconds(timing.Before), ct);

        var injected = Stopwatch.GetTimestamp();
        var target = await ClusterAsync(fault.Inject, ct);
        await Task.Delay(TimeSpan.FromSeconds(fault.HoldSeconds), ct);
        await ClusterAsync(fault.Recover.Select(s => s.Replace("{target}", target, StringComparison.Ordinal)).ToArray(), ct);
        if (fault.Recover[0] == "thaw")
        {
            await ClusterAsync(["wait", target], ct);
        }
        var recovered = Stopwatch.GetTimestamp();
        await Task.Delay(TimeSpan.FromSeconds(timing.Settle), ct);
        var settled = Stopwatch.GetTimestamp();
        await loading.CancelAsync();
        await running;

        var acks = load.Acks.ToList();
        // A call no retry got answered within 90 s is not an acknowledged write, so no key counts it;
        // it is reported here (none were seen in the recorded runs).
        Console.Error.WriteLine($"chaos: {acks.Count} writes acknowledged, {load.Errors} calls never answered");
        var disputes = acks.Select(x => x.DisputeId).Concat(watched).ToHashSet(StringComparer.Ordinal);
        var logs = new Dictionary<string, List<DisputeEvent>>(StringComparer.Ordinal);
        var deadline = Stopwatch.GetTimestamp() + (long)(ConvergeWithin.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            logs.Clear();
            foreach (var id in disputes)
            {
                logs[id] = await MixedLoad.EventsAsync(connections, world, id, ct);
            }
            var webhooksIn = logs.Values.SelectMany(l => l).All(e => receiver.EventIds.ContainsKey($"{e.DisputeId}/events/{e.Seq}"));
            if ((webhooksIn && watchers.CaughtUp(logs, disputes)) || Stopwatch.GetTimestamp() > deadline)
            {
                break;
            }
            await Task.Delay(1000, ct);
        }
        await watching.CancelAsync();
        await watchers.StopAsync();

        var (missed, duplicated, notes) = watchers.Compare(logs, disputes);
        foreach (var note in notes)
        {
            Console.Error.WriteLine("chaos: " + note);
        }
        return new FaultResult(
            fault.Name,
            acked_lost: acks.Count(x => !logs[x.DisputeId].Any(e => MixedLoad.KindOf(e) == x.Kind && MixedLoad.MarkerOf(e) == x.Marker)),
            duplicates: logs.Values.Sum(l => l.GroupBy(e => (MixedLoad.KindOf(e), MixedLoad.MarkerOf(e))).Sum(g => g.Count() - 1)),
            watch_missed: missed,
            watch_duplicated: duplicated,
            webhooks_missing: logs.Values.SelectMany(l => l).Count(e => !receiver.EventIds.ContainsKey($"{e.DisputeId}/events/{e.Seq}")),
            max_write_gap_s: Math.Round((double)Figures.MaxGap(acks.Select(x => x.At), injected, settled) / Stopwatch.Frequency, 2),
            p99_ms_before: Math.Round(Figures.P99(acks.Where(x => x.At > started + WarmUp && x.At <= injected).Select(x => x.Ms)), 1),
            p99_ms_during: Math.Round(Figures.P99(acks.Where(x => x.At > injected && x.At <= recovered).Select(x => x.Ms)), 1));
    }

    // Runs cluster.sh; for kill and freeze, first asks which process "writer" or "redis-primary" is now.
    private async Task<string> ClusterAsync(string[] arguments, CancellationToken ct)
    {
        var target = arguments.Length > 1 ? arguments[1] : "";
        if (target is "writer" or "redis-primary")
        {
            target = (await RunAsync([target], ct)).Trim();
            arguments = [arguments[0], target];
        }
        Console.Error.WriteLine($"chaos: cluster.sh {string.Join(' ', arguments)}");
        await RunAsync(arguments, ct);
        return target;
    }

    private async Task<string> RunAsync(string[] arguments, CancellationToken ct)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true };
        psi.ArgumentList.Add(cluster);
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }
        using var p = Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"cluster.sh {string.Join(' ', arguments)} exited with {p.ExitCode}");
        }
        return output;
    }
}
