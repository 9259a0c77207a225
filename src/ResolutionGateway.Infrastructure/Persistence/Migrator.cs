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

    // The data steps written in code that applied migrations still owe (RunDataStepsAsync). A
    // migration's row here commits with its schema_migrations row and is deleted by the
    // transaction of its data step, so a node stopped between the two (MySQL's DDL commits on its
    // own; a backfill at 1 M disputes takes minutes) runs the step at its next start instead of
    // never: the script is recorded, the step is owed.
    private const string CreateOwedSql = """
        CREATE TABLE IF NOT EXISTS schema_data_steps (
            version INTEGER NOT NULL PRIMARY KEY,
            owed_at BIGINT  NOT NULL
        )
        """;

    private const string OweSql = "INSERT INTO schema_data_steps (version, owed_at) VALUES (@Version, @OwedAt)";

    private const string OwedSql = "SELECT version FROM schema_data_steps";

    private const string PaidSql = "DELETE FROM schema_data_steps";

    /// <summary>The migrations that owe a data step written in code (see RunDataStepsAsync).</summary>
    public static readonly IReadOnlySet<int> DataStepVersions = new HashSet<int> { 3, 11, 13, 16 };

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

    /// <summary>
    /// Applies the pending migrations, then the data steps owed (by them, or by migrations applied
    /// before a node stopped short of their step); returns the migrations applied.
    /// </summary>
    public async Task<IReadOnlyList<Migration>> ApplyAsync(DbConnection connection, TimeProvider time, CancellationToken ct)
    {
        var pending = await PendingAsync(connection, ct);
        await connection.ExecuteAsync(new CommandDefinition(CreateOwedSql, cancellationToken: ct));
        foreach (var m in pending)
        {
            var at = time.GetUtcNow().ToUnixTimeMilliseconds();
            await using var tx = await connection.BeginTransactionAsync(ct);
            await connection.ExecuteAsync(new CommandDefinition(m.Sql, transaction: tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(RecordSql, new { m.Version, m.Name, AppliedAt = at }, tx, cancellationToken: ct));
            if (DataStepVersions.Contains(m.Version))
            {
                await connection.ExecuteAsync(new CommandDefinition(OweSql, new { m.Version, OwedAt = at }, tx, cancellationToken: ct));
            }
            await tx.CommitAsync(ct);
            logger.LogInformation("Applied {Dialect} migration {Version} {Name}", dialect, m.Version, m.Name);
        }
        var owed = (await connection.QueryAsync<long>(new CommandDefinition(OwedSql, cancellationToken: ct))).Select(v => (int)v).ToHashSet();
        if (owed.Count > 0)
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            await RunDataStepsAsync(owed, connection, tx, ct);
            await connection.ExecuteAsync(new CommandDefinition(PaidSql, transaction: tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
        }
        return pending;
    }

    // Data steps written in code, owed by some of the migrations applied (schema_data_steps). They
    // run once every script has, in one transaction of their own, because they are today's code:
    // they write every column the schema has now (e.g. a reporting measure added by a later
    // migration), which would not exist yet right after their own script.
    private async Task RunDataStepsAsync(HashSet<int> owed, DbConnection connection, DbTransaction tx, CancellationToken ct)
    {
        if (owed.Contains(3))
        {
            var dialectKind = dialect == SqlDialect.MySql.MigrationFolder() ? SqlDialect.MySql : SqlDialect.Sqlite;
            var n = await ReportingBackfill.RunAsync(connection, tx, dialectKind, ct);
            logger.LogInformation("Reporting backfill: {Count} stored disputes rolled up", n);
        }
        if (owed.Contains(11))
        {
            var n = await DeadlineBackfill.RunAsync(connection, tx, ct);
            logger.LogInformation("Deadline backfill: {Count} open disputes", n);
        }
        if (owed.Contains(13))
        {
            var dialectKind = dialect == SqlDialect.MySql.MigrationFolder() ? SqlDialect.MySql : SqlDialect.Sqlite;
            var n = await CaseStatsBackfill.RunAsync(connection, tx, dialectKind, rollUp: !owed.Contains(3), ct);
            logger.LogInformation("Case and settlement statistics backfill: {Count} escalated or closed disputes", n);
        }
        if (owed.Contains(16))
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
