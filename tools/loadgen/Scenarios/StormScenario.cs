using System.Diagnostics;
using Grpc.Core;
using ResolutionGateway.Contracts.V1;
using ResolutionGateway.Tools.LoadGen.Cluster;
using ResolutionGateway.Tools.LoadGen.Engine;
using ResolutionGateway.Tools.LoadGen.Report;

namespace ResolutionGateway.Tools.LoadGen.Scenarios;

/// <summary>
/// A reconnect storm (issue 13, item 4): every stream of a restarted node's clients opened at once
/// against one node (nine in ten WatchDispute from the start of a dispute's log, one in ten
/// WatchDisputes from now), while a side load of GetDispute and PostMessage runs on connections of
/// its own. A stream refused with RESOURCE_EXHAUSTED or UNAVAILABLE waits what its RetryInfo says
/// (1 s without one) and tries again. Reports when every stream has caught up, the side load's
/// errors and p99, the node's resident memory with every stream open, and whether the node's
/// database circuit breaker opened (its log says so).
/// </summary>
public static class StormScenario
{
    public static async Task<ScenarioResult> RunAsync(GatewayNode node, World world, string[] ids, int streams, Phase phase, CancellationToken ct)
    {
        // Streams spread over many HTTP/2 connections, as many terminals are: each channel opens a
        // further connection when one reaches the server's concurrent-stream limit.
        using var streamConnections = new Connections(node.Url, Math.Max(4, streams / 500));
        using var sideConnections = new Connections(node.Url, 2);
        var opened = new Recorder { Recording = true };
        var side = new Recorder { Recording = true };
        long retries = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        await Task.Delay(TimeSpan.FromSeconds(2), ct);
        var before = node.ResidentBytes();

        using var stopSide = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sideLoad = Enumerable.Range(0, 4).Select(w => Task.Run(() => SideLoadAsync(sideConnections, world, ids, w, side, stopSide.Token), CancellationToken.None)).ToArray();

        var caughtUp = Enumerable.Range(0, streams).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var started = Stopwatch.GetTimestamp();
        var tasks = new Task[streams];
        for (var i = 0; i < streams; i++)
        {
            var n = i;
            tasks[i] = Task.Run(async () =>
            {
                var callStarted = Stopwatch.GetTimestamp();
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        var client = streamConnections.Disputes(n);
                        if (n % 10 == 9)
                        {
                            using var feed = client.WatchDisputes(new WatchDisputesRequest { StartAtNow = true }, world.MerchantHeaders, cancellationToken: stop.Token);
                            await foreach (var item in feed.ResponseStream.ReadAllAsync(stop.Token))
                            {
                                if (item.CaughtUp && caughtUp[n].TrySetResult())
                                {
                                    opened.Success(callStarted);
                                }
                            }
                        }
                        else
                        {
                            using var watch = client.WatchDispute(new WatchDisputeRequest { DisputeId = ids[n % ids.Length] }, world.MerchantHeaders, cancellationToken: stop.Token);
                            await foreach (var item in watch.ResponseStream.ReadAllAsync(stop.Token))
                            {
                                if (item.CaughtUp && caughtUp[n].TrySetResult())
                                {
                                    opened.Success(callStarted);
                                }
                            }
                        }
                        return;
                    }
                    catch (Exception) when (stop.IsCancellationRequested)
                    {
                        return;
                    }
                    catch (RpcException e) when (e.StatusCode is StatusCode.ResourceExhausted or StatusCode.Unavailable)
                    {
                        // Told to wait: honour RetryInfo (the gateway sends it with both codes).
                        Interlocked.Increment(ref retries);
                        var delay = e.GetRpcStatus()?.GetDetail<Google.Rpc.RetryInfo>()?.RetryDelay?.ToTimeSpan() ?? TimeSpan.FromSeconds(1);
                        await Task.Delay(delay + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 250)), CancellationToken.None);
                    }
                    catch (Exception e)
                    {
                        opened.Failure(e);
                        caughtUp[n].TrySetResult();
                        return;
                    }
                }
            }, CancellationToken.None);
        }
        await Task.WhenAll(caughtUp.Select(c => c.Task)).WaitAsync(TimeSpan.FromMinutes(10), ct);
        var caughtUpSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        // The side load goes on a little past the storm, at least one phase long.
        var sideFor = phase.Duration - Stopwatch.GetElapsedTime(started);
        await Task.Delay(sideFor > TimeSpan.FromSeconds(2) ? sideFor : TimeSpan.FromSeconds(2), ct);
        await stopSide.CancelAsync();
        await Task.WhenAll(sideLoad);
        // Idle streams: the replays are over; let the node settle before reading its memory.
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        var after = node.ResidentBytes();
        await stop.CancelAsync();
        await Task.WhenAll(tasks);

        var result = ScenarioResult.From("storm", "streams opened at once on one node (reconnect storm) with a side load of GetDispute and PostMessage",
            "mysql", $"streams({streams})", new PhaseResult(opened, TimeSpan.FromSeconds(caughtUpSeconds)));
        foreach (var (code, count) in side.Errors)
        {
            result.Errors["side-" + code] = count;
        }
        result.Extra["streams"] = opened.Ok;
        result.Extra["caught_up_seconds"] = Math.Round(caughtUpSeconds, 2);
        result.Extra["side_errors"] = side.Errors.Values.Sum();
        result.Extra["side_p99_ms"] = Percentiles.Of(side).P99;
        result.Extra["side_calls"] = side.Ok;
        result.Extra["rss_before_mib"] = Math.Round(before / 1048576.0, 1);
        result.Extra["rss_with_streams_mib"] = Math.Round(after / 1048576.0, 1);
        result.Extra["kib_per_stream"] = Math.Round((after - before) / 1024.0 / Math.Max(1, opened.Ok), 1);
        result.Extra["retries"] = Interlocked.Read(ref retries);
        result.Extra["breaker_opened"] = node.Log().Contains("Database circuit opened", StringComparison.Ordinal) ? 1 : 0;
        return result;
    }

    // GetDispute and PostMessage by the channel, alternately, as fast as answered.
    private static async Task SideLoadAsync(Connections connections, World world, string[] ids, int worker, Recorder side, CancellationToken stop)
    {
        var client = connections.Disputes(worker);
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var id = ids[(worker * 7919 + n) % ids.Length];
            var start = Stopwatch.GetTimestamp();
            try
            {
                if (n % 2 == 0)
                {
                    await client.GetDisputeAsync(new GetDisputeRequest { DisputeId = id }, world.ChannelHeaders, DateTime.UtcNow.AddSeconds(30), stop);
                }
                else
                {
                    await client.PostMessageAsync(new PostMessageRequest { RequestId = Guid.NewGuid().ToString(), DisputeId = id, Text = "side load" },
                        world.ChannelHeaders, DateTime.UtcNow.AddSeconds(30), stop);
                }
                side.Success(start);
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                side.Failure(e);
            }
        }
    }
}
