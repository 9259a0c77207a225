using System.Data.Common;
using System.Reflection;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.Logging;

namespace ResolutionGateway.Infrastructure.Persistence;

/// <summary>One numbered migration script, embedded in this assembly.</summary>
public sealed record Migration(int Version, string Name, string Sql);

/// <summary>
/// Applies numbered, append-only SQL migrations (Migrations/&lt;Dialect&gt;/NNNN_name.sql, embedded)
/// that the database has not seen, each in its own transaction, recorded in schema_migrations.
/// A shipped migration is never edited; a change is a new file.
/// </summary>
public sealed partial class Migrator(string dialect, ILogger logger)
{
    private const string CreateHistorySql = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER      NOT NULL PRIMARY KEY,
            name       VARCHAR(200) NOT NULL,
            applied_at BIGINT       NOT NULL
        )
        """;

    private const string AppliedSql = "SELECT version FROM schema_migrations";

    private const string RecordSql = "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @AppliedAt)";

    /// <summary>All migrations of the dialect, in order.</summary>
    public IReadOnlyList<Migration> All()
    {
        var assembly = typeof(Migrator).Assembly;
        var prefix = $"Migrations/{dialect}/";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => Load(assembly, n, n[prefix.Length..^4]))
            .OrderBy(m => m.Version)
            .ToArray();
    }

    /// <summary>Migrations not yet applied (the dry run).</summary>
    public async Task<IReadOnlyList<Migration>> PendingAsync(DbConnection connection, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition(CreateHistorySql, cancellationToken: ct));
        var applied = (await connection.QueryAsync<long>(new CommandDefinition(AppliedSql, cancellationToken: ct))).ToHashSet();
        return All().Where(m => !applied.Contains(m.Version)).ToArray();
    }

    /// <summary>Applies the pending migrations; returns them.</summary>
    public async Task<IReadOnlyList<Migration>> ApplyAsync(DbConnection connection, TimeProvider time, CancellationToken ct)
    {
        var pending = await PendingAsync(connection, ct);
        for (var i = 0; i < pending.Count; i++)
        {
            var m = pending[i];
            await using var tx = await connection.BeginTransactionAsync(ct);
            await connection.ExecuteAsync(new CommandDefinition(m.Sql, transaction: tx, cancellationToken: ct));
            if (i == pending.Count - 1)
            {
                await RunDataStepsAsync(pending, connection, tx, ct);
            }
            await connection.ExecuteAsync(new CommandDefinition(RecordSql,
                new { m.Version, m.Name, AppliedAt = time.GetUtcNow().ToUnixTimeMilliseconds() }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
            logger.LogInformation("Applied {Dialect} migration {Version} {Name}", dialect, m.Version, m.Name);
        }
        return pending;
    }

    // Data steps written in code, owed by some of the migrations of this run. They run once every
    // script has, in the last one's transaction, because they are today's code: they write every
    // column the schema has now (e.g. a reporting measure added by a later migration), which would
    // not exist yet right after their own script.
    private async Task RunDataStepsAsync(IReadOnlyList<Migration> applied, DbConnection connection, DbTransaction tx, CancellationToken ct)
    {
        if (applied.Any(m => m.Version == 3))
        {
            var dialectKind = dialect == SqlDialect.MySql.MigrationFolder() ? SqlDialect.MySql : SqlDialect.Sqlite;
            var n = await ReportingBackfill.RunAsync(connection, tx, dialectKind, ct);
            logger.LogInformation("Reporting backfill: {Count} stored disputes rolled up", n);
        }
        if (applied.Any(m => m.Version == 11))
        {
            var n = await DeadlineBackfill.RunAsync(connection, tx, ct);
            logger.LogInformation("Deadline backfill: {Count} open disputes", n);
        }
        if (applied.Any(m => m.Version == 13))
        {
            var dialectKind = dialect == SqlDialect.MySql.MigrationFolder() ? SqlDialect.MySql : SqlDialect.Sqlite;
            var n = await CaseStatsBackfill.RunAsync(connection, tx, dialectKind, rollUp: applied.All(m => m.Version != 3), ct);
            logger.LogInformation("Case and settlement statistics backfill: {Count} escalated or closed disputes", n);
        }
        if (applied.Any(m => m.Version == 16))
        {
            // After the reporting backfill above: it is rebuilt from the report rollups.
            var n = await RankingSql.RebuildAsync(connection, tx, ct);
            logger.LogInformation("Ranking rollup rebuilt: {Count} rows", n);
        }
    }

    private static Migration Load(Assembly assembly, string resource, string fileName)
    {
        var match = FileNamePattern().Match(fileName);
        if (!match.Success)
        {
            throw new InvalidOperationException($"migration {fileName} is not named NNNN_name.sql");
        }
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return new Migration(int.Parse(match.Groups[1].Value), match.Groups[2].Value, reader.ReadToEnd());
    }

    [GeneratedRegex("^([0-9]{4})_([a-z0-9_]+)$")]
    private static partial Regex FileNamePattern();
}
