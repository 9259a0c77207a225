using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ResolutionGateway.Contracts.V1;
using ResolutionGateway.Infrastructure.Retention;
using IDatabase = ResolutionGateway.Infrastructure.Persistence.IDatabase;

namespace ResolutionGateway.IntegrationTests;

/// <summary>
/// A gateway on a hand-driven clock with retention periods the test can step over: consumer data 30
/// days after closing, idempotency records 30 days, delivered webhooks 10 days, dead letters 60. The
/// job's own timer runs once at start (nothing is old then); tests run passes themselves.
/// </summary>
public abstract class RetentionGateway : IAsyncLifetime
{
    public static readonly string[] Args =
    [
        "--Retention:Interval=1.00:00:00",
        "--Retention:ConsumerDataAfterClose=30.00:00:00",
        "--Retention:IdempotencyRecords=30.00:00:00",
        "--Retention:DeliveredWebhooks=10.00:00:00",
        "--Retention:DeadLetters=60.00:00:00",
        "--Retention:BatchSize=2",
        "--Deadlines:Enforce=false",
        "--Webhooks:Dispatch=false",
    ];

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public GatewayFixture Gateway { get; protected set; } = null!;

    public Task InitializeAsync() => Gateway.InitializeAsync();

    public Task DisposeAsync() => Gateway.DisposeAsync();
}

public sealed class SqliteRetentionGateway : RetentionGateway
{
    public SqliteRetentionGateway() => Gateway = new GatewayFixture(Time, Args);
}

public sealed class MySqlRetentionGateway : RetentionGateway
{
    public MySqlRetentionGateway() => Gateway = new MySqlGateway(Time, Args);
}

public sealed class RetentionOnSqlite(SqliteRetentionGateway gw) : RetentionTests(gw), IClassFixture<SqliteRetentionGateway>;
public sealed class RetentionOnMySql(MySqlRetentionGateway gw) : RetentionTests(gw), IClassFixture<MySqlRetentionGateway>;

/// <summary>The retention job under a fake clock, on each backend (one flow: the clock only moves forward).</summary>
public abstract class RetentionTests(RetentionGateway fixture)
{
    private GatewayFixture Gw => fixture.Gateway;

    private IDatabase Db => Gw.Services.GetRequiredService<IDatabase>();

    [Fact]
    public async Task RunOnceAsync_PeriodsPassed_ErasesClosedConsumersRemovesOldRowsEachOnce()
    {
        var s = await Scenario.CreateAsync(Gw);
        var sweeper = Gw.Services.GetRequiredService<RetentionSweeper>();
        var closed = new List<Dispute>();
        foreach (var consumer in new[] { "gone-1", "gone-2", "gone-3" })
        {
            var open = s.OpenRequest(consumerRef: consumer + s.Suffix);
            open.Consumer.Name = "Retained " + consumer;
            var d = (await s.Channel.OpenDisputeAsync(open)).Dispute;
            await s.Channel.WithdrawDisputeAsync(new WithdrawDisputeRequest { RequestId = "w-" + consumer, DisputeId = d.DisputeId });
            closed.Add(d);
        }
        // A consumer with one closed and one open dispute keeps both readable.
        var mixedClosed = await s.OpenAsync(consumerRef: "mixed-" + s.Suffix);
        await s.Channel.WithdrawDisputeAsync(new WithdrawDisputeRequest { RequestId = "w-mixed", DisputeId = mixedClosed.DisputeId });
        var mixedOpen = await s.OpenAsync(consumerRef: "mixed-" + s.Suffix);
        var post = new PostMessageRequest { RequestId = "post-once", DisputeId = mixedOpen.DisputeId, Text = "where is my refund?" };
        await s.Channel.PostMessageAsync(post);
        await s.Channel.PostMessageAsync(post); // a retry within the period: the same request
        var endpoint = "whe_" + Guid.NewGuid().ToString("N")[..26].ToUpperInvariant();
        await InsertDeliveryAsync(endpoint, mixedOpen.DisputeId, 1, status: 2);
        await InsertDeliveryAsync(endpoint, mixedOpen.DisputeId, 2, status: 3);
        await InsertDeliveryAsync(endpoint, mixedOpen.DisputeId, 3, status: 1);
        var party = "channel:" + s.ChannelId;
        var eventsBefore = (await s.EventsAsync(mixedOpen.DisputeId)).Count;

        fixture.Time.Advance(TimeSpan.FromDays(29));
        var early = await sweeper.RunOnceAsync(CancellationToken.None);
        fixture.Time.Advance(TimeSpan.FromDays(2));
        var due = await sweeper.RunOnceAsync(CancellationToken.None);
        var again = await sweeper.RunOnceAsync(CancellationToken.None);
        await s.Channel.PostMessageAsync(post); // after the period: a new request

        Assert.Equal(0, early.ConsumersErased + early.IdempotencyRecords + early.DeadLetters);
        Assert.Equal(1, early.DeliveredWebhooks);
        Assert.Equal(3, due.ConsumersErased);
        Assert.True(due.IdempotencyRecords >= 6, $"removed {due.IdempotencyRecords} idempotency records");
        Assert.Equal(0, due.DeadLetters);
        Assert.True(again.IsEmpty, $"a second pass removed {again}");
        foreach (var d in closed)
        {
            var view = (await s.Channel.GetDisputeAsync(new GetDisputeRequest { DisputeId = d.DisputeId })).Dispute;
            Assert.Equal(("", ""), (view.Consumer.Name, view.Consumer.Mobile));
            Assert.NotNull(view.Consumer.EraseTime);
            Assert.Equal(DisputeStatus.Withdrawn, view.Status);
        }
        foreach (var d in new[] { mixedClosed, mixedOpen })
        {
            var view = (await s.Channel.GetDisputeAsync(new GetDisputeRequest { DisputeId = d.DisputeId })).Dispute;
            Assert.Equal(("Li Hua", Scenario.Mobile), (view.Consumer.Name, view.Consumer.Mobile));
        }
        Assert.Equal(eventsBefore + 1, (await s.EventsAsync(mixedOpen.DisputeId)).Count);
        Assert.Equal(1L, await CountAsync("SELECT COUNT(*) FROM idempotency_records WHERE party_key = @P", new { P = party }));
        Assert.Equal(new long[] { 1, 3 }, await StatusesAsync(endpoint)); // pending and dead-lettered; the delivered row went early

        fixture.Time.Advance(TimeSpan.FromDays(30));
        var late = await sweeper.RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, late.DeadLetters);
        Assert.Equal(new long[] { 1 }, await StatusesAsync(endpoint)); // pending rows are never removed
    }

    private Task<int> InsertDeliveryAsync(string endpointId, string disputeId, long seq, int status) =>
        Db.ExecuteAsync("""
            INSERT INTO webhook_deliveries (endpoint_id, dispute_id, seq, event_type, status, attempts, created_at, first_attempt_at,
                next_attempt_at, delivered_at, last_http_status, last_error, dead_letter_reason, lease_token)
            VALUES (@EndpointId, @DisputeId, @Seq, 'message_posted', @Status, 1, @Now, @Now, @Next, @Delivered, 200, '', '', '')
            """, new
        {
            EndpointId = endpointId,
            DisputeId = disputeId,
            Seq = seq,
            Status = status,
            Now = fixture.Time.GetUtcNow().ToUnixTimeMilliseconds(),
            // A pending row far in the future, so nothing in the test would send it.
            Next = status == 1 ? fixture.Time.GetUtcNow().AddYears(1).ToUnixTimeMilliseconds() : (long?)null,
            Delivered = status == 2 ? fixture.Time.GetUtcNow().ToUnixTimeMilliseconds() : (long?)null,
        }, CancellationToken.None);

    private Task<long> CountAsync(string sql, object args) =>
        Db.ReadAsync((c, t) => c.ExecuteScalarAsync<long>(new CommandDefinition(sql, args, cancellationToken: t)), CancellationToken.None);

    private async Task<long[]> StatusesAsync(string endpointId) =>
        (await Db.ReadAsync((c, t) => c.QueryAsync<long>(new CommandDefinition(
            "SELECT status FROM webhook_deliveries WHERE endpoint_id = @E ORDER BY status", new { E = endpointId }, cancellationToken: t)), CancellationToken.None)).ToArray();
}
