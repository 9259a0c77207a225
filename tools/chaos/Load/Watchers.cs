using System.Collections.Concurrent;
using Grpc.Core;
using ResolutionGateway.Contracts.V1;
using ResolutionGateway.Tools.LoadGen.Cluster;

namespace ResolutionGateway.Tools.Chaos.Load;

/// <summary>
/// WatchDispute streams on the watched disputes and WatchDisputes streams over everything, each
/// resuming where it stopped (after_seq, after_cursor) when its node dies. Each counts what it saw
/// twice; what it missed is counted against the log once the faults are over.
/// </summary>
public sealed class Watchers(Connections connections, World world)
{
    private readonly List<Task> _streams = [];
    private readonly List<SingleWatcher> _single = [];
    private readonly List<FeedWatcher> _feed = [];

    public void Start(IReadOnlyList<string> watched, int perDispute, int feedWatchers, CancellationToken stop)
    {
        for (var i = 0; i < feedWatchers; i++)
        {
            var w = new FeedWatcher();
            var index = i;
            _feed.Add(w);
            _streams.Add(Task.Run(() => FeedAsync(w, index, stop), CancellationToken.None));
        }
        foreach (var id in watched)
        {
            for (var i = 0; i < perDispute; i++)
            {
                var w = new SingleWatcher(id);
                _single.Add(w);
                _streams.Add(Task.Run(() => SingleAsync(w, stop), CancellationToken.None));
            }
        }
    }

    public int Count => _streams.Count;

    /// <summary>Waits until every feed watcher is live (its first caught_up), so later events are all expected.</summary>
    public async Task FeedLiveAsync(CancellationToken ct)
    {
        while (_feed.Any(f => !f.Live))
        {
            await Task.Delay(50, ct);
        }
    }

    public async Task StopAsync()
    {
        try
        {
            await Task.WhenAll(_streams);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Events of the log a watcher did not get; seqs it got twice.</summary>
    public (long Missed, long Duplicated) Compare(IReadOnlyDictionary<string, List<DisputeEvent>> logs, IReadOnlyCollection<string> feedDisputes)
    {
        long missed = 0, duplicated = 0;
        foreach (var w in _single)
        {
            missed += logs[w.DisputeId].Count(e => !w.Seen.ContainsKey(e.Seq));
            duplicated += w.Duplicates;
        }
        foreach (var w in _feed)
        {
            foreach (var id in feedDisputes)
            {
                missed += logs[id].Count(e => !w.Seen.ContainsKey((id, e.Seq)));
            }
            duplicated += w.Duplicates;
        }
        return (missed, duplicated);
    }

    /// <summary>True when every watcher has seen the last event of each log it follows.</summary>
    public bool CaughtUp(IReadOnlyDictionary<string, List<DisputeEvent>> logs, IReadOnlyCollection<string> feedDisputes) =>
        _single.All(w => logs[w.DisputeId].All(e => w.Seen.ContainsKey(e.Seq)))
        && _feed.All(w => feedDisputes.All(id => logs[id].All(e => w.Seen.ContainsKey((id, e.Seq)))));

    private async Task SingleAsync(SingleWatcher w, CancellationToken stop)
    {
        long after = 0;
        var n = 0L;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var call = connections.Disputes(Interlocked.Increment(ref n) + w.GetHashCode()).WatchDispute(
                    new WatchDisputeRequest { DisputeId = w.DisputeId, AfterSeq = after }, world.ChannelHeaders, cancellationToken: stop);
                await foreach (var r in call.ResponseStream.ReadAllAsync(stop))
                {
                    if (r.Event is null)
                    {
                        continue;
                    }
                    if (!w.Seen.TryAdd(r.Event.Seq, 0))
                    {
                        Interlocked.Increment(ref w.Duplicates);
                    }
                    after = Math.Max(after, r.Event.Seq);
                }
            }
            catch (RpcException e) when (Calls.Retryable(e.StatusCode) && !stop.IsCancellationRequested)
            {
                await Task.Delay(100, CancellationToken.None);
            }
            catch (RpcException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task FeedAsync(FeedWatcher w, int index, CancellationToken stop)
    {
        var cursor = "";
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var call = connections.Disputes(index).WatchDisputes(
                    new WatchDisputesRequest { AfterCursor = cursor, StartAtNow = cursor.Length == 0 }, world.ChannelHeaders, cancellationToken: stop);
                await foreach (var r in call.ResponseStream.ReadAllAsync(stop))
                {
                    if (r.CaughtUp)
                    {
                        w.Live = true;
                    }
                    if (r.Cursor.Length > 0)
                    {
                        cursor = r.Cursor;
                    }
                    if (r.Event is not null && !w.Seen.TryAdd((r.Event.DisputeId, r.Event.Seq), 0))
                    {
                        Interlocked.Increment(ref w.Duplicates);
                    }
                }
            }
            catch (RpcException e) when (Calls.Retryable(e.StatusCode) && !stop.IsCancellationRequested)
            {
                await Task.Delay(100, CancellationToken.None);
            }
            catch (RpcException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private sealed class SingleWatcher(string disputeId)
    {
        public string DisputeId { get; } = disputeId;
        public ConcurrentDictionary<long, byte> Seen { get; } = new();
        public long Duplicates;
    }

    private sealed class FeedWatcher
    {
        public volatile bool Live;
        public ConcurrentDictionary<(string, long), byte> Seen { get; } = new();
        public long Duplicates;
    }
}
