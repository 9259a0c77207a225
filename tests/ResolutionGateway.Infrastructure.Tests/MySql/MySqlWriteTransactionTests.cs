using Dapper;
using MySqlConnector;
using ResolutionGateway.Core.Errors;
using Microsoft.Extensions.Logging.Abstractions;
using ResolutionGateway.Infrastructure.MySql;
using ResolutionGateway.Infrastructure.Repositories;
using ResolutionGateway.Infrastructure.Tests.TestSupport;

namespace ResolutionGateway.Infrastructure.Tests.MySql;

/// <summary>
/// The MySQL database runs its write transactions in SQL (BEGIN and COMMIT inside its batches), and the
/// gateway's pool does not reset sessions (ConnectionReset=false). A failed write must therefore
/// leave no open transaction and no row lock on the pooled session it gives back. One connection in
/// the pool makes the next operation reuse exactly that session.
/// </summary>
[Collection(MySqlCollection.Name)]
public sealed class MySqlWriteTransactionTests(MySqlStoreFixture fixture)
{
    private static CancellationToken Ct => CancellationToken.None;

    private MySqlDataSource SingleSessionPool() =>
        new MySqlOptions
        {
            ConnectionString = MySqlOptions.WithDefaults(new MySqlConnectionStringBuilder(fixture.ConnectionString) { MaximumPoolSize = 1 }.ConnectionString),
        }.CreateDataSource();

    [Fact]
    public async Task MutateAsync_DecideThrows_SessionBackInPoolHasNoTransactionAndNoLock()
    {
        await using var pool = SingleSessionPool();
        var database = new MySqlDatabase(pool, NullLogger<MySqlDatabase>.Instance, TimeProvider.System);
        var store = new DisputeRepository(database, TestKeys.For(database));
        var opened = Samples.Open("ch-tx", Samples.Unique("c"), "m-tx", "330106");
        await store.CreateAsync(opened, Samples.OpenRequest(opened), Ct);
        var id = opened.State.DisputeId;

        await Assert.ThrowsAsync<PreconditionFailedException>(() => store.MutateAsync(id, Samples.Request(Samples.Unique("r")),
            _ => throw new PreconditionFailedException("STATE", "dispute", "refused by the rules"), Ct));

        await using (var session = await pool.OpenConnectionAsync(Ct))
        {
            Assert.Equal(0, await session.ExecuteScalarAsync<int>("SELECT @@in_transaction"));
        }
        // Another client takes the dispute's row lock at once (NOWAIT fails if anyone still holds it).
        await using var other = new MySqlConnection(fixture.ConnectionString);
        await other.OpenAsync(Ct);
        await using var tx = await other.BeginTransactionAsync(Ct);
        Assert.Equal(id, await other.ExecuteScalarAsync<string>(
            "SELECT dispute_id FROM disputes WHERE dispute_id = @Id FOR UPDATE NOWAIT", new { Id = id }, tx));
    }

    [Fact]
    public async Task CreateAsync_DuplicateRequestMidBatch_SessionBackInPoolHasNoTransaction()
    {
        await using var pool = SingleSessionPool();
        var database = new MySqlDatabase(pool, NullLogger<MySqlDatabase>.Instance, TimeProvider.System);
        var store = new DisputeRepository(database, TestKeys.For(database));
        var first = Samples.Open("ch-tx", Samples.Unique("c"), "m-tx", "330106");
        var request = Samples.OpenRequest(first);
        await store.CreateAsync(first, request, Ct);
        // Another order with the same request id: the dispute row goes in, the request record fails.
        var second = Samples.Open("ch-tx", Samples.Unique("c"), "m-tx", "330106");

        var result = await store.CreateAsync(second, request with { DisputeId = second.State.DisputeId }, Ct);

        Assert.Equal(Core.Storage.CreateOutcome.DuplicateRequest, result.Outcome);
        await using var session = await pool.OpenConnectionAsync(Ct);
        Assert.Equal(0, await session.ExecuteScalarAsync<int>("SELECT @@in_transaction"));
        // The dispute row of the failed batch was rolled back with it.
        Assert.Equal(0, await session.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM disputes WHERE dispute_id = @Id", new { Id = second.State.DisputeId }));
    }

    [Fact]
    public async Task CommitAsync_SameParameterNameInTwoStatements_EachStatementGetsItsOwnValues()
    {
        var database = new MySqlDatabase(fixture.DataSource, NullLogger<MySqlDatabase>.Instance, TimeProvider.System);
        var table = "batch_" + Guid.NewGuid().ToString("N")[..12];
        await database.ExecuteAsync($"CREATE TABLE {table} (id VARCHAR(8) PRIMARY KEY, v INT NULL)", null, Ct);
        try
        {
            var batch = new Infrastructure.Persistence.SqlBatch()
                .Add($"INSERT INTO {table} (id, v) VALUES (@Id, @Value)", new { Id = "x", Value = 1 })
                .Add($"INSERT INTO {table} (id, v) VALUES (@Id, @Value)", new Dictionary<string, object?> { ["Id"] = "y", ["Value"] = null })
                .Add($"UPDATE {table} SET v = @Value WHERE id = @Id", new { Id = "x", Value = 3 });

            await database.WriteAsync(async tx =>
            {
                await tx.CommitAsync(batch);
                return true;
            }, Ct);

            var rows = await database.ReadAsync((c, t) => c.QueryAsync<(string Id, int? V)>(new CommandDefinition($"SELECT id, v FROM {table} ORDER BY id", cancellationToken: t)), Ct);
            Assert.Equal([("x", (int?)3), ("y", null)], rows);
        }
        finally
        {
            await database.ExecuteAsync($"DROP TABLE {table}", null, Ct);
        }
    }
}
