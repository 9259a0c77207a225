namespace ResolutionGateway.Infrastructure.Persistence;

/// <summary>The SQL dialects the repositories speak.</summary>
public enum SqlDialect
{
    /// <summary>The embedded store.</summary>
    Sqlite,
    /// <summary>MySQL / MariaDB.</summary>
    MySql,
}

/// <summary>
/// The few spellings that differ between the two databases. Everything else in the repositories is
/// one SQL text for both.
/// </summary>
public static class SqlDialects
{
    /// <summary>
    /// Appended to a SELECT that must lock the rows it reads until the transaction ends. SQLite has
    /// one writer at a time, so its write transaction already excludes every other writer.
    /// </summary>
    public static string ForUpdate(this SqlDialect d) => d == SqlDialect.MySql ? " FOR UPDATE" : "";

    /// <summary>
    /// Appended to a SELECT that claims rows without waiting: rows another transaction holds are
    /// skipped (MySQL). SQLite's single writer makes every row it reads its own.
    /// </summary>
    public static string ForUpdateSkipLocked(this SqlDialect d) => d == SqlDialect.MySql ? " FOR UPDATE SKIP LOCKED" : "";

    /// <summary>
    /// The clause that turns an INSERT into an upsert on the key <paramref name="keyColumns"/>,
    /// followed by the assignments. MySQL takes the key from the table's unique indexes; SQLite
    /// needs it named. Assignments may use parameters, which both spell the same.
    /// </summary>
    public static string OnConflictUpdate(this SqlDialect d, string keyColumns) => d == SqlDialect.MySql
        ? " ON DUPLICATE KEY UPDATE "
        : $" ON CONFLICT ({keyColumns}) DO UPDATE SET ";

    /// <summary>The value the failed INSERT proposed for <paramref name="column"/>, inside the upsert's assignments.</summary>
    public static string Proposed(this SqlDialect d, string column) => d == SqlDialect.MySql ? $"VALUES({column})" : $"excluded.{column}";

    /// <summary>The folder of the dialect's migrations (Migrations/&lt;name&gt;/).</summary>
    public static string MigrationFolder(this SqlDialect d) => d == SqlDialect.MySql ? "MySql" : "Sqlite";
}
