using Dapper;
using MySqlConnector;
using ResolutionGateway.Infrastructure.Persistence;
using ResolutionGateway.Infrastructure.Tests.TestSupport;

namespace ResolutionGateway.Infrastructure.Tests.MySql;

/// <summary>The MySQL schema set-up that has no embedded counterpart: nodes that start together.</summary>
[Collection(MySqlCollection.Name)]
public sealed class MySqlDatabaseTests(MySqlStoreFixture fixture)
{
    [Fact]
    public async Task InitializeAsync_FourNodesAtOnce_OneAppliesEverythingOthersNothing()
    {
        // Four nodes starting together on an empty database, each with its own pool.
        var connectionString = await fixture.CreateDatabaseAsync();
        var nodes = Enumerable.Range(0, 4).Select(_ => new MySqlDataSourceBuilder(connectionString).Build()).ToArray();
        IReadOnlyList<Migration>[] runs;
        try
        {
            runs = await Task.WhenAll(nodes.Select(n => MySqlStoreFixture.NewDatabase(n).InitializeAsync(default)));
        }
        finally
        {
            foreach (var n in nodes)
            {
                await n.DisposeAsync();
            }
        }

        var all = fixture.AllMigrations.Select(m => m.Version).ToArray();
        Assert.Single(runs, r => r.Select(m => m.Version).SequenceEqual(all));
        Assert.Equal(3, runs.Count(r => r.Count == 0));
        await using var c = new MySqlConnection(connectionString);
        Assert.Equal(all.Length, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations"));
    }
}
