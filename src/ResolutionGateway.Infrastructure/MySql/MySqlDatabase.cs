using Dapper;
using Microsoft.Extensions.Logging;
using MySqlConnector;
using ResolutionGateway.Infrastructure.Persistence;

namespace ResolutionGateway.Infrastructure.MySql;

/// <summary>
/// The MySQL/MariaDB store's schema. Connections come from the injected <see cref="MySqlDataSource"/>
/// (one pool per process); every operation opens its own and returns it at once.
/// </summary>
public sealed class MySqlDatabase(MySqlDataSource dataSource, ILogger<MySqlDatabase> logger, TimeProvider time)
{
    private const string Dialect = "MySql";

    // A server-wide advisory lock: nodes starting together migrate one after the other, and the later
    // ones find nothing pending. It belongs to the session, so a node that dies mid-way releases it.
    // The name is fixed (lock names are at most 64 characters), so migrations of different databases
    // on one server also take turns, which costs nothing.
    private const string LockName = "resolution_gateway_migrations";
    private const int LockTimeoutSeconds = 60;
    private const string GetLockSql = "SELECT GET_LOCK(@Name, @TimeoutSeconds)";
    private const string ReleaseLockSql = "SELECT RELEASE_LOCK(@Name)";

    /// <summary>The pool the stores use.</summary>
    public MySqlDataSource DataSource => dataSource;

    /// <summary>Applies pending migrations under the migration lock; returns those applied.</summary>
    public async Task<IReadOnlyList<Migration>> InitializeAsync(CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        // GET_LOCK: 1 acquired, 0 timed out, NULL on error.
        var acquired = await c.ExecuteScalarAsync<long?>(new CommandDefinition(GetLockSql,
            new { Name = LockName, TimeoutSeconds = LockTimeoutSeconds }, cancellationToken: ct));
        if (acquired != 1)
        {
            throw new TimeoutException($"another node held the migration lock '{LockName}' for more than {LockTimeoutSeconds} s");
        }
        try
        {
            return await new Migrator(Dialect, logger).ApplyAsync(c, time, ct);
        }
        finally
        {
            try
            {
                await c.ExecuteScalarAsync<long?>(new CommandDefinition(ReleaseLockSql, new { Name = LockName }, cancellationToken: CancellationToken.None));
            }
            catch (MySqlException e)
            {
                // The lock dies with the session anyway; do not hide the migration's own outcome.
                logger.LogWarning(e, "Could not release the migration lock {LockName}", LockName);
            }
        }
    }

    /// <summary>The migrations not applied yet (dry run; creates only the empty schema_migrations table).</summary>
    public async Task<IReadOnlyList<Migration>> PendingMigrationsAsync(CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        return await new Migrator(Dialect, logger).PendingAsync(c, ct);
    }
}
