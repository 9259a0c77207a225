using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Infrastructure.Persistence;

namespace ResolutionGateway.Infrastructure.Tests.TestSupport;

/// <summary>
/// A database of a test's own on the fixture's backend, left at an older schema version (see
/// <see cref="StoreFixture.CreateDatabaseAtVersionAsync"/>), to check what a later migration does
/// to rows written before it.
/// </summary>
public abstract class ScratchDatabase : IAsyncDisposable
{
    /// <summary>The dispute store on this database (usable once it is migrated to the current schema).</summary>
    public abstract IDisputeStore Disputes { get; }

    /// <summary>Reporting reads on this database (usable once it is migrated to the current schema).</summary>
    public abstract IReportingStore Reporting { get; }

    /// <summary>The feed sequencer over the scratch database.</summary>
    public abstract FeedSequencer Sequencer { get; }

    /// <summary>A connection of its own, for SQL the tests run around the store.</summary>
    public abstract Task<DbConnection> OpenConnectionAsync(CancellationToken ct);

    /// <summary>The backend's start-up initialisation: applies the pending migrations, returns them.</summary>
    public abstract Task<IReadOnlyList<Migration>> MigrateAsync(CancellationToken ct);

    public abstract ValueTask DisposeAsync();

    /// <summary>Applies the dialect's migrations up to <paramref name="version"/> the way the migrator records them.</summary>
    protected static async Task ApplyUpToAsync(DbConnection c, string dialect, int version, CancellationToken ct)
    {
        var migrator = new Migrator(dialect, NullLogger.Instance);
        await migrator.PendingAsync(c, ct); // creates schema_migrations
        foreach (var m in migrator.All().Where(m => m.Version <= version))
        {
            await using var tx = await c.BeginTransactionAsync(ct);
            await c.ExecuteAsync(new CommandDefinition(m.Sql, transaction: tx, cancellationToken: ct));
            await c.ExecuteAsync(new CommandDefinition("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, 0)",
                new { m.Version, m.Name }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
        }
    }
}
