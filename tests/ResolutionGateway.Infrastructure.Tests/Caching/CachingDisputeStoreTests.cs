using Microsoft.Extensions.Logging.Abstractions;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Infrastructure.Caching;
using ResolutionGateway.Infrastructure.Tests.TestSupport;

namespace ResolutionGateway.Infrastructure.Tests.Caching;

/// <summary>The dispute cache's rules, on an in-memory store and a hub driven by hand.</summary>
public sealed class CachingDisputeStoreTests : IAsyncLifetime
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(1);

    private readonly ManualClock _clock = new();
    private readonly HandDrivenHub _hub = new();
    private readonly FakeDisputeStore _db = new();
    private CachingDisputeStore _cache = null!;

    private static CancellationToken Ct => CancellationToken.None;

    public Task InitializeAsync()
    {
        _cache = Cache(capacity: 1000);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _cache.DisposeAsync();

    [Fact]
    public async Task GetAsync_ReadAgain_ServedWithoutDatabase()
    {
        var d = Stored(seq: 3);

        var first = await _cache.GetAsync(d.DisputeId, Ct);
        var second = await _cache.GetAsync(d.DisputeId, Ct);

        Assert.Same(d, first);
        Assert.Same(d, second);
        Assert.Equal(1, _db.ReadsOf(d.DisputeId));
    }

    [Fact]
    public async Task GetAsync_UnknownDispute_NullAndNotCached()
    {
        var id = Ids.New("dsp", DateTimeOffset.UtcNow);
        await _cache.GetAsync(id, Ct);

        var again = await _cache.GetAsync(id, Ct);

        Assert.Null(again);
        Assert.Equal(2, _db.ReadsOf(id));
    }

    [Fact]
    public async Task GetAsync_NewerSeqNotified_ReadsDatabaseAgain()
    {
        var d = Stored(seq: 3);
        await _cache.GetAsync(d.DisputeId, Ct);
        var newer = Stored(d, seq: 4);

        await _hub.NotifyAsync(d.DisputeId, 4);
        var read = await _cache.GetAsync(d.DisputeId, Ct);

        Assert.Same(newer, read);
        Assert.Equal(2, _db.ReadsOf(d.DisputeId));
    }

    [Fact]
    public async Task GetAsync_SameOrOlderSeqNotified_StaysCached()
    {
        var d = Stored(seq: 3);
        await _cache.GetAsync(d.DisputeId, Ct);

        await _hub.NotifyAsync(d.DisputeId, 3);
        await _hub.NotifyAsync(d.DisputeId, 2);
        var read = await _cache.GetAsync(d.DisputeId, Ct);

        Assert.Same(d, read);
        Assert.Equal(1, _db.ReadsOf(d.DisputeId));
    }

    [Fact]
    public async Task GetAsync_ReadRacesNewerCommit_StaleStateNotCached()
    {
        var d = Stored(seq: 3);
        var gate = _db.HoldNextRead();
        var racing = _cache.GetAsync(d.DisputeId, Ct);
        await _db.ReadHeld.Task; // the read has seen seq 3
        var newer = Stored(d, seq: 4);
        await _hub.NotifyAsync(d.DisputeId, 4);

        gate.SetResult();
        var raced = await racing;
        var next = await _cache.GetAsync(d.DisputeId, Ct);

        Assert.Same(d, raced);
        Assert.Same(newer, next);
        Assert.Equal(2, _db.ReadsOf(d.DisputeId));
    }

    [Fact]
    public async Task GetAsync_ReadRacesNewerCommitWhileCacheIsFull_StaleStateNotCached()
    {
        await using var cache = Cache(capacity: 1);
        var d = Stored(seq: 3);
        var gate = _db.HoldNextRead();
        var racing = cache.GetAsync(d.DisputeId, Ct);
        await _db.ReadHeld.Task;
        var newer = Stored(d, seq: 4);
        await _hub.NotifyAsync(d.DisputeId, 4);
        // A commit of another dispute crowds the notified seq of this one out of the cache.
        for (var i = 0; i < 3; i++)
        {
            await _hub.NotifyAsync(Ids.New("dsp", DateTimeOffset.UtcNow), 1);
        }

        gate.SetResult();
        await racing;
        var next = await cache.GetAsync(d.DisputeId, Ct);

        Assert.Same(newer, next);
    }

    [Fact]
    public async Task CreateAsync_Created_ReadServedFromTheWrite()
    {
        var change = Samples.Open("ch-cache", Samples.Unique("c"), "m-cache", "330106");

        await _cache.CreateAsync(change, Samples.OpenRequest(change), Ct);
        var read = await _cache.GetAsync(change.State.DisputeId, Ct);

        Assert.Same(change.State, read);
        Assert.Equal(0, _db.ReadsOf(change.State.DisputeId));
    }

    [Fact]
    public async Task MutateAsync_Applied_ReadServedFromTheWrite()
    {
        var d = Stored(seq: 3);
        await _cache.GetAsync(d.DisputeId, Ct);
        var next = Version(d, 4);

        await _cache.MutateAsync(d.DisputeId, Samples.Request(Samples.Unique("req")), _ => new DisputeChange(next, []), Ct);
        var read = await _cache.GetAsync(d.DisputeId, Ct);

        Assert.Same(next, read);
        Assert.Equal(1, _db.ReadsOf(d.DisputeId));
    }

    [Fact]
    public async Task MutateAsync_RetriedRequest_CachedStateUnchanged()
    {
        var d = Stored(seq: 3);
        await _cache.GetAsync(d.DisputeId, Ct);
        _db.NextMutationIsDuplicate = true;

        var result = await _cache.MutateAsync(d.DisputeId, Samples.Request(Samples.Unique("req")), _ => throw new InvalidOperationException("not called"), Ct);
        var read = await _cache.GetAsync(d.DisputeId, Ct);

        Assert.NotNull(result!.Duplicate);
        Assert.Same(d, read);
    }

    [Fact]
    public async Task FireTimerAsync_Applied_ReadServedFromTheWrite()
    {
        var d = Stored(seq: 3);
        var next = Version(d, 4);

        await _cache.FireTimerAsync(d.DisputeId, _clock.GetUtcNow(), _ => new DisputeChange(next, []), Ct);
        var read = await _cache.GetAsync(d.DisputeId, Ct);

        Assert.Same(next, read);
        Assert.Equal(0, _db.ReadsOf(d.DisputeId));
    }

    [Fact]
    public async Task MutateAsync_OlderWriteFinishesLast_NewerStateStaysCached()
    {
        var d = Version(Samples.Open("ch-cache", Samples.Unique("c"), "m-cache", "330106").State, 5);
        await _cache.CreateAsync(new DisputeChange(d, []), Samples.Request(Samples.Unique("req")), Ct);

        // A write of seq 4 whose answer arrives after seq 5 is already cached.
        await _cache.MutateAsync(d.DisputeId, Samples.Request(Samples.Unique("req")), _ => new DisputeChange(Version(d, 4), []), Ct);
        var read = await _cache.GetAsync(d.DisputeId, Ct);

        Assert.Same(d, read);
    }

    [Fact]
    public async Task GetAsync_TtlPassed_ReadsDatabaseAgain()
    {
        var d = Stored(seq: 3);
        await _cache.GetAsync(d.DisputeId, Ct);
        _clock.Advance(Ttl - TimeSpan.FromTicks(1));
        await _cache.GetAsync(d.DisputeId, Ct);
        var readsBeforeExpiry = _db.ReadsOf(d.DisputeId);

        _clock.Advance(TimeSpan.FromTicks(1));
        await _cache.GetAsync(d.DisputeId, Ct);

        Assert.Equal(1, readsBeforeExpiry);
        Assert.Equal(2, _db.ReadsOf(d.DisputeId));
    }

    [Fact]
    public async Task GetAsync_HubNotLive_BypassesAndDropsTheCache()
    {
        var d = Stored(seq: 3);
        await _cache.GetAsync(d.DisputeId, Ct);

        _hub.IsLive = false;
        await _cache.GetAsync(d.DisputeId, Ct);
        await _cache.GetAsync(d.DisputeId, Ct);
        var readsWhileDown = _db.ReadsOf(d.DisputeId) - 1;
        _hub.IsLive = true;
        await _cache.GetAsync(d.DisputeId, Ct);
        await _cache.GetAsync(d.DisputeId, Ct);

        Assert.Equal(2, readsWhileDown);
        // Back live: the first read goes to the database (contents were dropped), the second is cached.
        Assert.Equal(4, _db.ReadsOf(d.DisputeId));
    }

    [Fact]
    public async Task MutateAsync_HubNotLive_WriteNotCached()
    {
        var d = Stored(seq: 3);
        _hub.IsLive = false;
        await _cache.MutateAsync(d.DisputeId, Samples.Request(Samples.Unique("req")), x => new DisputeChange(Version(x, 4), []), Ct);

        _hub.IsLive = true;
        await _cache.GetAsync(d.DisputeId, Ct);

        Assert.Equal(1, _db.ReadsOf(d.DisputeId));
    }

    [Fact]
    public async Task GetAsync_SubscriptionEnded_BypassesCache()
    {
        var d = Stored(seq: 3);
        await _cache.GetAsync(d.DisputeId, Ct);

        _hub.End();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        var before = _db.ReadsOf(d.DisputeId);
        while (_db.ReadsOf(d.DisputeId) == before && DateTime.UtcNow < deadline)
        {
            await _cache.GetAsync(d.DisputeId, Ct);
            await Task.Delay(1);
        }
        await _cache.GetAsync(d.DisputeId, Ct);
        var reads = _db.ReadsOf(d.DisputeId);
        await _cache.GetAsync(d.DisputeId, Ct);

        Assert.Equal(reads + 1, _db.ReadsOf(d.DisputeId));
    }

    [Fact]
    public async Task GetAsync_MoreDisputesThanCapacity_HoldsAtMostCapacity()
    {
        await using var cache = Cache(capacity: 4);
        var disputes = Enumerable.Range(0, 10).Select(_ => Stored(seq: 1)).ToArray();
        foreach (var d in disputes)
        {
            await cache.GetAsync(d.DisputeId, Ct);
        }

        var hits = 0;
        foreach (var d in disputes.Reverse())
        {
            var before = _db.ReadsOf(d.DisputeId);
            await cache.GetAsync(d.DisputeId, Ct);
            hits += _db.ReadsOf(d.DisputeId) == before ? 1 : 0;
        }

        Assert.InRange(hits, 1, 4);
    }

    [Fact]
    public async Task DisposeAsync_Disposed_Unsubscribes()
    {
        var cache = Cache(capacity: 10);
        var subscribed = _hub.Subscribers;

        await cache.DisposeAsync();

        Assert.Equal(subscribed - 1, _hub.Subscribers);
    }

    [Fact]
    public async Task ListAsync_Always_GoesToTheStore()
    {
        var d = Stored(seq: 3);
        await _cache.GetAsync(d.DisputeId, Ct);
        var newer = Stored(d, seq: 4);

        var listed = await _cache.ListAsync(new DisputeQuery(VisibilityScope.All, null, null, [], null, 10), Ct);

        Assert.Contains(newer, listed);
    }

    private CachingDisputeStore Cache(int capacity) =>
        new(_db, _hub, Ttl, capacity, _clock, NullLogger<CachingDisputeStore>.Instance);

    private Dispute Stored(long seq)
    {
        var d = Version(Samples.Open("ch-cache", Samples.Unique("c"), "m-cache", "330106").State, seq);
        _db.Put(d);
        return d;
    }

    private Dispute Stored(Dispute d, long seq)
    {
        var next = Version(d, seq);
        _db.Put(next);
        return next;
    }

    private static Dispute Version(Dispute d, long seq) => d with { LastSeq = seq, Description = $"version {seq}" };
}
