using Dapper;
using ResolutionGateway.Core.Events;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Infrastructure.Events;
using ResolutionGateway.Infrastructure.Persistence;
using ResolutionGateway.Infrastructure.Tests.TestSupport;

namespace ResolutionGateway.Infrastructure.Tests.Storage;

[Collection(SqliteCollection.Name)]
public sealed class FeedSequencerContractTestsSqlite(SqliteStoreFixture fixture) : FeedSequencerContractTests<SqliteStoreFixture>(fixture);

[Collection(MySqlCollection.Name)]
public sealed class FeedSequencerContractTestsMySql(MySqlStoreFixture fixture) : FeedSequencerContractTests<MySqlStoreFixture>(fixture);

/// <summary>The feed sequencer on both databases: positions given after the commit, once, in order.</summary>
public abstract class FeedSequencerContractTests<TFixture>(TFixture fixture) where TFixture : StoreFixture
{
    private readonly IDisputeStore _store = fixture.Disputes;

    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task SequenceAsync_NothingCommittedSinceLastPass_PositionsNothingAndKeepsHeads()
    {
        await fixture.Sequencer.SequenceAllAsync(Ct);
        var heads = await _store.ReadFeedHeadAsync(Ct);

        var positioned = await fixture.Sequencer.SequenceAsync(Ct);

        Assert.Empty(positioned);
        Assert.Equal(heads, await _store.ReadFeedHeadAsync(Ct));
    }

    [Fact]
    public async Task SequenceAsync_CommittedChanges_PositionsEachEventOnceInSeqOrderAndAnnouncesThem()
    {
        await fixture.Sequencer.SequenceAllAsync(Ct);
        var heads = await _store.ReadFeedHeadAsync(Ct);
        var open = Samples.Open("ch-seq", Samples.Unique("c"), "m-seq", "330106", enrolled: false);
        await _store.CreateAsync(open, Samples.OpenRequest(open), Ct);
        var id = open.State.DisputeId;
        await _store.MutateAsync(id, Samples.Request(Samples.Unique("r")), d => Samples.Post(d, "one"), Ct);
        var hub = new InProcessEventHub();
        using var feed = hub.SubscribeFeed();
        using var commits = hub.Subscribe(null);
        var sequencer = new FeedSequencer(DatabaseOf(fixture), hub, TestKeys.Sealer);

        var positioned = await sequencer.SequenceAllAsync(Ct);
        var again = await sequencer.SequenceAsync(Ct);

        Assert.Equal(3, positioned);
        Assert.Empty(again);
        var partition = FeedCursor.PartitionOf(id);
        var head = (await _store.ReadFeedHeadAsync(Ct))[partition];
        Assert.Equal(heads[partition] + 3, head);
        var page = await _store.ReadFeedAsync(partition, heads[partition], VisibilityScope.All, 10, Ct);
        Assert.Equal([(id, 1L, heads[partition] + 1), (id, 2L, heads[partition] + 2), (id, 3L, heads[partition] + 3)],
            page.Entries.Select(e => (e.Event.DisputeId, e.Event.Seq, e.Position)));
        var announced = new List<FeedEntry>();
        while (feed.Reader.TryRead(out var entry))
        {
            announced.Add(entry);
        }
        // Positions go to feed subscribers only, not to those who follow commits.
        Assert.False(commits.Reader.TryRead(out _));
        Assert.Equal(page.Entries.Select(e => (e.Partition, e.Position, e.Event.DisputeId, e.Event.Seq)),
            announced.Select(e => (e.Partition, e.Position, e.Event.DisputeId, e.Event.Seq)));
    }

    [Fact]
    public async Task SequenceAsync_ClosingChange_OutcomeRecordTakesThePositionOfItsLastEvent()
    {
        var open = Samples.Open("ch-seq-out", Samples.Unique("c"), "m-seq-out", "330106");
        await _store.CreateAsync(open, Samples.OpenRequest(open), Ct);
        var closed = await _store.MutateAsync(open.State.DisputeId, Samples.Request(Samples.Unique("w")), Samples.Withdraw, Ct);
        var id = open.State.DisputeId;
        await using var c = await fixture.OpenConnectionAsync(Ct);
        const string OutcomePosition = "SELECT feed_position FROM dispute_outcomes WHERE dispute_id = @Id";
        Assert.Null(await c.ExecuteScalarAsync<long?>(OutcomePosition, new { Id = id }));

        await fixture.Sequencer.SequenceAllAsync(Ct);

        var lastSeq = closed!.Applied!.State.LastSeq;
        var eventPosition = await c.ExecuteScalarAsync<long?>(
            "SELECT feed_position FROM dispute_events WHERE dispute_id = @Id AND seq = @Seq", new { Id = id, Seq = lastSeq });
        Assert.NotNull(eventPosition);
        Assert.Equal(eventPosition, await c.ExecuteScalarAsync<long?>(OutcomePosition, new { Id = id }));
    }

    [Fact]
    public async Task SequenceAsync_OutcomeCommittedAfterItsEventWasPositioned_PositionedByTheNextPass()
    {
        // An outcome record whose event already has a position (as when a pass read the events
        // just before the change's commit became visible, and the outcomes just after).
        var open = Samples.Open("ch-seq-late", Samples.Unique("c"), "m-seq-late", "330106");
        await _store.CreateAsync(open, Samples.OpenRequest(open), Ct);
        var closed = await _store.MutateAsync(open.State.DisputeId, Samples.Request(Samples.Unique("w")), Samples.Withdraw, Ct);
        var id = open.State.DisputeId;
        await using var c = await fixture.OpenConnectionAsync(Ct);
        var record = await c.QuerySingleAsync<(long Partition, long Revision, string Json)>(
            "SELECT feed_partition, revision, record_json FROM dispute_outcomes WHERE dispute_id = @Id", new { Id = id });
        await c.ExecuteAsync("DELETE FROM dispute_outcomes WHERE dispute_id = @Id", new { Id = id });
        await fixture.Sequencer.SequenceAllAsync(Ct);
        await c.ExecuteAsync("""
            INSERT INTO dispute_outcomes (feed_partition, feed_position, dispute_id, revision, closed_day, region_code, channel_id,
                                          merchant_id, category, record_json)
            VALUES (@Partition, NULL, @Id, @Revision, 0, '330106', 'ch-seq-late', 'm-seq-late', 0, @Json)
            """, new { record.Partition, Id = id, record.Revision, record.Json });

        var positioned = await fixture.Sequencer.SequenceAsync(Ct);

        Assert.Empty(positioned);
        var eventPosition = await c.ExecuteScalarAsync<long?>(
            "SELECT feed_position FROM dispute_events WHERE dispute_id = @Id AND seq = @Seq", new { Id = id, Seq = closed!.Applied!.State.LastSeq });
        Assert.Equal(eventPosition, await c.ExecuteScalarAsync<long?>("SELECT feed_position FROM dispute_outcomes WHERE dispute_id = @Id", new { Id = id }));
    }

    private static IDatabase DatabaseOf(TFixture f) => f switch
    {
        MySqlStoreFixture m => m.Database,
        SqliteStoreFixture s => s.Database,
        _ => throw new NotSupportedException(f.GetType().Name),
    };
}
