using Dapper;
using MySqlConnector;
using ResolutionGateway.Tools.ReportBench.Cli;

namespace ResolutionGateway.Tools.ReportBench.Data;

/// <summary>
/// The benchmark's own database. Only a database whose name contains "bench" is ever dropped or
/// written, so a connection string pointing at the test or production database is refused.
/// </summary>
internal sealed class BenchDatabase
{
    private BenchDatabase(string connectionString, string name)
    {
        ConnectionString = connectionString;
        Name = name;
    }

    /// <summary>The connection string, with the database.</summary>
    public string ConnectionString { get; }

    /// <summary>The database name.</summary>
    public string Name { get; }

    public static BenchDatabase From(string connectionString)
    {
        MySqlConnectionStringBuilder builder;
        try
        {
            builder = new MySqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--mysql is not a valid connection string: {e.Message}");
        }
        var name = builder.Database;
        if (string.IsNullOrEmpty(name) || !name.Contains("bench", StringComparison.OrdinalIgnoreCase))
        {
            throw new UsageException(
                $"refusing database '{name}': reportbench only uses a database whose name contains \"bench\" (e.g. Database=rg_reportbench)");
        }
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new UsageException($"database name '{name}' must be letters, digits and '_'");
        }
        // The load sends statements of a few MB; reads of a million rows may take a while.
        builder.DefaultCommandTimeout = 600;
        return new BenchDatabase(builder.ConnectionString, name);
    }

    /// <summary>Drops and recreates the database (only ever this one: the name was checked).</summary>
    public async Task RecreateAsync(CancellationToken ct)
    {
        var server = new MySqlConnectionStringBuilder(ConnectionString) { Database = "" };
        await using var c = new MySqlConnection(server.ConnectionString);
        await c.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition($"DROP DATABASE IF EXISTS `{Name}`", cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition(
            $"CREATE DATABASE `{Name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", cancellationToken: ct));
    }

    /// <summary>An open connection to the database.</summary>
    public async Task<MySqlConnection> OpenAsync(CancellationToken ct)
    {
        var c = new MySqlConnection(ConnectionString);
        await c.OpenAsync(ct);
        return c;
    }

    /// <summary>An open connection tuned for bulk loading (session settings only; no server settings change).</summary>
    public async Task<MySqlConnection> OpenLoaderAsync(CancellationToken ct)
    {
        var c = await OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("SET SESSION unique_checks = 0, foreign_key_checks = 0", cancellationToken: ct));
        return c;
    }
}
