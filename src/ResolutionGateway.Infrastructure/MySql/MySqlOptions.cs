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
    /// The stores need no special connection-string settings: multi-statement commands are on by
    /// default and no SQL uses user variables.
    /// </summary>
    public MySqlDataSource CreateDataSource() => new MySqlDataSourceBuilder(ConnectionString).Build();
}
