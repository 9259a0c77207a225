using System.Data.Common;
using System.Threading.Channels;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using ResolutionGateway.Infrastructure.Persistence;
using ResolutionGateway.Infrastructure.Privacy;

namespace ResolutionGateway.Infrastructure.Sqlite;

/// <summary>Options of the embedded store.</summary>
public sealed class SqliteOptions
{
    /// <summary>Path of the database file.</summary>
    public required string Path { get; init; }

    /// <summary>
    /// PRAGMA synchronous: FULL (default) fsyncs the WAL on every commit, so an acknowledged write
    /// survives power loss; NORMAL survives process crashes only but is faster.
    /// </summary>
    public string Synchronous { get; init; } = "FULL";

    /// <summary>
    /// True when the file is in the service's own data folder: an existing folder is then set to
    /// mode 700 (older versions left it 755). A folder that does not exist is always created 700.
    /// </summary>
    public bool OwnsFolder { get; init; }
}

/// <summary>
/// The embedded store's connections. SQLite allows one writer at a time, so writes queue here
/// instead of spinning on SQLITE_BUSY; readers run concurrently (WAL). Writes that queue up while
/// one commits are committed together (group commit): each runs in a savepoint of one transaction,
/// in arrival order, so each sees the ones before it and a failing one is rolled back alone; one
/// COMMIT (one fsync with synchronous=FULL) then makes them all durable, and only then is any of
/// them acknowledged. With one write at a time nothing changes.
/// </summary>
public sealed class SqliteDatabase(SqliteOptions options, ILogger<SqliteDatabase> logger, TimeProvider time) : IDatabase, IDisposable
{
    // SQLite's extended result codes for a UNIQUE index and a PRIMARY KEY violation.
    private const int ConstraintUnique = 2067;
    private const int ConstraintPrimaryKey = 1555;

    // Writes per transaction at most: bounds how long the first of a batch waits for its commit.
    private const int MaxBatch = 64;
    private readonly Channel<PendingWrite> _writes = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _writerStart = new();
    private Task? _writer;
    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = options.Path,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    /// <summary>Creates the file and folder if needed, switches to WAL and applies migrations.</summary>
    public async Task InitializeAsync(CancellationToken ct)
    {
        EnsureFolder();
        await using var connection = await OpenAsync(ct);
        // WAL is a property of the file: set once, outside any transaction.
        await connection.ExecuteAsync("PRAGMA journal_mode=WAL");
        await new Migrator(Dialect.MigrationFolder(), logger).ApplyAsync(connection, time, ct);
        // The file and its -wal/-shm hold the store (personal data sealed, but also the directory
        // and keys' hashes): 600, like the admin key. New -wal/-shm files take the file's mode.
        DataFolder.Restrict(options.Path);
    }

    /// <summary>The migrations not applied yet (dry run).</summary>
    public async Task<IReadOnlyList<Migration>> PendingMigrationsAsync(CancellationToken ct)
    {
        EnsureFolder();
        await using var connection = await OpenAsync(ct);
        return await new Migrator(Dialect.MigrationFolder(), logger).PendingAsync(connection, ct);
    }

    /// <summary>An open connection with this store's pragmas.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        await connection.ExecuteAsync($"PRAGMA synchronous={SynchronousMode}; PRAGMA busy_timeout=30000;");
        return connection;
    }

    /// <inheritdoc />
    public SqlDialect Dialect => SqlDialect.Sqlite;

    /// <inheritdoc />
    public async Task<T> ReadAsync<T>(Func<DbConnection, CancellationToken, Task<T>> read, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        return await read(c, ct);
    }

    /// <inheritdoc />
    public async Task<T> ReadCommittedAsync<T>(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> read, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        // One read transaction: every statement reads the same snapshot, and writers are
        // serialised, so a head read first is committed with everything below it. Deferred (plain
        // BEGIN), so it takes no write lock and never waits for a writer (WAL readers run alongside).
        await using var tx = c.BeginTransaction(deferred: true);
        return await read(c, tx, ct);
    }

    /// <inheritdoc />
    public Task<T> WriteAsync<T>(Func<IWriteTransaction, Task<T>> work, CancellationToken ct) =>
        WriteAsync((c, tx) => work(new SqliteWriteTransaction(c, tx, ct)), ct);

    /// <inheritdoc />
    public Task<int> ExecuteAsync(string sql, object? parameters, CancellationToken ct) =>
        WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(sql, parameters, tx, cancellationToken: ct)), ct);

    /// <inheritdoc />
    public bool IsDuplicateKey(Exception error) =>
        error is SqliteException { SqliteExtendedErrorCode: ConstraintUnique or ConstraintPrimaryKey };

    // Statements run one by one on the group commit's connection, inside the write's savepoint;
    // the group commit commits.
    private sealed class SqliteWriteTransaction(SqliteConnection c, SqliteTransaction tx, CancellationToken ct) : WriteTransaction(c)
    {
        private bool _ended;

        public override SqlDialect Dialect => SqlDialect.Sqlite;

        public override async Task CommitAsync(SqlBatch batch)
        {
            foreach (var (sql, parameters) in batch.Statements)
            {
                await ExecuteAsync(sql, parameters);
            }
            _ended = true;
        }

        protected override CommandDefinition Command(string sql, object? parameters)
        {
            ObjectDisposedException.ThrowIf(_ended, this);
            return new CommandDefinition(sql, parameters, tx, cancellationToken: ct);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a write transaction, one writer at a time; the returned task
    /// completes once the transaction holding it has committed (or with the exception that rolled
    /// <paramref name="work"/> back).
    /// </summary>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var write = new PendingWrite<T>(work, ct);
        lock (_writerStart)
        {
            _writer ??= Task.Run(WriteLoopAsync, CancellationToken.None);
        }
        ObjectDisposedException.ThrowIf(!_writes.Writer.TryWrite(write), this);
        return write.Task;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingWrite>(MaxBatch);
        while (await _writes.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _writes.Reader.TryRead(out var write))
            {
                if (write.Cancellation.IsCancellationRequested)
                {
                    write.Fail(new OperationCanceledException(write.Cancellation));
                }
                else
                {
                    batch.Add(write);
                }
            }
            if (batch.Count > 0)
            {
                await CommitBatchAsync(batch);
            }
        }
    }

    private async Task CommitBatchAsync(List<PendingWrite> batch)
    {
        // Outcomes are given out only after the transaction has ended: a write that failed on a
        // unique key looks up the winner next, which must be committed by then (as it was when
        // each write had the lock to itself).
        var failures = new Exception?[batch.Count];
        try
        {
            await using var connection = await OpenAsync(CancellationToken.None);
            await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(CancellationToken.None);
            if (batch.Count == 1)
            {
                // Alone: no savepoint needed, the transaction's rollback undoes a failure.
                try
                {
                    await batch[0].RunAsync(connection, tx);
                }
                catch (Exception e)
                {
                    await tx.RollbackAsync(CancellationToken.None);
                    batch[0].Fail(e);
                    return;
                }
            }
            else
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    await tx.SaveAsync("write", CancellationToken.None);
                    try
                    {
                        await batch[i].RunAsync(connection, tx);
                    }
                    catch (Exception e)
                    {
                        await tx.RollbackAsync("write", CancellationToken.None);
                        failures[i] = e;
                    }
                    finally
                    {
                        await tx.ReleaseAsync("write", CancellationToken.None);
                    }
                }
            }
            await tx.CommitAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            // Nothing of this batch is committed: every write fails with the cause.
            foreach (var write in batch)
            {
                write.Fail(e);
            }
            return;
        }
        for (var i = 0; i < batch.Count; i++)
        {
            if (failures[i] is { } failure)
            {
                batch[i].Fail(failure);
            }
            else
            {
                batch[i].Succeed();
            }
        }
    }

    private abstract class PendingWrite(CancellationToken cancellation)
    {
        public CancellationToken Cancellation { get; } = cancellation;

        public abstract Task RunAsync(SqliteConnection connection, SqliteTransaction tx);

        public abstract void Succeed();

        /// <summary>Fails the write unless it has an outcome already.</summary>
        public abstract void Fail(Exception e);
    }

    private sealed class PendingWrite<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellation)
        : PendingWrite(cancellation)
    {
        private readonly TaskCompletionSource<T> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _result = default!;

        public Task<T> Task => _outcome.Task;

        public override async Task RunAsync(SqliteConnection connection, SqliteTransaction tx) => _result = await work(connection, tx);

        public override void Succeed() => _outcome.TrySetResult(_result);

        public override void Fail(Exception e)
        {
            if (e is OperationCanceledException oce)
            {
                _outcome.TrySetCanceled(oce.CancellationToken);
            }
            else
            {
                _outcome.TrySetException(e);
            }
        }
    }

    private void EnsureFolder()
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(options.Path));
        if (folder is not null)
        {
            DataFolder.Create(folder, options.OwnsFolder);
        }
    }

    private string SynchronousMode => options.Synchronous.ToUpperInvariant() switch
    {
        "NORMAL" => "NORMAL",
        "OFF" => "OFF",
        _ => "FULL",
    };

    /// <inheritdoc />
    public void Dispose() => _writes.Writer.TryComplete();
}
