namespace ResolutionGateway.Infrastructure.Tests.TestSupport;

/// <summary>Tests on the embedded store; they share one database file and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class SqliteCollection : ICollectionFixture<SqliteStoreFixture>
{
    public const string Name = "sqlite store";
}

/// <summary>Tests on MariaDB; they share one database and run one after another (in parallel with the SQLite ones).</summary>
[CollectionDefinition(Name)]
public sealed class MySqlCollection : ICollectionFixture<MySqlStoreFixture>
{
    public const string Name = "mysql store";
}
