using System.Data.Common;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Infrastructure.Persistence;

namespace ResolutionGateway.Infrastructure.Tests.TestSupport;

/// <summary>
/// One backend's stores over a fresh, migrated database of their own, shared by the contract tests
/// of a collection (which run one after another) and thrown away at the end.
/// </summary>
public abstract class StoreFixture : IAsyncLifetime
{
    public IDisputeStore Disputes { get; protected set; } = null!;

    public IDirectoryStore Directory { get; protected set; } = null!;

    /// <summary>Webhook endpoints and the delivery queue (the outbox the dispute store fills).</summary>
    public IWebhookStore Webhooks { get; protected set; } = null!;

    /// <summary>Region policies and working calendars set through the API.</summary>
    public IPolicyStore Policies { get; protected set; } = null!;

    /// <summary>Reporting reads (rollups, exported outcomes).</summary>
    public IReportingStore Reporting { get; protected set; } = null!;

    /// <summary>The feed sequencer over the same database: tests run its passes themselves.</summary>
    public FeedSequencer Sequencer { get; protected set; } = null!;

    /// <summary>The backend's SQL dialect (for the raw GROUP BY baseline the reporting tests compare with).</summary>
    public abstract SqlDialect Dialect { get; }

    /// <summary>Every migration of the backend's dialect, in order.</summary>
    public IReadOnlyList<Migration> AllMigrations { get; protected set; } = [];

    /// <summary>What the dry run listed on the empty database, before the first migration.</summary>
    public IReadOnlyList<Migration> PendingBeforeStart { get; protected set; } = [];

    /// <summary>What the first initialisation applied.</summary>
    public IReadOnlyList<Migration> AppliedOnStart { get; protected set; } = [];

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();

    /// <summary>Runs the backend's start-up initialisation (migrations) again; returns what it applied.</summary>
    public abstract Task<IReadOnlyList<Migration>> InitializeAgainAsync(CancellationToken ct);

    /// <summary>The backend's migration dry run.</summary>
    public abstract Task<IReadOnlyList<Migration>> PendingMigrationsAsync(CancellationToken ct);

    /// <summary>A connection of its own to the same database, for SQL the tests run around the stores.</summary>
    public abstract Task<DbConnection> OpenConnectionAsync(CancellationToken ct);

    /// <summary>A new database of the backend with only the migrations up to <paramref name="version"/> applied.</summary>
    public abstract Task<ScratchDatabase> CreateDatabaseAtVersionAsync(int version, CancellationToken ct);

    /// <summary>True when <paramref name="error"/> is the backend's unique or primary key violation.</summary>
    public abstract bool IsDuplicateKey(Exception? error);
}
