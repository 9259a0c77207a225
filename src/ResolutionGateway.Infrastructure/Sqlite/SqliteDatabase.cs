using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using ResolutionGateway.Infrastructure.Persistence;

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
}

/// <summary>
/// The embedded store's connections. SQLite allows one writer at a time, so writers queue on an
/// async lock here instead of spinning on SQLITE_BUSY; readers run concurrently (WAL).
/// </summary>
public sealed class SqliteDatabase(SqliteOptions options, ILogger<SqliteDatabase> logger, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
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
        await new Migrator("Sqlite", logger).ApplyAsync(connection, time, ct);
    }

    /// <summary>The migrations not applied yet (dry run).</summary>
    public async Task<IReadOnlyList<Migration>> PendingMigrationsAsync(CancellationToken ct)
    {
        EnsureFolder();
        await using var connection = await OpenAsync(ct);
        return await new Migrator("Sqlite", logger).PendingAsync(connection, ct);
    }

    /// <summary>An open connection with this store's pragmas.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        await connection.ExecuteAsync($"PRAGMA synchronous={SynchronousMode}; PRAGMA busy_timeout=30000;");
        return connection;
    }

    /// <summary>Runs <paramref name="work"/> in a write transaction, one writer at a time; commits when it returns.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken ct)
    {
        await _writeLock.WaitAsync(ct);
        try
        {
            await using var connection = await OpenAsync(ct);
            await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
            var result = await work(connection, tx);
            await tx.CommitAsync(ct);
            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private void EnsureFolder()
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(options.Path));
        if (folder is not null)
        {
            System.IO.Directory.CreateDirectory(folder);
        }
    }

    private string SynchronousMode => options.Synchronous.ToUpperInvariant() switch
    {
        "NORMAL" => "NORMAL",
        "OFF" => "OFF",
        _ => "FULL",
    };

    /// <inheritdoc />
    public void Dispose() => _writeLock.Dispose();
}
