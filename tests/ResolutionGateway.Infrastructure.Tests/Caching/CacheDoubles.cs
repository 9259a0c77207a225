using System.Collections.Concurrent;
using System.Threading.Channels;
using ResolutionGateway.Core.Directory;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Events;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Infrastructure.Tests.TestSupport;

namespace ResolutionGateway.Infrastructure.Tests.Caching;

// Stand-ins for the caches' unit tests: these test the caches' rules, not storage or Redis (the
// contract and integration suites run the caches on the real stores).

/// <summary>A clock that moves only when told to; its timestamps are its UTC ticks.</summary>
internal sealed class ManualClock : TimeProvider
{
    private long _ticks = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}

/// <summary>An event hub whose notifications and liveness the test sets by hand.</summary>
internal sealed class HandDrivenHub : IEventHub
{
    private readonly ConcurrentDictionary<Subscription, byte> _subscriptions = new();
    private readonly DisputeEvent _template = Samples.Open("ch-hub", "c-hub", "m-hub", "330106").Events[0];

    public bool IsLive { get; set; } = true;

    public TimeSpan DegradedPollInterval => TimeSpan.FromSeconds(1);

    public int Subscribers => _subscriptions.Count;

    public void Publish(IReadOnlyList<FeedEntry> entries)
    {
        foreach (var entry in entries)
        {
            foreach (var s in _subscriptions.Keys)
            {
                s.Inbox.Writer.TryWrite(entry);
            }
        }
    }

    public IEventSubscription Subscribe(string? disputeId)
    {
        var s = new Subscription(this);
        _subscriptions.TryAdd(s, 0);
        return s;
    }

    // The caches follow commits, not the positioned feed: nothing here announces or follows it.
    public void PublishPositioned(IReadOnlyList<FeedEntry> entries)
    {
    }

    public IEventSubscription SubscribeFeed() => throw new NotSupportedException("the caches do not follow the positioned feed");

    /// <summary>
    /// Announces a commit of <paramref name="seq"/> and returns once subscribers have handled it.
    /// A subscriber reads its inbox in order, one entry handled before the next is taken, so the
    /// entry is sent twice: once the inbox is empty, the first copy has been handled (the second
    /// changes nothing more).
    /// </summary>
    public async Task NotifyAsync(string disputeId, long seq)
    {
        var entry = new FeedEntry(0, seq, "ch-hub", "m-hub", "330106", _template with { DisputeId = disputeId, Seq = seq });
        Publish([entry, entry]);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (_subscriptions.Keys.Any(s => s.Inbox.Reader.Count > 0))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the subscriber did not read its notifications");
            }
            await Task.Delay(1);
        }
    }

    /// <summary>Ends every subscription, as if the hub went away.</summary>
    public void End()
    {
        foreach (var s in _subscriptions.Keys)
        {
            s.Inbox.Writer.TryComplete();
        }
    }

    private sealed class Subscription(HandDrivenHub hub) : IEventSubscription
    {
        public Channel<FeedEntry> Inbox { get; } = Channel.CreateUnbounded<FeedEntry>();

        public ChannelReader<FeedEntry> Reader => Inbox.Reader;

        public void Dispose()
        {
            hub._subscriptions.TryRemove(this, out _);
            Inbox.Writer.TryComplete();
        }
    }
}

/// <summary>A dispute store in memory that counts reads and can hold one read after taking its snapshot.</summary>
internal sealed class FakeDisputeStore : IDisputeStore
{
    private readonly ConcurrentDictionary<string, Dispute> _rows = new();
    private readonly ConcurrentDictionary<string, int> _reads = new();
    private TaskCompletionSource? _gate;

    /// <summary>Completed when a held read has taken its snapshot.</summary>
    public TaskCompletionSource ReadHeld { get; private set; } = new();

    /// <summary>The next MutateAsync answers as a retried request id.</summary>
    public bool NextMutationIsDuplicate { get; set; }

    public void Put(Dispute d) => _rows[d.DisputeId] = d;

    public int ReadsOf(string disputeId) => _reads.GetValueOrDefault(disputeId);

    /// <summary>The next GetAsync reads the row, then waits until the returned source is completed.</summary>
    public TaskCompletionSource HoldNextRead()
    {
        ReadHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _gate = gate;
        return gate;
    }

    public async Task<Dispute?> GetAsync(string disputeId, CancellationToken ct)
    {
        _reads.AddOrUpdate(disputeId, 1, (_, n) => n + 1);
        var snapshot = _rows.GetValueOrDefault(disputeId);
        if (Interlocked.Exchange(ref _gate, null) is { } gate)
        {
            ReadHeld.TrySetResult();
            await gate.Task;
        }
        return snapshot;
    }

    public Task<CreateResult> CreateAsync(DisputeChange change, IdempotencyRecord request, CancellationToken ct)
    {
        if (!_rows.TryAdd(change.State.DisputeId, change.State))
        {
            return Task.FromResult(new CreateResult(CreateOutcome.DuplicateRequest, [], null));
        }
        return Task.FromResult(new CreateResult(CreateOutcome.Created, [], null));
    }

    public Task<MutateResult?> MutateAsync(string disputeId, IdempotencyRecord request, Func<Dispute, DisputeChange> decide, CancellationToken ct)
    {
        if (!_rows.TryGetValue(disputeId, out var d))
        {
            return Task.FromResult<MutateResult?>(null);
        }
        if (NextMutationIsDuplicate)
        {
            NextMutationIsDuplicate = false;
            return Task.FromResult<MutateResult?>(new MutateResult(null, [], request with { DisputeId = disputeId, Seq = d.LastSeq }));
        }
        var change = decide(d);
        _rows[disputeId] = change.State;
        return Task.FromResult<MutateResult?>(new MutateResult(change, [], null));
    }

    public Task<TimerResult?> FireTimerAsync(string disputeId, DateTimeOffset now, Func<Dispute, DisputeChange?> decide, CancellationToken ct)
    {
        if (!_rows.TryGetValue(disputeId, out var d))
        {
            return Task.FromResult<TimerResult?>(null);
        }
        var change = decide(d);
        if (change is not null)
        {
            _rows[disputeId] = change.State;
        }
        return Task.FromResult<TimerResult?>(new TimerResult(change, []));
    }

    public Task<IdempotencyRecord?> FindRequestAsync(string partyKey, string requestId, CancellationToken ct) =>
        Task.FromResult<IdempotencyRecord?>(null);

    public Task<IReadOnlyList<DisputeEvent>> ReadEventsAsync(string disputeId, long afterSeq, int limit, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<DisputeEvent>>([]);

    public Task<IReadOnlyList<Dispute>> ListAsync(DisputeQuery query, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<Dispute>>(_rows.Values.ToArray());

    public Task<FeedPage> ReadFeedAsync(int partition, long afterPosition, VisibilityScope scope, int limit, CancellationToken ct) =>
        Task.FromResult(new FeedPage([], afterPosition));

    public Task<long[]> ReadFeedHeadAsync(CancellationToken ct) => Task.FromResult(new long[FeedCursor.Partitions]);

    public Task<IReadOnlyList<string>> FindDueTimersAsync(DateTimeOffset now, int limit, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<string>>([]);
}

/// <summary>A directory in memory that counts reads and can hold one merchant read after taking its snapshot.</summary>
internal sealed class FakeDirectoryStore : IDirectoryStore
{
    private readonly ConcurrentDictionary<string, MerchantRecord> _merchants = new();
    private readonly ConcurrentDictionary<(string, string), StoreRecord> _stores = new();
    private readonly ConcurrentDictionary<string, ApiKeyRecord> _keys = new();
    private TaskCompletionSource? _gate;
    private int _reads;

    /// <summary>Completed when a held read has taken its snapshot.</summary>
    public TaskCompletionSource ReadHeld { get; private set; } = new();

    /// <summary>Merchant, store and API key reads that reached this store.</summary>
    public int Reads => Volatile.Read(ref _reads);

    public void PutMerchant(MerchantRecord m) => _merchants[m.MerchantId] = m;

    public void PutStore(StoreRecord s) => _stores[(s.MerchantId, s.StoreId)] = s;

    public void PutKey(ApiKeyRecord k) => _keys[k.KeyId] = k;

    /// <summary>The next GetMerchantAsync reads the row, then waits until the returned source is completed.</summary>
    public TaskCompletionSource HoldNextRead()
    {
        ReadHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _gate = gate;
        return gate;
    }

    public async Task<MerchantRecord?> GetMerchantAsync(string merchantId, CancellationToken ct)
    {
        Interlocked.Increment(ref _reads);
        var snapshot = _merchants.GetValueOrDefault(merchantId);
        if (Interlocked.Exchange(ref _gate, null) is { } gate)
        {
            ReadHeld.TrySetResult();
            await gate.Task;
        }
        return snapshot;
    }

    public Task<StoreRecord?> GetStoreAsync(string merchantId, string storeId, CancellationToken ct)
    {
        Interlocked.Increment(ref _reads);
        return Task.FromResult(_stores.GetValueOrDefault((merchantId, storeId)));
    }

    public Task<MerchantRecord> UpsertMerchantAsync(string merchantId, string displayName, DateTimeOffset now, CancellationToken ct)
    {
        var m = _merchants.AddOrUpdate(merchantId, _ => new MerchantRecord(merchantId, displayName, now), (_, old) => old with { DisplayName = displayName });
        return Task.FromResult(m);
    }

    public Task<StoreRecord> UpsertStoreAsync(StoreRecord store, DateTimeOffset now, CancellationToken ct)
    {
        PutStore(store);
        return Task.FromResult(store);
    }

    public Task<ApiKeyRecord?> GetApiKeyAsync(string keyId, CancellationToken ct)
    {
        Interlocked.Increment(ref _reads);
        return Task.FromResult(_keys.GetValueOrDefault(keyId));
    }

    public Task<ChannelRecord> UpsertChannelAsync(string channelId, string displayName, DateTimeOffset now, CancellationToken ct) =>
        Task.FromResult(new ChannelRecord(channelId, displayName, now));

    public Task<ChannelRecord?> GetChannelAsync(string channelId, CancellationToken ct) => Task.FromResult<ChannelRecord?>(null);

    public Task InsertApiKeyAsync(ApiKeyRecord key, CancellationToken ct)
    {
        PutKey(key);
        return Task.CompletedTask;
    }

    public Task<ApiKeyRecord?> RevokeApiKeyAsync(string keyId, DateTimeOffset now, CancellationToken ct) => Task.FromResult<ApiKeyRecord?>(null);

    public Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(bool includeRevoked, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<ApiKeyRecord>>(_keys.Values.ToArray());

    public Task<bool> HasActiveAdminKeyAsync(CancellationToken ct) => Task.FromResult(false);

    public Task<MerchantRecord?> SetMerchantEnabledAsync(string merchantId, bool enabled, DateTimeOffset now, CancellationToken ct) =>
        Task.FromResult(_merchants.TryGetValue(merchantId, out var m) ? _merchants[merchantId] = m with { Enabled = enabled } : null);

    public Task WriteStoresAsync(IReadOnlyList<StoreRecord> stores, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var s in stores)
        {
            PutStore(s);
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ChannelRecord>> ListChannelsAsync(string afterId, int limit, CancellationToken ct) => throw new NotSupportedException();

    public Task<IReadOnlyList<MerchantRecord>> ListMerchantsAsync(MerchantFilter filter, string afterId, int limit, CancellationToken ct) => throw new NotSupportedException();

    public Task<IReadOnlyList<StoreRecord>> ListStoresAsync(StoreFilter filter, StoreKey? after, int limit, CancellationToken ct) => throw new NotSupportedException();

    public Task<IReadOnlyList<StoreRecord>> GetStoresAsync(IReadOnlyCollection<StoreKey> keys, CancellationToken ct) => throw new NotSupportedException();

    public Task<IReadOnlySet<string>> EnrolledMerchantsAsync(IReadOnlyCollection<string> merchantIds, CancellationToken ct) => throw new NotSupportedException();

    public Task<StoreImportResult?> GetStoreImportAsync(string keyId, string requestId, CancellationToken ct) => throw new NotSupportedException();

    public Task<StoreImportResult> SaveStoreImportAsync(string keyId, string requestId, StoreImportResult result, DateTimeOffset now, CancellationToken ct) =>
        throw new NotSupportedException();
}
