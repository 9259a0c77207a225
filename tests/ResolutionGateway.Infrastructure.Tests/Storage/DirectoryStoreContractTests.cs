using ResolutionGateway.Core.Directory;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Infrastructure.Tests.TestSupport;

namespace ResolutionGateway.Infrastructure.Tests.Storage;

[Collection(SqliteCollection.Name)]
public sealed class DirectoryStoreContractTestsSqlite(SqliteStoreFixture fixture) : DirectoryStoreContractTests<SqliteStoreFixture>(fixture);

[Collection(MySqlCollection.Name)]
public sealed class DirectoryStoreContractTestsMySql(MySqlStoreFixture fixture) : DirectoryStoreContractTests<MySqlStoreFixture>(fixture);

/// <summary>What every <see cref="IDirectoryStore"/> must do, run on each backend.</summary>
public abstract class DirectoryStoreContractTests<TFixture>(TFixture fixture) where TFixture : StoreFixture
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_760_000_000_123);

    private readonly IDirectoryStore _store = fixture.Directory;

    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task UpsertChannelAsync_NewThenRenamed_KeepsCreatedAtAndTakesNewName()
    {
        var id = Samples.Unique("ch");
        Assert.Null(await _store.GetChannelAsync(id, Ct));

        var created = await _store.UpsertChannelAsync(id, "支付宝", T0, Ct);
        var renamed = await _store.UpsertChannelAsync(id, "Alipay", T0.AddHours(1), Ct);
        var unchanged = await _store.UpsertChannelAsync(id, "Alipay", T0.AddHours(2), Ct);

        Assert.Equal(new ChannelRecord(id, "支付宝", T0), created);
        Assert.Equal(new ChannelRecord(id, "Alipay", T0), renamed);
        Assert.Equal(renamed, unchanged);
        Assert.Equal(renamed, await _store.GetChannelAsync(id, Ct));
        // Exact, case-sensitive ids; a non-ASCII id simply does not match.
        Assert.Null(await _store.GetChannelAsync(id.ToUpperInvariant(), Ct));
        Assert.Null(await _store.GetChannelAsync("频道", Ct));
        Assert.Null(await _store.GetChannelAsync(id + "x", Ct));
    }

    [Fact]
    public async Task UpsertMerchantAsync_NewThenRenamed_KeepsCreatedAtAndTakesNewName()
    {
        var id = Samples.Unique("m");
        Assert.Null(await _store.GetMerchantAsync(id, Ct));

        var created = await _store.UpsertMerchantAsync(id, "西湖小吃", T0, Ct);
        var renamed = await _store.UpsertMerchantAsync(id, "West Lake Snacks", T0.AddDays(1), Ct);

        Assert.Equal(new MerchantRecord(id, "西湖小吃", T0), created);
        Assert.Equal(new MerchantRecord(id, "West Lake Snacks", T0), renamed);
        Assert.Equal(renamed, await _store.GetMerchantAsync(id, Ct));
        Assert.Null(await _store.GetMerchantAsync(id.ToUpperInvariant(), Ct));
    }

    [Fact]
    public async Task UpsertStoreAsync_NewThenChanged_ReturnsStoredRow()
    {
        var merchant = Samples.Unique("m");
        await _store.UpsertMerchantAsync(merchant, "M", T0, Ct);
        var store = new StoreRecord(merchant, "s1", "湖滨店", "杭州市上城区湖滨路 1 号", "330102");
        Assert.Null(await _store.GetStoreAsync(merchant, "s1", Ct));

        var created = await _store.UpsertStoreAsync(store, T0, Ct);
        var moved = await _store.UpsertStoreAsync(store with { Address = "杭州市西湖区", RegionCode = "330106", DisplayName = "西湖店" }, T0.AddDays(1), Ct);
        var other = await _store.UpsertStoreAsync(store with { StoreId = "s2" }, T0, Ct);

        Assert.Equal(store, created);
        Assert.Equal(new StoreRecord(merchant, "s1", "西湖店", "杭州市西湖区", "330106"), moved);
        Assert.Equal(moved, await _store.GetStoreAsync(merchant, "s1", Ct));
        Assert.Equal(store with { StoreId = "s2" }, other);
        Assert.Equal(other, await _store.GetStoreAsync(merchant, "s2", Ct));
        Assert.Null(await _store.GetStoreAsync("other", "s1", Ct));
    }

    [Fact]
    public async Task HasActiveAdminKeyAsync_AdminKeyInsertedThenRevoked_TrueOnlyWhileActive()
    {
        // The only test that stores admin keys, so the check starts from none.
        var admin = Key(CredentialRole.Admin, "", T0);
        var channel = Key(CredentialRole.Channel, Samples.Unique("ch"), T0);
        var before = await _store.HasActiveAdminKeyAsync(Ct);
        await _store.InsertApiKeyAsync(channel, Ct);
        var withChannelKey = await _store.HasActiveAdminKeyAsync(Ct);

        await _store.InsertApiKeyAsync(admin, Ct);
        var withAdminKey = await _store.HasActiveAdminKeyAsync(Ct);
        await _store.RevokeApiKeyAsync(admin.KeyId, T0.AddHours(1), Ct);
        var afterRevoke = await _store.HasActiveAdminKeyAsync(Ct);

        Assert.False(before);
        Assert.False(withChannelKey);
        Assert.True(withAdminKey);
        Assert.False(afterRevoke);
    }

    [Fact]
    public async Task RevokeApiKeyAsync_KnownKeyTwice_KeepsTheFirstRevocation()
    {
        var key = Key(CredentialRole.Channel, Samples.Unique("ch"), T0);
        await _store.InsertApiKeyAsync(key, Ct);

        var revoked = await _store.RevokeApiKeyAsync(key.KeyId, T0.AddHours(1), Ct);
        var revokedAgain = await _store.RevokeApiKeyAsync(key.KeyId, T0.AddHours(2), Ct);
        var unknown = await _store.RevokeApiKeyAsync("key_unknown", T0, Ct);

        Assert.Equal(key with { RevokedAt = T0.AddHours(1) }, revoked);
        Assert.Equal(revoked, revokedAgain);
        Assert.Equal(revoked, await _store.GetApiKeyAsync(key.KeyId, Ct));
        Assert.Null(unknown);
    }

    [Fact]
    public async Task ListApiKeysAsync_SomeRevoked_OldestFirstAndRevokedOnlyWhenAsked()
    {
        // Other tests' keys are in the table too: compare this test's keys only, in the order listed.
        var first = Key(CredentialRole.Regulator, "3301", T0.AddMinutes(1));
        var second = Key(CredentialRole.Channel, Samples.Unique("ch"), T0.AddMinutes(2));
        var third = Key(CredentialRole.Merchant, Samples.Unique("m"), T0.AddMinutes(3));
        var mine = new[] { first.KeyId, second.KeyId, third.KeyId };
        await _store.InsertApiKeyAsync(third, Ct);
        await _store.InsertApiKeyAsync(first, Ct);
        await _store.InsertApiKeyAsync(second, Ct);
        var revoked = await _store.RevokeApiKeyAsync(second.KeyId, T0.AddHours(1), Ct);

        var active = (await _store.ListApiKeysAsync(includeRevoked: false, Ct)).Where(k => mine.Contains(k.KeyId));
        var everything = (await _store.ListApiKeysAsync(includeRevoked: true, Ct)).Where(k => mine.Contains(k.KeyId));

        Assert.Equal([first, third], active);
        Assert.Equal([first, revoked!, third], everything);
    }

    [Fact]
    public async Task InsertApiKeyAsync_NewKey_StoredAsGiven()
    {
        var key = Key(CredentialRole.Regulator, "33", T0);

        await _store.InsertApiKeyAsync(key, Ct);

        Assert.Equal(key, await _store.GetApiKeyAsync(key.KeyId, Ct));
        Assert.Null(await _store.GetApiKeyAsync("key_unknown", Ct));
    }

    [Fact]
    public async Task InsertApiKeyAsync_ExistingKeyId_DuplicateKeyError()
    {
        var key = Key(CredentialRole.Channel, Samples.Unique("ch"), T0);
        await _store.InsertApiKeyAsync(key, Ct);

        var error = await Record.ExceptionAsync(() => _store.InsertApiKeyAsync(key with { Description = "again" }, Ct));

        Assert.True(fixture.IsDuplicateKey(error), $"expected a duplicate key error, got {error}");
        Assert.Equal(key, await _store.GetApiKeyAsync(key.KeyId, Ct));
    }

    private static ApiKeyRecord Key(CredentialRole role, string scope, DateTimeOffset createdAt)
    {
        var (keyId, _, hash) = ApiKeys.Generate(createdAt);
        return new ApiKeyRecord(keyId, hash, role, scope, $"{role} key", createdAt, null);
    }
}
