using System.Data;
using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MySqlConnector;
using ResolutionGateway.Infrastructure.Persistence;
using ResolutionGateway.Infrastructure.Resilience;

namespace ResolutionGateway.Infrastructure.MySql;

/// <summary>
/// A MySQL/MariaDB database. Connections come from the injected <see cref="MySqlDataSource"/> (one
/// pool per process); every operation opens its own and returns it at once. Every operation runs
/// through <see cref="StorageResilience"/>: transient failures are retried as a whole operation and
/// a dead server answers UNAVAILABLE at once (the circuit breaker).
/// </summary>
public sealed class MySqlDatabase(MySqlDataSource dataSource, ILogger<MySqlDatabase> logger, TimeProvider time, StorageResilience? resilience = null)
    : IDatabase
{
    private readonly StorageResilience _resilience = resilience ?? new StorageResilience(NullLogger<StorageResilience>.Instance, TimeProvider.System);

    // A server-wide advisory lock: nodes starting together migrate one after the other, and the later
    // ones find nothing pending. It belongs to the session, so a node that dies mid-way releases it.
    // The name is fixed (lock names are at most 64 characters), so migrations of different databases
    // on one server also take turns, which costs nothing.
    private const string LockName = "resolution_gateway_migrations";
    private const int LockTimeoutSeconds = 60;
    private const string GetLockSql = "SELECT GET_LOCK(@Name, @TimeoutSeconds)";
    private const string ReleaseLockSql = "SELECT RELEASE_LOCK(@Name)";

    // Write transactions are written in SQL rather than through MySqlTransaction, so that BEGIN and
    // COMMIT travel with the statements: an open is one round trip and a mutation two (lock and
    // read; write and commit), where MySqlTransaction costs three more (isolation level, START
    // TRANSACTION, COMMIT). Round trips were most of the gateway's CPU on writes (measured with
    // tools/loadgen). SET TRANSACTION without SESSION applies to the next transaction only. READ
    // COMMITTED: a read made after taking a row lock sees what the previous holder of that lock
    // committed. MySQL stops a multi-statement command at its first error and leaves the
    // transaction open, so every failure path sends ROLLBACK before the connection goes back to the
    // pool (which does not reset sessions: see MySqlOptions.WithDefaults).
    private const string BeginSql = "SET TRANSACTION ISOLATION LEVEL READ COMMITTED;\nSTART TRANSACTION;\n";

    /// <summary>The pool the repositories use.</summary>
    public MySqlDataSource DataSource => dataSource;

    /// <inheritdoc />
    public SqlDialect Dialect => SqlDialect.MySql;

    /// <inheritdoc />
    public Task<T> ReadAsync<T>(Func<DbConnection, CancellationToken, Task<T>> read, CancellationToken ct) =>
        _resilience.RunAsync(async token =>
        {
            await using var c = await dataSource.OpenConnectionAsync(token);
            return await read(c, token);
        }, ct);

    /// <inheritdoc />
    public Task<T> ReadCommittedAsync<T>(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> read, CancellationToken ct) =>
        _resilience.RunAsync(async token =>
        {
            await using var c = await dataSource.OpenConnectionAsync(token);
            // READ COMMITTED: each statement reads a fresh snapshot, no older than the previous
            // statement's; no locks are taken and no writer is waited for.
            await using var tx = await c.BeginTransactionAsync(IsolationLevel.ReadCommitted, isReadOnly: true, token);
            var result = await read(c, tx, token);
            await tx.CommitAsync(token);
            return result;
        }, ct);

    /// <inheritdoc />
    public Task<T> WriteAsync<T>(Func<IWriteTransaction, Task<T>> work, CancellationToken ct) =>
        _resilience.RunAsync(async token =>
        {
            await using var c = await dataSource.OpenConnectionAsync(token);
            var tx = new MySqlWriteTransaction(c, token);
            try
            {
                var result = await work(tx);
                await tx.EndAsync();
                return result;
            }
            catch
            {
                await tx.RollbackAsync();
                throw;
            }
        }, ct);

    /// <inheritdoc />
    public Task<int> ExecuteAsync(string sql, object? parameters, CancellationToken ct) =>
        ReadAsync((c, token) => c.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: token)), ct);

    /// <inheritdoc />
    public bool IsDuplicateKey(Exception error) => error is MySqlException { ErrorCode: MySqlErrorCode.DuplicateKeyEntry };

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
            return await new Migrator(Dialect.MigrationFolder(), logger).ApplyAsync(c, time, ct);
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
        return await new Migrator(Dialect.MigrationFolder(), logger).PendingAsync(c, ct);
    }

    // The transaction begins with the first statement sent (BEGIN travels with it) and ends with
    // CommitAsync's command, or with EndAsync / RollbackAsync when the work did not commit.
    private sealed class MySqlWriteTransaction(MySqlConnection c, CancellationToken ct) : WriteTransaction(c)
    {
        private bool _begun;
        private bool _ended;

        public override SqlDialect Dialect => SqlDialect.MySql;

        public override async Task CommitAsync(SqlBatch batch)
        {
            ObjectDisposedException.ThrowIf(_ended, this);
            var (sql, parameters) = batch.Joined(_begun ? "" : BeginSql, "COMMIT");
            _begun = true;
            // ExecuteNonQuery reads every result, so an error of any statement or of the COMMIT
            // surfaces here, before the change is reported as stored.
            await c.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: ct));
            _ended = true;
        }

        public async Task EndAsync()
        {
            if (_begun && !_ended)
            {
                await c.ExecuteAsync(new CommandDefinition("COMMIT", cancellationToken: ct));
            }
            _ended = true;
        }

        public async Task RollbackAsync()
        {
            if (!_begun || _ended)
            {
                return;
            }
            _ended = true;
            try
            {
                await c.ExecuteAsync(new CommandDefinition("ROLLBACK", cancellationToken: CancellationToken.None));
            }
            catch (Exception e) when (e is MySqlException or InvalidOperationException or IOException)
            {
                // The connection is broken (the pool discards broken sessions), or the server has
                // already ended the transaction; the original failure is what the caller needs.
            }
        }

        protected override CommandDefinition Command(string sql, object? parameters)
        {
            ObjectDisposedException.ThrowIf(_ended, this);
            var text = _begun ? sql : BeginSql + sql;
            _begun = true;
            return new CommandDefinition(text, parameters, cancellationToken: ct);
        }
    }
}
