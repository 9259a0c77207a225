using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Infrastructure.Events;
using ResolutionGateway.Infrastructure.Persistence;
using ResolutionGateway.Infrastructure.Privacy;
using ResolutionGateway.Infrastructure.Repositories;
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

    /// <summary>The fixture's database.</summary>
    public SqliteDatabase Database => _database ?? throw new InvalidOperationException("not initialised");

    public override SqlDialect Dialect => SqlDialect.Sqlite;

    public override async Task InitializeAsync()
    {
        // The production default (FULL: fsync on every commit), so the tests see the real write path.
        _database = new SqliteDatabase(new SqliteOptions { Path = Path.Combine(_folder, "resolution.db") },
            NullLogger<SqliteDatabase>.Instance, TimeProvider.System);
        AllMigrations = new Migrator("Sqlite", NullLogger.Instance).All();
        PendingBeforeStart = await _database.PendingMigrationsAsync(default);
        await _database.InitializeAsync(default);
        AppliedOnStart = PendingBeforeStart.Except(await _database.PendingMigrationsAsync(default)).ToArray();
        Disputes = new DisputeRepository(_database, TestKeys.For(_database));
        Directory = new DirectoryRepository(_database);
        Webhooks = new WebhookRepository(_database, new WebhookSecretSealer(TestKeys.Sealer.Ring));
        Policies = new PolicyRepository(_database);
        Reporting = new ReportingRepository(_database);
        Sequencer = new FeedSequencer(_database, new InProcessEventHub(), TestKeys.Sealer);
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

    public override async Task<ScratchDatabase> CreateDatabaseAtVersionAsync(int version, CancellationToken ct)
    {
        // Inside the fixture's folder, so it goes with it.
        var database = new SqliteDatabase(new SqliteOptions { Path = Path.Combine(_folder, "scratch-" + Guid.NewGuid().ToString("N"), "resolution.db") },
            NullLogger<SqliteDatabase>.Instance, TimeProvider.System);
        await database.PendingMigrationsAsync(ct); // creates the folder and the file
        await using (var c = await database.OpenAsync(ct))
        {
            await Scratch.ApplyAsync(c, version, ct);
        }
        return new Scratch(database);
    }

    private sealed class Scratch(SqliteDatabase database) : ScratchDatabase
    {
        public override IDisputeStore Disputes { get; } = new DisputeRepository(database, TestKeys.For(database));

        public override IReportingStore Reporting { get; } = new ReportingRepository(database);

        public override FeedSequencer Sequencer { get; } = new(database, new InProcessEventHub(), TestKeys.Sealer);

        public static Task ApplyAsync(DbConnection c, int version, CancellationToken ct) => ApplyUpToAsync(c, "Sqlite", version, ct);

        public override async Task<DbConnection> OpenConnectionAsync(CancellationToken ct) => await database.OpenAsync(ct);

        public override async Task<IReadOnlyList<Migration>> MigrateAsync(CancellationToken ct)
        {
            var pending = await database.PendingMigrationsAsync(ct);
            await database.InitializeAsync(ct);
            return pending.Except(await database.PendingMigrationsAsync(ct)).ToArray();
        }

        public override ValueTask DisposeAsync()
        {
            database.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    public override bool IsDuplicateKey(Exception? error) =>
        error is SqliteException { SqliteExtendedErrorCode: ConstraintUnique or ConstraintPrimaryKey };
}
