using ResolutionGateway.Core.Directory;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Infrastructure.Caching;

namespace ResolutionGateway.Infrastructure.Tests.Caching;

/// <summary>The directory cache's rules, on an in-memory directory.</summary>
public sealed class CachingDirectoryStoreTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(5);

    private readonly ManualClock _clock = new();
    private readonly FakeDirectoryStore _db = new();
    private readonly CachingDirectoryStore _cache;

    public CachingDirectoryStoreTests() => _cache = new CachingDirectoryStore(_db, Ttl, 1000, _clock);

    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task GetMerchantAsync_ReadAgain_ServedWithoutDatabase()
    {
        var m = new MerchantRecord("m-1", "商户", _clock.GetUtcNow());
        _db.PutMerchant(m);

        var first = await _cache.GetMerchantAsync("m-1", Ct);
        var second = await _cache.GetMerchantAsync("m-1", Ct);

        Assert.Same(m, first);
        Assert.Same(m, second);
        Assert.Equal(1, _db.Reads);
    }

    [Fact]
    public async Task GetStoreAsync_ReadAgain_ServedWithoutDatabase()
    {
        var s = new StoreRecord("m-1", "st-1", "门店", "杭州市西湖区", "330106");
        _db.PutStore(s);

        await _cache.GetStoreAsync("m-1", "st-1", Ct);
        var second = await _cache.GetStoreAsync("m-1", "st-1", Ct);

        Assert.Same(s, second);
        Assert.Equal(1, _db.Reads);
    }

    [Fact]
    public async Task GetStoreAsync_SameStoreIdOfAnotherMerchant_NotConfused()
    {
        var mine = new StoreRecord("m-1", "st-1", "门店一", "杭州市西湖区", "330106");
        var theirs = new StoreRecord("m-2", "st-1", "门店二", "宁波市北仑区", "330206");
        _db.PutStore(mine);
        _db.PutStore(theirs);
        await _cache.GetStoreAsync("m-1", "st-1", Ct);

        var read = await _cache.GetStoreAsync("m-2", "st-1", Ct);

        Assert.Same(theirs, read);
    }

    [Fact]
    public async Task GetMerchantAsync_NotFound_NotCached()
    {
        await _cache.GetMerchantAsync("m-late", Ct);
        var enrolled = new MerchantRecord("m-late", "后来的商户", _clock.GetUtcNow());
        _db.PutMerchant(enrolled);

        var read = await _cache.GetMerchantAsync("m-late", Ct);

        Assert.Same(enrolled, read);
    }

    [Fact]
    public async Task GetStoreAsync_NotFound_NotCached()
    {
        await _cache.GetStoreAsync("m-1", "st-late", Ct);
        var added = new StoreRecord("m-1", "st-late", "新门店", "杭州市西湖区", "330106");
        _db.PutStore(added);

        var read = await _cache.GetStoreAsync("m-1", "st-late", Ct);

        Assert.Same(added, read);
    }

    [Fact]
    public async Task UpsertMerchantAsync_ThroughCache_NextReadSeesTheChange()
    {
        _db.PutMerchant(new MerchantRecord("m-1", "旧名", _clock.GetUtcNow()));
        await _cache.GetMerchantAsync("m-1", Ct);

        await _cache.UpsertMerchantAsync("m-1", "新名", _clock.GetUtcNow(), Ct);
        var read = await _cache.GetMerchantAsync("m-1", Ct);

        Assert.Equal("新名", read!.DisplayName);
    }

    [Fact]
    public async Task UpsertStoreAsync_ThroughCache_NextReadSeesTheChange()
    {
        _db.PutStore(new StoreRecord("m-1", "st-1", "旧店名", "杭州市西湖区", "330106"));
        await _cache.GetStoreAsync("m-1", "st-1", Ct);
        var renamed = new StoreRecord("m-1", "st-1", "新店名", "杭州市西湖区", "330106");

        await _cache.UpsertStoreAsync(renamed, _clock.GetUtcNow(), Ct);
        var read = await _cache.GetStoreAsync("m-1", "st-1", Ct);

        Assert.Same(renamed, read);
    }

    [Fact]
    public async Task GetMerchantAsync_ReadRacesUpsertThroughThisNode_OldRowNotCached()
    {
        _db.PutMerchant(new MerchantRecord("m-1", "旧名", _clock.GetUtcNow()));
        var gate = _db.HoldNextRead();
        var racing = _cache.GetMerchantAsync("m-1", Ct);
        await _db.ReadHeld.Task; // the read has seen the old name
        await _cache.UpsertMerchantAsync("m-1", "新名", _clock.GetUtcNow(), Ct);

        gate.SetResult();
        var raced = await racing;
        var next = await _cache.GetMerchantAsync("m-1", Ct);

        Assert.Equal("旧名", raced!.DisplayName);
        Assert.Equal("新名", next!.DisplayName);
    }

    [Fact]
    public async Task GetMerchantAsync_TtlPassed_ReadsDatabaseAgain()
    {
        _db.PutMerchant(new MerchantRecord("m-1", "旧名", _clock.GetUtcNow()));
        await _cache.GetMerchantAsync("m-1", Ct);
        // Renamed on another node: this node sees it once the TTL has passed.
        _db.PutMerchant(new MerchantRecord("m-1", "新名", _clock.GetUtcNow()));
        _clock.Advance(Ttl - TimeSpan.FromTicks(1));
        var beforeExpiry = await _cache.GetMerchantAsync("m-1", Ct);

        _clock.Advance(TimeSpan.FromTicks(1));
        var afterExpiry = await _cache.GetMerchantAsync("m-1", Ct);

        Assert.Equal("旧名", beforeExpiry!.DisplayName);
        Assert.Equal("新名", afterExpiry!.DisplayName);
    }

    [Fact]
    public async Task GetStoreAsync_MoreStoresThanCapacity_HoldsAtMostCapacity()
    {
        var cache = new CachingDirectoryStore(_db, Ttl, 4, _clock);
        var ids = Enumerable.Range(0, 10).Select(i => $"st-{i}").ToArray();
        foreach (var id in ids)
        {
            _db.PutStore(new StoreRecord("m-1", id, "门店", "杭州市西湖区", "330106"));
            await cache.GetStoreAsync("m-1", id, Ct);
        }

        var hits = 0;
        foreach (var id in ids.Reverse())
        {
            var before = _db.Reads;
            await cache.GetStoreAsync("m-1", id, Ct);
            hits += _db.Reads == before ? 1 : 0;
        }

        Assert.InRange(hits, 1, 4);
    }

    [Fact]
    public async Task GetApiKeyAsync_ReadAgain_GoesToTheStoreEachTime()
    {
        _db.PutKey(new ApiKeyRecord("k-1", "hash", CredentialRole.Admin, "", "test", _clock.GetUtcNow(), null));

        await _cache.GetApiKeyAsync("k-1", Ct);
        await _cache.GetApiKeyAsync("k-1", Ct);

        Assert.Equal(2, _db.Reads);
    }
}
