using MySqlConnector;

namespace ResolutionGateway.Infrastructure.MySql;

/// <summary>Options of the MySQL/MariaDB store.</summary>
public sealed class MySqlOptions
{
    /// <summary>
    /// A MySqlConnector connection string, e.g.
    /// "Server=127.0.0.1;Port=3306;User ID=rg;Password=...;Database=resolution". The database must exist;
    /// its tables are created by <see cref="MySqlDatabase.InitializeAsync"/>.
    /// </summary>
    public required string ConnectionString { get; init; }

    /// <summary>
    /// The connection pool every store shares (register it as a singleton: the container disposes it).
    /// Pass the connection string through <see cref="WithDefaults"/> first, as the gateway does.
    /// </summary>
    public MySqlDataSource CreateDataSource() => new MySqlDataSourceBuilder(ConnectionString).Build();

    /// <summary>The connection string as the gateway uses it: the given one, with the service's defaults for what it does not set.</summary>
    public static string WithDefaults(string raw)
    {
        // A dead server must be noticed in seconds, not MySqlConnector's default 15 s connect timeout.
        // Pooled sessions are not reset when taken from the pool (ConnectionReset=false): the reset is a
        // round trip of its own on every store operation, a third of the gateway's CPU on GetDispute
        // (measured with tools/loadgen), and no operation leaves session state behind: every
        // transaction ends in COMMIT or ROLLBACK (MySqlTransaction's disposal for reads, MySqlDatabase's
        // write transaction for the ones written in SQL), no user variables or temporary tables are
        // used, and the migration lock is released explicitly. Either setting can still be given in
        // the connection string.
        var builder = new MySqlConnectionStringBuilder(raw);
        if (!raw.Contains("Timeout", StringComparison.OrdinalIgnoreCase))
        {
            builder.ConnectionTimeout = 3;
        }
        if (!raw.Contains("Reset", StringComparison.OrdinalIgnoreCase))
        {
            builder.ConnectionReset = false;
        }
        return builder.ConnectionString;
    }
}
