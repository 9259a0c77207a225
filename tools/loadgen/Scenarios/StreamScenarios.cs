using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using ResolutionGateway.Contracts.V1;
using ResolutionGateway.Tools.LoadGen.Cluster;
using ResolutionGateway.Tools.LoadGen.Engine;
using ResolutionGateway.Tools.LoadGen.Report;

namespace ResolutionGateway.Tools.LoadGen.Scenarios;

/// <summary>The WatchDispute scenarios: chat across two nodes, and many idle streams on one node.</summary>
public static class StreamScenarios
{
    private const string Tag = "lg";

    /// <summary>
    /// Messages posted on node A (the consumer, through the channel) at a fixed rate, round robin
    /// over <paramref name="ids"/>; the merchant watches each dispute on node B. A delivery's latency
    /// runs from the post's scheduled start (in the text, as Stopwatch ticks of this process) to
    /// its arrival on B's stream, so it includes the PostMessage call, the commit, the Redis
    /// fan-out and the stream write. A measured post that never arrives counts as "lost".
    /// </summary>
    public static async Task<ScenarioResult> ChatAsync(string name, Target nodeA, Target nodeB, string[] ids, double rate, Phase phase, CancellationToken ct)
    {
        var delivery = new Recorder { Recording = true };
        long delivered = 0;
        long sent = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var ready = ids.Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var watchers = ids.Select((id, i) => Task.Run(async () =>
        {
            try
            {
                using var call = nodeB.Connections.Disputes(i).WatchDispute(
                    new WatchDisputeRequest { DisputeId = id }, nodeB.World.MerchantHeaders, cancellationToken: stop.Token);
                await foreach (var item in call.ResponseStream.ReadAllAsync(stop.Token))
                {
                    var now = Stopwatch.GetTimestamp();
                    if (item.CaughtUp)
                    {
                        ready[i].TrySetResult();
                    }
                    else if (Parse(item.Event?.MessagePosted?.Text) is { Measured: true } m)
                    {
                        delivery.Success(m.Scheduled, now);
                        Interlocked.Increment(ref delivered);
                    }
                }
            }
            catch (Exception e) when (stop.IsCancellationRequested)
            {
                _ = e;
            }
            catch (Exception e)
            {
                ready[i].TrySetException(e);
                delivery.Failure("watch-" + (e is RpcException rpc ? rpc.StatusCode.ToString() : e.GetType().Name));
            }
        }, CancellationToken.None)).ToArray();
        await Task.WhenAll(ready.Select(r => r.Task)).WaitAsync(TimeSpan.FromSeconds(60), ct);

        var post = await Load.OpenAsync(rate, phase, maxInFlight: 2048, async (call, token) =>
        {
            await nodeA.Connections.Disputes(call.Number).PostMessageAsync(new PostMessageRequest
            {
                RequestId = Guid.NewGuid().ToString(),
                DisputeId = ids[call.Number % ids.Length],
                Text = Format(call.Scheduled, call.Measured),
            }, nodeA.World.ChannelHeaders, DateTime.UtcNow.AddSeconds(30), token);
            if (call.Measured)
            {
                Interlocked.Increment(ref sent);
            }
        }, ct);

        // Stragglers: wait until every measured post has arrived, at most 5 s.
        var grace = Stopwatch.StartNew();
        while (Interlocked.Read(ref delivered) < Interlocked.Read(ref sent) && grace.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(50, ct);
        }
        delivery.Failure("lost", Interlocked.Read(ref sent) - Interlocked.Read(ref delivered));
        await stop.CancelAsync();
        await Task.WhenAll(watchers);

        var result = ScenarioResult.From(name, "message posted on node A to its arrival on a watcher on node B", nodeA.Backend,
            $"open({rate:0}/s)", new PhaseResult(delivery, phase.Duration));
        foreach (var (code, n) in post.Recorder.Errors)
        {
            result.Errors["post-" + code] = n;
        }
        var postLatency = Percentiles.Of(post.Recorder);
        result.Extra["offered_per_s"] = rate;
        result.Extra["posted_per_s"] = Math.Round(post.PerSecond, 1);
        result.Extra["post_p50_ms"] = postLatency.P50;
        result.Extra["post_p99_ms"] = postLatency.P99;
        result.Extra["disputes"] = ids.Length;
        if (post.StartLag is { } lag)
        {
            result.Extra["start_lag_p99_ms"] = Percentiles.Of(lag).P99;
        }
        return result;
    }

    /// <summary>
    /// <paramref name="streams"/> idle WatchDispute streams held open on one node (the merchant
    /// watching, round robin over <paramref name="ids"/>). The node's resident memory is read
    /// before and once every stream has caught up; then one message is posted to a few of the
    /// disputes and every stream on them must deliver it (the streams are live, not just open).
    /// </summary>
    public static async Task<ScenarioResult> WatchersAsync(GatewayNode node, Target t, string[] ids, int streams, CancellationToken ct)
    {
        var opened = new Recorder { Recording = true };
        var probe = new Recorder { Recording = true };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        await Task.Delay(TimeSpan.FromSeconds(2), ct);
        var before = node.ResidentBytes();
        var ready = Enumerable.Range(0, streams).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var failed = new bool[streams];
        var started = Stopwatch.GetTimestamp();
        using var gate = new SemaphoreSlim(256);
        var tasks = new Task[streams];
        for (var i = 0; i < streams; i++)
        {
            var n = i;
            await gate.WaitAsync(ct);
            tasks[i] = Task.Run(async () =>
            {
                var released = false;
                var callStarted = Stopwatch.GetTimestamp();
                try
                {
                    using var call = t.Connections.Disputes(n).WatchDispute(
                        new WatchDisputeRequest { DisputeId = ids[n % ids.Length] }, t.World.MerchantHeaders, cancellationToken: stop.Token);
                    await foreach (var item in call.ResponseStream.ReadAllAsync(stop.Token))
                    {
                        if (item.CaughtUp)
                        {
                            opened.Success(callStarted);
                            ready[n].TrySetResult();
                            gate.Release();
                            released = true;
                        }
                        else if (Parse(item.Event?.MessagePosted?.Text) is { } m)
                        {
                            probe.Success(m.Scheduled);
                        }
                    }
                }
                catch (Exception) when (stop.IsCancellationRequested)
                {
                }
                catch (Exception e)
                {
                    opened.Failure(e);
                    failed[n] = true;
                    ready[n].TrySetResult();
                }
                finally
                {
                    if (!released)
                    {
                        gate.Release();
                    }
                }
            }, CancellationToken.None);
        }
        await Task.WhenAll(ready.Select(r => r.Task)).WaitAsync(TimeSpan.FromMinutes(5), ct);
        var openSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        // Let the node settle (the burst of catch-up reads is over) before reading its memory.
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        var after = node.ResidentBytes();

        // Liveness probe: one message to each of the first few disputes reaches every stream on them.
        var probed = Math.Min(ids.Length, 20);
        var expected = Enumerable.Range(0, streams).Count(i => i % ids.Length < probed && !failed[i]);
        var client = t.Connections.Disputes(0);
        for (var j = 0; j < probed; j++)
        {
            await client.PostMessageAsync(new PostMessageRequest
            {
                RequestId = Guid.NewGuid().ToString(), DisputeId = ids[j], Text = Format(Stopwatch.GetTimestamp(), true),
            }, t.World.ChannelHeaders, DateTime.UtcNow.AddSeconds(30), cancellationToken: ct);
        }
        var wait = Stopwatch.StartNew();
        while (probe.Ok < expected && wait.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50, ct);
        }
        var live = probe.Ok;
        await stop.CancelAsync();
        await Task.WhenAll(tasks);

        var result = ScenarioResult.From("watchers", "idle WatchDispute streams held open on one node", t.Backend,
            $"streams({streams})", new PhaseResult(opened, TimeSpan.FromSeconds(openSeconds)));
        if (expected - live > 0)
        {
            result.Errors["probe-lost"] = expected - live;
        }
        result.Extra["rss_before_mib"] = Math.Round(before / 1048576.0, 1);
        result.Extra["rss_with_streams_mib"] = Math.Round(after / 1048576.0, 1);
        result.Extra["kib_per_stream"] = Math.Round((after - before) / 1024.0 / Math.Max(1, opened.Ok), 1);
        result.Extra["open_seconds"] = Math.Round(openSeconds, 2);
        result.Extra["probe_deliveries"] = live;
        result.Extra["probe_p99_ms"] = Percentiles.Of(probe).P99;
        return result;
    }

    private static string Format(long scheduled, bool measured) =>
        string.Create(CultureInfo.InvariantCulture, $"{Tag} {scheduled} {(measured ? 1 : 0)}");

    private static (long Scheduled, bool Measured)? Parse(string? text)
    {
        if (text is null || !text.StartsWith(Tag + " ", StringComparison.Ordinal))
        {
            return null;
        }
        var parts = text.Split(' ');
        return parts.Length == 3 && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ts)
            ? (ts, parts[2] == "1")
            : null;
    }
}
