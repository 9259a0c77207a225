using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using ResolutionGateway.Infrastructure.Persistence;
using ResolutionGateway.Infrastructure.Sqlite;

namespace ResolutionGateway.Infrastructure.Tests.TestSupport;

/// <summary>The embedded store on a database file in a temporary folder, deleted at the end.</summary>
public sealed class SqliteStoreFixture : StoreFixture, IDisposable
{
    // SQLite's extended result codes for a UNIQUE index and a PRIMARY KEY violation.
    private const int ConstraintUnique = 2067;
    private const int ConstraintPrimaryKey = 1555;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "rg-store-" + Guid.NewGuid().ToString("N"));
    private SqliteDatabase? _database;

    public override async Task InitializeAsync()
    {
        // The production default (FULL: fsync on every commit), so the tests see the real write path.
        _database = new SqliteDatabase(new SqliteOptions { Path = Path.Combine(_folder, "resolution.db") },
            NullLogger<SqliteDatabase>.Instance, TimeProvider.System);
        AllMigrations = new Migrator("Sqlite", NullLogger.Instance).All();
        PendingBeforeStart = await _database.PendingMigrationsAsync(default);
        await _database.InitializeAsync(default);
        AppliedOnStart = PendingBeforeStart.Except(await _database.PendingMigrationsAsync(default)).ToArray();
        Disputes = new SqliteDisputeStore(_database);
        Directory = new SqliteDirectoryStore(_database);
    }

    public override Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _database?.Dispose();
        _database = null;
        // Pooled connections keep the file (and its -wal and -shm companions) open.
        SqliteConnection.ClearAllPools();
        if (System.IO.Directory.Exists(_folder))
        {
            System.IO.Directory.Delete(_folder, recursive: true);
        }
    }

    public override async Task<IReadOnlyList<Migration>> InitializeAgainAsync(CancellationToken ct)
    {
        var pending = await _database!.PendingMigrationsAsync(ct);
        await _database.InitializeAsync(ct);
        return pending.Except(await _database.PendingMigrationsAsync(ct)).ToArray();
    }

    public override Task<IReadOnlyList<Migration>> PendingMigrationsAsync(CancellationToken ct) => _database!.PendingMigrationsAsync(ct);

    public override async Task<DbConnection> OpenConnectionAsync(CancellationToken ct) => await _database!.OpenAsync(ct);

    public override bool IsDuplicateKey(Exception? error) =>
        error is SqliteException { SqliteExtendedErrorCode: ConstraintUnique or ConstraintPrimaryKey };
}
