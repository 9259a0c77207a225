using System.Security.Cryptography;
using Dapper;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Infrastructure.Persistence;
using ResolutionGateway.Infrastructure.Privacy;
using ResolutionGateway.Infrastructure.Repositories;
using ResolutionGateway.Infrastructure.Tests.TestSupport;

namespace ResolutionGateway.Infrastructure.Tests.Storage;

[Collection(SqliteCollection.Name)]
public sealed class PersonalDataContractTestsSqlite(SqliteStoreFixture fixture) : PersonalDataContractTests<SqliteStoreFixture>(fixture);

[Collection(MySqlCollection.Name)]
public sealed class PersonalDataContractTestsMySql(MySqlStoreFixture fixture) : PersonalDataContractTests<MySqlStoreFixture>(fixture);

/// <summary>
/// The consumer's name and mobile number sealed at rest, on each backend: what the rows hold, what
/// reads return, the sealing of rows written before encryption, erasure, and the KEK checks.
/// </summary>
public abstract class PersonalDataContractTests<TFixture>(TFixture fixture) where TFixture : StoreFixture
{
    private readonly IDatabase _db = fixture switch
    {
        MySqlStoreFixture m => m.Database,
        SqliteStoreFixture s => s.Database,
        _ => throw new InvalidOperationException("unknown fixture"),
    };

    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task CreateAsync_DistinctiveConsumer_RowsHoldCiphertextAndReadsReturnPlainText()
    {
        var (change, name, mobile) = Distinctive();

        await fixture.Disputes.CreateAsync(change, Samples.OpenRequest(change), Ct);
        var raw = await RawRowsAsync(change.State.DisputeId);
        var read = await fixture.Disputes.GetAsync(change.State.DisputeId, Ct);
        var events = await fixture.Disputes.ReadEventsAsync(change.State.DisputeId, 0, 10, Ct);

        Assert.Contains(change.State.DisputeId, raw); // the scan sees the rows
        Assert.DoesNotContain(Ascii(name), raw);
        Assert.DoesNotContain(mobile, raw);
        Assert.Equal((name, mobile), (read!.Consumer.Name, read.Consumer.Mobile));
        Assert.Null(read.Consumer.ErasedAt);
        var opened = Assert.IsType<DisputeOpened>(events[0].Detail);
        Assert.Equal((name, mobile), (opened.Initial.Consumer.Name, opened.Initial.Consumer.Mobile));
    }

    [Fact]
    public async Task MutateAsync_SealedDispute_ReturnsPlainStateAndKeepsRowSealed()
    {
        var (change, name, mobile) = Distinctive();
        await fixture.Disputes.CreateAsync(change, Samples.OpenRequest(change), Ct);

        var result = await fixture.Disputes.MutateAsync(change.State.DisputeId, Samples.Request(Samples.Unique("post")),
            d => Samples.Post(d, "hello"), Ct);
        var raw = await RawRowsAsync(change.State.DisputeId);

        Assert.Equal((name, mobile), (result!.Applied!.State.Consumer.Name, result.Applied.State.Consumer.Mobile));
        Assert.DoesNotContain(Ascii(name), raw);
        Assert.Equal(name, (await fixture.Disputes.GetAsync(change.State.DisputeId, Ct))!.Consumer.Name);
    }

    [Fact]
    public async Task SealAllPlainAsync_RowsWrittenBeforeEncryption_SealsStateAndOpeningEvent()
    {
        var (change, name, mobile) = Distinctive();
        // What a node of the previous version wrote: the same rows, the consumer in plain text.
        await _db.WriteAsync(async tx =>
        {
            await tx.CommitAsync(ChangeWriter.Plan(tx.Dialect, null, change, Samples.OpenRequest(change), dataKeyId: null));
            return true;
        }, Ct);
        var before = await RawRowsAsync(change.State.DisputeId);

        var (sealedCount, _) = await new PersonalDataMigration(_db, TestKeys.For(_db))
            .SealPlainAsync(100, change.State.ChannelId, change.State.Consumer.ConsumerRef, Ct);
        var after = await RawRowsAsync(change.State.DisputeId);
        var read = await fixture.Disputes.GetAsync(change.State.DisputeId, Ct);
        var events = await fixture.Disputes.ReadEventsAsync(change.State.DisputeId, 0, 10, Ct);

        Assert.Contains(Ascii(name), before);
        Assert.Equal(1, sealedCount);
        Assert.DoesNotContain(Ascii(name), after);
        Assert.DoesNotContain(mobile, after);
        Assert.Equal((name, mobile), (read!.Consumer.Name, read.Consumer.Mobile));
        Assert.Equal(name, Assert.IsType<DisputeOpened>(events[0].Detail).Initial.Consumer.Name);
    }

    [Fact]
    public async Task EraseConsumerAsync_ConsumerWithPlainAndSealedDisputes_ReadsShowErasedRepeatKeepsFirstTime()
    {
        var (sealedOne, name, _) = Distinctive();
        var consumer = sealedOne.State.Consumer.ConsumerRef;
        var plainOne = WithConsumer(Samples.Open(sealedOne.State.ChannelId, consumer, "m-pd", "330106"), name, "13912340000");
        var (other, otherName, _) = Distinctive(sealedOne.State.ChannelId);
        await fixture.Disputes.CreateAsync(sealedOne, Samples.OpenRequest(sealedOne), Ct);
        await fixture.Disputes.CreateAsync(other, Samples.OpenRequest(other), Ct);
        await _db.WriteAsync(async tx =>
        {
            await tx.CommitAsync(ChangeWriter.Plan(tx.Dialect, null, plainOne, Samples.OpenRequest(plainOne), dataKeyId: null));
            return true;
        }, Ct);
        var keys = TestKeys.For(_db);
        var erasure = new PersonalDataRepository(new PersonalDataMigration(_db, keys), keys, fixture.Disputes);

        var first = await erasure.EraseConsumerAsync(sealedOne.State.ChannelId, consumer, Ct);
        var again = await erasure.EraseConsumerAsync(sealedOne.State.ChannelId, consumer, Ct);
        var unknown = await erasure.EraseConsumerAsync(sealedOne.State.ChannelId, Samples.Unique("nobody"), Ct);

        Assert.NotNull(first);
        Assert.Equal(first, again);
        Assert.Null(unknown);
        foreach (var id in new[] { sealedOne.State.DisputeId, plainOne.State.DisputeId })
        {
            var d = (await fixture.Disputes.GetAsync(id, Ct))!;
            Assert.Equal(("", "", first), (d.Consumer.Name, d.Consumer.Mobile, d.Consumer.ErasedAt));
            Assert.Equal(consumer, d.Consumer.ConsumerRef);
            var opened = Assert.IsType<DisputeOpened>((await fixture.Disputes.ReadEventsAsync(id, 0, 10, Ct))[0].Detail);
            Assert.Equal("", opened.Initial.Consumer.Name);
            Assert.DoesNotContain(Ascii(name), await RawRowsAsync(id));
        }
        Assert.Equal(otherName, (await fixture.Disputes.GetAsync(other.State.DisputeId, Ct))!.Consumer.Name);
        // A change after the erasure still works and stays erased.
        var posted = await fixture.Disputes.MutateAsync(sealedOne.State.DisputeId, Samples.Request(Samples.Unique("post")), d => Samples.Post(d, "x"), Ct);
        Assert.Equal("", posted!.Applied!.State.Consumer.Name);
    }

    [Fact]
    public async Task CheckAsync_KeysWrappedByAnotherKek_FailsNamingBothKeks()
    {
        var (change, _, _) = Distinctive();
        await fixture.Disputes.CreateAsync(change, Samples.OpenRequest(change), Ct);
        var wrong = new PersonalDataSealer(new KeyRing(new LocalKeyEncryptionKey(RandomNumberGenerator.GetBytes(32))));

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => new ConsumerKeyRepository(_db, wrong, TimeProvider.System).CheckAsync(Ct));

        Assert.Contains(TestKeys.Sealer.Ring.Current.Id, e.Message);
        Assert.Contains(wrong.Ring.Current.Id, e.Message);
    }

    [Fact]
    public async Task RewrapAsync_NewKekWithFormerInRing_RewrapsEveryKeyAndDisputesStillOpen()
    {
        var (change, name, _) = Distinctive();
        await fixture.Disputes.CreateAsync(change, Samples.OpenRequest(change), Ct);
        var stateBefore = await StateJsonAsync(change.State.DisputeId);
        var newKek = new LocalKeyEncryptionKey(RandomNumberGenerator.GetBytes(32));
        var rotated = new PersonalDataSealer(new KeyRing(newKek, [TestKeys.Sealer.Ring.Current]));
        try
        {
            var n = await new ConsumerKeyRepository(_db, rotated, TimeProvider.System).RewrapAsync(Ct);
            var kekIds = await ReadAsync<string>("SELECT DISTINCT kek_id FROM consumer_keys WHERE wrapped_key IS NOT NULL");
            var underNewOnly = new DisputeRepository(_db, new ConsumerKeyRepository(_db,
                new PersonalDataSealer(new KeyRing(newKek)), TimeProvider.System));

            Assert.True(n >= 1);
            Assert.Equal([newKek.Id], kekIds);
            Assert.Equal(name, (await underNewOnly.GetAsync(change.State.DisputeId, Ct))!.Consumer.Name);
            Assert.Equal(stateBefore, await StateJsonAsync(change.State.DisputeId)); // disputes untouched
            await new ConsumerKeyRepository(_db, new PersonalDataSealer(new KeyRing(newKek)), TimeProvider.System).CheckAsync(Ct);
        }
        finally
        {
            // Back to the run's KEK: the other tests of the collection share this database.
            var back = new PersonalDataSealer(new KeyRing(TestKeys.Sealer.Ring.Current, [newKek]));
            await new ConsumerKeyRepository(_db, back, TimeProvider.System).RewrapAsync(Ct);
        }
    }

    [Fact]
    public async Task CreateAsync_Sm4GcmConfigured_SealsWithSm4AndOpens()
    {
        var sm4 = new PersonalDataSealer(TestKeys.Sealer.Ring, AeadCipher.Sm4Gcm);
        var store = new DisputeRepository(_db, new ConsumerKeyRepository(_db, sm4, TimeProvider.System));
        var (change, name, mobile) = Distinctive();

        await store.CreateAsync(change, Samples.OpenRequest(change), Ct);
        var algorithm = await ReadAsync<string>(
            "SELECT k.algorithm FROM disputes d JOIN consumer_keys k ON k.key_id = d.data_key_id WHERE d.dispute_id = @Id", new { Id = change.State.DisputeId });

        Assert.Equal([AeadCipher.Sm4Gcm], algorithm);
        Assert.DoesNotContain(Ascii(name), await RawRowsAsync(change.State.DisputeId));
        // Any node opens it: the algorithm is stored with the key.
        Assert.Equal((name, mobile), ((await fixture.Disputes.GetAsync(change.State.DisputeId, Ct))!.Consumer.Name,
            (await fixture.Disputes.GetAsync(change.State.DisputeId, Ct))!.Consumer.Mobile));
    }

    [Fact]
    public async Task CreateAsync_BenchmarkWithoutEncryption_StoresPlainRowsWithoutADataKeyAndReadsThem()
    {
        // The encryption benchmark's baseline (PersonalData:BenchmarkWithoutEncryption): what the
        // switch turns off, so the benchmark measures exactly the sealing.
        var plain = new DisputeRepository(_db, new ConsumerKeyRepository(_db, TestKeys.Sealer, TimeProvider.System,
            new PersonalDataOptions { BenchmarkWithoutEncryption = true }));
        var (change, name, mobile) = Distinctive();

        await plain.CreateAsync(change, Samples.OpenRequest(change), Ct);

        Assert.Equal([0], await ReadAsync<int>("SELECT COUNT(*) FROM consumer_keys WHERE owner_consumer_ref = @Ref",
            new { Ref = change.State.Consumer.ConsumerRef }));
        Assert.Contains(mobile, await RawRowsAsync(change.State.DisputeId));
        var read = (await fixture.Disputes.GetAsync(change.State.DisputeId, Ct))!;
        Assert.Equal((name, mobile), (read.Consumer.Name, read.Consumer.Mobile));
    }

    // JSON escapes the Chinese characters; the rest of the name is what a scan of raw rows looks for.
    private static string Ascii(string s) => new(s.Where(char.IsAscii).ToArray());

    // A dispute of a consumer of its own, with a name and number no other test uses.
    private static (DisputeChange Change, string Name, string Mobile) Distinctive(string? channelId = null)
    {
        var name = "诸葛" + Samples.Unique("pd");
        var mobile = "139" + RandomNumberGenerator.GetInt32(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var change = Samples.Open(channelId ?? Samples.Unique("ch-pd"), Samples.Unique("c-pd"), "m-pd", "330106");
        return (WithConsumer(change, name, mobile), name, mobile);
    }

    private static DisputeChange WithConsumer(DisputeChange change, string name, string mobile)
    {
        var state = change.State with { Consumer = change.State.Consumer with { Name = name, Mobile = mobile } };
        return change with { State = state, Events = change.Events.Select(e => e.Detail is DisputeOpened ? e with { Detail = new DisputeOpened(state) } : e).ToArray() };
    }

    private async Task<string> RawRowsAsync(string disputeId)
    {
        var state = await ReadAsync<string>("SELECT state_json FROM disputes WHERE dispute_id = @Id", new { Id = disputeId });
        var events = await ReadAsync<string>("SELECT payload_json FROM dispute_events WHERE dispute_id = @Id", new { Id = disputeId });
        return string.Join("\n", state.Concat(events));
    }

    private async Task<string> StateJsonAsync(string disputeId) =>
        (await ReadAsync<string>("SELECT state_json FROM disputes WHERE dispute_id = @Id", new { Id = disputeId })).Single();

    private async Task<IReadOnlyList<T>> ReadAsync<T>(string sql, object? parameters = null)
    {
        await using var c = await fixture.OpenConnectionAsync(Ct);
        return (await c.QueryAsync<T>(sql, parameters)).AsList();
    }
}
