using Microsoft.Extensions.Logging;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Events;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Infrastructure.Telemetry;

namespace ResolutionGateway.Infrastructure.Caching;

/// <summary>
/// Serves <see cref="IDisputeStore.GetAsync"/> from memory; every other operation goes to the inner
/// store unchanged (writes still decide under the row lock). Kept correct across nodes by the event
/// hub: a notification of a commit with seq s evicts a cached state older than s, and a state read
/// from the database is only kept if no newer commit has been notified for that dispute (a read
/// that raced a commit must not be cached). States written through this store are cached as
/// committed, so a node reads its own writes at once. Entries live at most the TTL, which bounds
/// staleness when a notification is lost; while the hub is not live (Redis unreachable,
/// notifications may be lost) nothing is served from memory and the contents are dropped.
/// Stores the <see cref="Dispute"/> as the inner store returns it (masking happens in the gRPC
/// mapping) and never logs disputes.
/// </summary>
public sealed class CachingDisputeStore : IDisputeStore, IAsyncDisposable, IDisposable
{
    /// <summary>Counts hits and misses (rg_cache_requests_total); null counts nothing.</summary>
    public GatewayMetrics? Metrics { get; init; }

    private readonly IDisputeStore _inner;
    private readonly IEventHub _hub;
    private readonly TimeProvider _time;
    private readonly ILogger<CachingDisputeStore> _logger;
    private readonly long _ttl;
    private readonly BoundedMap<string, Slot> _slots;
    private readonly IEventSubscription _subscription;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _listening;
    // Bumped whenever entries are dropped wholesale (hub not live, capacity), which may lose the
    // notified seqs: a read or write that began under an older epoch does not keep what it cached.
    private long _epoch;
    private volatile bool _deaf;
    private int _disposed;

    /// <summary>
    /// Subscribes to all events and starts listening. <paramref name="time"/> drives expiry; production
    /// passes <see cref="TimeProvider.System"/> (see DependencyInjection).
    /// </summary>
    public CachingDisputeStore(IDisputeStore inner, IEventHub hub, TimeSpan ttl, int capacity, TimeProvider time, ILogger<CachingDisputeStore> logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _inner = inner;
        _hub = hub;
        _time = time;
        _logger = logger;
        _ttl = (long)Math.Min(ttl.TotalSeconds * time.TimestampFrequency, long.MaxValue / 4);
        _slots = new BoundedMap<string, Slot>(capacity, s => _time.GetTimestamp() - s.KeepSince >= _ttl,
            () => Interlocked.Increment(ref _epoch));
        // Subscribed before the first read, so no commit after a read can go unnoticed.
        _subscription = hub.Subscribe(null);
        _listening = Task.Run(() => ListenAsync(_stopping.Token));
    }

    /// <inheritdoc />
    public Task<Dispute?> GetAsync(string disputeId, CancellationToken ct)
    {
        if (!Serving())
        {
            return _inner.GetAsync(disputeId, ct);
        }
        var now = _time.GetTimestamp();
        if (_slots.TryGetValue(disputeId, out var slot) && slot.State is { } cached && now - slot.StateSince < _ttl)
        {
            Metrics?.CacheRequest("dispute", hit: true);
            return Task.FromResult<Dispute?>(cached);
        }
        Metrics?.CacheRequest("dispute", hit: false);
        return LoadAsync(disputeId, now, ct);
    }

    /// <inheritdoc />
    public async Task<CreateResult> CreateAsync(DisputeChange change, IdempotencyRecord request, CancellationToken ct)
    {
        var (since, epoch) = (_time.GetTimestamp(), Volatile.Read(ref _epoch));
        var result = await _inner.CreateAsync(change, request, ct);
        if (result.Outcome == CreateOutcome.Created)
        {
            Remember(change.State, since, epoch);
        }
        return result;
    }

    /// <inheritdoc />
    public async Task<MutateResult?> MutateAsync(string disputeId, IdempotencyRecord request, Func<Dispute, DisputeChange> decide, CancellationToken ct)
    {
        var (since, epoch) = (_time.GetTimestamp(), Volatile.Read(ref _epoch));
        var result = await _inner.MutateAsync(disputeId, request, decide, ct);
        if (result?.Applied is { } applied)
        {
            Remember(applied.State, since, epoch);
        }
        return result;
    }

    /// <inheritdoc />
    public async Task<TimerResult?> FireTimerAsync(string disputeId, DateTimeOffset now, Func<Dispute, DisputeChange?> decide, CancellationToken ct)
    {
        var (since, epoch) = (_time.GetTimestamp(), Volatile.Read(ref _epoch));
        var result = await _inner.FireTimerAsync(disputeId, now, decide, ct);
        if (result?.Applied is { } applied)
        {
            Remember(applied.State, since, epoch);
        }
        return result;
    }

    /// <inheritdoc />
    public Task<IdempotencyRecord?> FindRequestAsync(string partyKey, string requestId, CancellationToken ct) =>
        _inner.FindRequestAsync(partyKey, requestId, ct);

    /// <inheritdoc />
    public Task<IReadOnlyList<DisputeEvent>> ReadEventsAsync(string disputeId, long afterSeq, int limit, CancellationToken ct) =>
        _inner.ReadEventsAsync(disputeId, afterSeq, limit, ct);

    /// <inheritdoc />
    public Task<IReadOnlyList<Dispute>> ListAsync(DisputeQuery query, CancellationToken ct) => _inner.ListAsync(query, ct);

    /// <inheritdoc />
    public Task<FeedPage> ReadFeedAsync(int partition, long afterPosition, VisibilityScope scope, int limit, CancellationToken ct) =>
        _inner.ReadFeedAsync(partition, afterPosition, scope, limit, ct);

    /// <inheritdoc />
    public Task<long[]> ReadFeedHeadAsync(CancellationToken ct) => _inner.ReadFeedHeadAsync(ct);

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> FindDueTimersAsync(DateTimeOffset now, int limit, CancellationToken ct) =>
        _inner.FindDueTimersAsync(now, limit, ct);

    /// <summary>Stops listening and unsubscribes.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _stopping.CancelAsync();
        _subscription.Dispose();
        await _listening;
        _stopping.Dispose();
    }

    /// <summary>Stops listening and unsubscribes.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task<Dispute?> LoadAsync(string disputeId, long since, CancellationToken ct)
    {
        var epoch = Volatile.Read(ref _epoch);
        var loaded = await _inner.GetAsync(disputeId, ct);
        if (loaded is not null)
        {
            Remember(loaded, since, epoch);
        }
        return loaded;
    }

    /// <summary>
    /// Drops every cached state (after an erasure of personal data, which changes what reads show
    /// without an event); a read or write in flight does not keep what it read.
    /// </summary>
    public void ForgetAll()
    {
        Interlocked.Increment(ref _epoch);
        _slots.Clear();
    }

    // False while notifications may be lost: then nothing is served or kept, and what was kept goes.
    private bool Serving()
    {
        if (_hub.IsLive && !_deaf)
        {
            return true;
        }
        // The epoch first: a keep in flight then either lands before the clear or sees the new epoch.
        Interlocked.Increment(ref _epoch);
        if (_slots.Count > 0)
        {
            _slots.Clear();
        }
        return false;
    }

    // Keeps a state read or written at (or after) `since`. Every change of a slot is a compare-and-swap,
    // so a notification and a keep of the same dispute are ordered: either the notification sees the
    // kept state (and evicts it if older), or the keep sees the notified seq (and gives up).
    private void Remember(Dispute state, long since, long epoch)
    {
        if (!_hub.IsLive || _deaf || _time.GetTimestamp() - since >= _ttl)
        {
            return;
        }
        var id = state.DisputeId;
        Slot kept;
        while (true)
        {
            if (_slots.TryGetValue(id, out var old))
            {
                if (old.Seq > state.LastSeq || (old.State is not null && old.Seq == state.LastSeq && old.StateSince >= since))
                {
                    return;
                }
                kept = new Slot(state.LastSeq, state, since, Math.Max(old.KeepSince, since));
                if (_slots.TryUpdate(id, kept, old))
                {
                    break;
                }
            }
            else
            {
                kept = new Slot(state.LastSeq, state, since, since);
                if (_slots.TryAdd(id, kept, out var full))
                {
                    break;
                }
                if (full)
                {
                    return;
                }
            }
        }
        // Entries were dropped wholesale meanwhile, perhaps with a newer notified seq of this dispute.
        if (Volatile.Read(ref _epoch) != epoch)
        {
            _slots.TryRemove(id, kept);
        }
    }

    // A commit with `seq` happened: evict an older state and remember the seq, for as long as a read
    // that started before it could still arrive and be kept (a TTL from now; see Slot.KeepSince).
    private void Notified(string id, long seq)
    {
        var now = _time.GetTimestamp();
        while (true)
        {
            if (_slots.TryGetValue(id, out var old))
            {
                var state = old.State is { } s && s.LastSeq >= seq ? s : null;
                if (_slots.TryUpdate(id, new Slot(Math.Max(old.Seq, seq), state, old.StateSince, Math.Max(old.KeepSince, now)), old))
                {
                    return;
                }
            }
            else
            {
                if (_slots.TryAdd(id, new Slot(seq, null, 0, now), out var full))
                {
                    return;
                }
                if (full)
                {
                    // No room to remember the seq: reads in flight must not keep what they read.
                    Interlocked.Increment(ref _epoch);
                    return;
                }
            }
        }
    }

    private async Task ListenAsync(CancellationToken ct)
    {
        try
        {
            while (await _subscription.Reader.WaitToReadAsync(ct))
            {
                while (_subscription.Reader.TryRead(out var entry))
                {
                    Notified(entry.Event.DisputeId, entry.Event.Seq);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Dispute cache stopped following commits; dispute reads go to the database");
        }
        // Without notifications the cache cannot be trusted (also after an unexpected end of the subscription).
        _deaf = true;
    }

    // One dispute's entry. Seq: the newest seq known, from notifications or the kept state.
    // State: the state kept (null when evicted or never read), valid for a TTL from StateSince.
    // KeepSince: the slot is kept for a TTL from here (the later of StateSince and the last
    // notification), so a notified seq outlives every read that started before it: such a read
    // expires a TTL after its own start, and is discarded on arrival if already expired.
    private sealed class Slot(long seq, Dispute? state, long stateSince, long keepSince)
    {
        public long Seq { get; } = seq;

        public Dispute? State { get; } = state;

        public long StateSince { get; } = stateSince;

        public long KeepSince { get; } = keepSince;
    }
}
