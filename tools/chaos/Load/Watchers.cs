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

    /// <summary>
    /// Events of the log a watcher did not get; seqs it got twice; and, when either is not 0, a line
    /// per miss or duplicate (at most <paramref name="maxNotes"/>) saying which watcher, which event,
    /// and on which of the watcher's streams it came, so that a failed run explains itself.
    /// </summary>
    public (long Missed, long Duplicated, IReadOnlyList<string> Notes) Compare(
        IReadOnlyDictionary<string, List<DisputeEvent>> logs, IReadOnlyCollection<string> feedDisputes, int maxNotes = 40)
    {
        long missed = 0, duplicated = 0;
        var notes = new List<string>();
        void Note(string line)
        {
            if (notes.Count < maxNotes)
            {
                notes.Add(line);
            }
        }
        foreach (var w in _single)
        {
            foreach (var e in logs[w.DisputeId].Where(e => !w.Seen.ContainsKey(e.Seq)))
            {
                missed++;
                Note($"missed: WatchDispute {w.DisputeId} watcher #{w.Number} never got seq {e.Seq} ({e.DetailCase}, {e.OccurTime}); {w.Describe()}");
            }
            duplicated += w.Duplicates;
            foreach (var d in w.Doubles)
            {
                Note($"duplicate: WatchDispute {w.DisputeId} watcher #{w.Number}: {d}; {w.Describe()}");
            }
        }
        foreach (var w in _feed)
        {
            foreach (var id in feedDisputes)
            {
                foreach (var e in logs[id].Where(e => !w.Seen.ContainsKey((id, e.Seq))))
                {
                    missed++;
                    Note($"missed: WatchDisputes watcher #{w.Number} never got {id} seq {e.Seq} ({e.DetailCase}, {e.OccurTime}); {w.Describe()}");
                }
            }
            duplicated += w.Duplicates;
            foreach (var d in w.Doubles)
            {
                Note($"duplicate: WatchDisputes watcher #{w.Number}: {d}; {w.Describe()}");
            }
        }
        return (missed, duplicated, notes);
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
            var stream = w.Begin($"after_seq {after}");
            try
            {
                using var call = connections.Disputes(Interlocked.Increment(ref n) + w.GetHashCode()).WatchDispute(
                    new WatchDisputeRequest { DisputeId = w.DisputeId, AfterSeq = after }, world.ChannelHeaders, cancellationToken: stop);
                var live = false;
                await foreach (var r in call.ResponseStream.ReadAllAsync(stop))
                {
                    if (r.CaughtUp)
                    {
                        live = true;
                    }
                    if (r.Event is null)
                    {
                        continue;
                    }
                    var receipt = new Receipt(stream, live);
                    if (!w.Seen.TryAdd(r.Event.Seq, receipt))
                    {
                        Interlocked.Increment(ref w.Duplicates);
                        w.Doubles.Enqueue($"seq {r.Event.Seq} again on {receipt}, first on {w.Seen[r.Event.Seq]}");
                    }
                    after = Math.Max(after, r.Event.Seq);
                }
                w.End(stream, "ended by the server");
            }
            catch (RpcException e) when (Calls.Retryable(e.StatusCode) && !stop.IsCancellationRequested)
            {
                w.End(stream, $"{e.StatusCode}: {e.Status.Detail}");
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
            var stream = w.Begin(cursor.Length == 0 ? "start_at_now" : "cursor " + cursor);
            try
            {
                using var call = connections.Disputes(index).WatchDisputes(
                    new WatchDisputesRequest { AfterCursor = cursor, StartAtNow = cursor.Length == 0 }, world.ChannelHeaders, cancellationToken: stop);
                var live = false;
                await foreach (var r in call.ResponseStream.ReadAllAsync(stop))
                {
                    if (r.CaughtUp)
                    {
                        w.Live = true;
                        live = true;
                    }
                    if (r.Cursor.Length > 0)
                    {
                        cursor = r.Cursor;
                    }
                    if (r.Event is null)
                    {
                        continue;
                    }
                    var receipt = new Receipt(stream, live);
                    var key = (r.Event.DisputeId, r.Event.Seq);
                    if (!w.Seen.TryAdd(key, receipt))
                    {
                        Interlocked.Increment(ref w.Duplicates);
                        w.Doubles.Enqueue($"{key.DisputeId} seq {key.Seq} again on {receipt} (cursor after it {r.Cursor}), first on {w.Seen[key]}");
                    }
                }
                w.End(stream, "ended by the server");
            }
            catch (RpcException e) when (Calls.Retryable(e.StatusCode) && !stop.IsCancellationRequested)
            {
                w.End(stream, $"{e.StatusCode}: {e.Status.Detail}");
                await Task.Delay(100, CancellationToken.None);
            }
            catch (RpcException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>On which of a watcher's streams an event came (1 = its first), and whether after that stream's caught_up.</summary>
    private sealed record Receipt(int Stream, bool Live)
    {
        public override string ToString() => $"stream {Stream} ({(Live ? "live" : "replay")})";
    }

    /// <summary>A watcher's streams: how each began and ended, for the notes of a failed run.</summary>
    private abstract class Watcher
    {
        private static int s_numbers;
        private readonly ConcurrentQueue<string> _streams = new();
        private int _count;

        public int Number { get; } = Interlocked.Increment(ref s_numbers);
        public long Duplicates;
        public ConcurrentQueue<string> Doubles { get; } = new();

        public int Begin(string from)
        {
            var n = Interlocked.Increment(ref _count);
            _streams.Enqueue($"stream {n} from {from} at {DateTime.UtcNow:HH:mm:ss.fff}");
            return n;
        }

        public void End(int stream, string why) => _streams.Enqueue($"stream {stream} {why} at {DateTime.UtcNow:HH:mm:ss.fff}");

        public string Describe() => string.Join(" | ", _streams);
    }

    private sealed class SingleWatcher(string disputeId) : Watcher
    {
        public string DisputeId { get; } = disputeId;
        public ConcurrentDictionary<long, Receipt> Seen { get; } = new();
    }

    private sealed class FeedWatcher : Watcher
    {
        public volatile bool Live;
        public ConcurrentDictionary<(string DisputeId, long Seq), Receipt> Seen { get; } = new();
    }
}
