using System.Data.Common;
using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using MySqlConnector;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Infrastructure.MySql;
using ResolutionGateway.Infrastructure.Events;
using ResolutionGateway.Infrastructure.Persistence;
using ResolutionGateway.Infrastructure.Privacy;
using ResolutionGateway.Infrastructure.Repositories;

namespace ResolutionGateway.Infrastructure.Tests.TestSupport;

/// <summary>
/// The MySQL store on a database of its own (rg_store_random) on the server RG_MYSQL names, created
/// and migrated at the start and dropped at the end. Without RG_MYSQL the fixture fails: a missing
/// MariaDB must fail the run, never skip the tests.
/// </summary>
public sealed class MySqlStoreFixture : StoreFixture
{
    public const string MissingServerMessage = "RG_MYSQL is not set: run tools/test.sh, which starts MariaDB";

    private readonly List<string> _databases = [];

    /// <summary>The server, without a database.</summary>
    public string ServerConnectionString { get; private set; } = "";

    /// <summary>The fixture's database.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>The pool the stores use, made as production makes it.</summary>
    public MySqlDataSource DataSource { get; private set; } = null!;

    public MySqlDatabase Database { get; private set; } = null!;

    public override SqlDialect Dialect => SqlDialect.MySql;

    public static MySqlDatabase NewDatabase(MySqlDataSource source) =>
        new(source, NullLogger<MySqlDatabase>.Instance, TimeProvider.System);

    public override async Task InitializeAsync()
    {
        var server = Environment.GetEnvironmentVariable("RG_MYSQL");
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new InvalidOperationException(MissingServerMessage);
        }
        ServerConnectionString = new MySqlConnectionStringBuilder(server) { Database = "" }.ConnectionString;
        ConnectionString = await CreateDatabaseAsync();
        DataSource = new MySqlOptions { ConnectionString = ConnectionString }.CreateDataSource();
        Database = NewDatabase(DataSource);
        AllMigrations = new Migrator("MySql", NullLogger.Instance).All();
        PendingBeforeStart = await Database.PendingMigrationsAsync(default);
        AppliedOnStart = await Database.InitializeAsync(default);
        Disputes = new DisputeRepository(Database, TestKeys.For(Database));
        Directory = new DirectoryRepository(Database);
        Webhooks = new WebhookRepository(Database, new WebhookSecretSealer(TestKeys.Sealer.Ring));
        Policies = new PolicyRepository(Database);
        Reporting = new ReportingRepository(Database);
        Sequencer = new FeedSequencer(Database, new InProcessEventHub(), TestKeys.Sealer);
    }

    /// <summary>Creates another empty database (dropped with the fixture's); returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "rg_store_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        await using (var c = new MySqlConnection(ServerConnectionString))
        {
            await c.OpenAsync();
            // A case-insensitive default, as tools/servers gives the real database: the tables must
            // bring their own byte-wise collation for ids to be exact, and the tests check that they do.
            await c.ExecuteAsync($"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        }
        lock (_databases)
        {
            _databases.Add(name);
        }
        return new MySqlConnectionStringBuilder(ServerConnectionString) { Database = name }.ConnectionString;
    }

    public override async Task DisposeAsync()
    {
        if (DataSource is not null)
        {
            await DataSource.DisposeAsync();
        }
        if (_databases.Count == 0)
        {
            return;
        }
        await using var c = new MySqlConnection(ServerConnectionString);
        await c.OpenAsync();
        foreach (var name in _databases)
        {
            await c.ExecuteAsync($"DROP DATABASE IF EXISTS `{name}`");
        }
    }

    public override Task<IReadOnlyList<Migration>> InitializeAgainAsync(CancellationToken ct) => Database.InitializeAsync(ct);

    public override Task<IReadOnlyList<Migration>> PendingMigrationsAsync(CancellationToken ct) => Database.PendingMigrationsAsync(ct);

    public override async Task<DbConnection> OpenConnectionAsync(CancellationToken ct) => await DataSource.OpenConnectionAsync(ct);

    public override async Task<ScratchDatabase> CreateDatabaseAtVersionAsync(int version, CancellationToken ct)
    {
        var source = new MySqlOptions { ConnectionString = await CreateDatabaseAsync() }.CreateDataSource();
        await using (var c = await source.OpenConnectionAsync(ct))
        {
            await Scratch.ApplyAsync(c, version, ct);
        }
        return new Scratch(source);
    }

    private sealed class Scratch(MySqlDataSource source) : ScratchDatabase
    {
        public override IDisputeStore Disputes { get; } = new DisputeRepository(NewDatabase(source), TestKeys.For(NewDatabase(source)));

        public override IReportingStore Reporting { get; } = new ReportingRepository(NewDatabase(source));

        public override FeedSequencer Sequencer { get; } = new(NewDatabase(source), new InProcessEventHub(), TestKeys.Sealer);

        public static Task ApplyAsync(DbConnection c, int version, CancellationToken ct) => ApplyUpToAsync(c, "MySql", version, ct);

        public override async Task<DbConnection> OpenConnectionAsync(CancellationToken ct) => await source.OpenConnectionAsync(ct);

        public override Task<IReadOnlyList<Migration>> MigrateAsync(CancellationToken ct) => NewDatabase(source).InitializeAsync(ct);

        public override ValueTask DisposeAsync() => source.DisposeAsync();
    }

    public override bool IsDuplicateKey(Exception? error) => error is MySqlException { ErrorCode: MySqlErrorCode.DuplicateKeyEntry };
}
