using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Dapper;

namespace ResolutionGateway.Infrastructure.Persistence;

/// <summary>
/// One database (the embedded SQLite file or a MySQL/MariaDB server) as the repositories see it:
/// reads on a connection of their own, writes in a transaction, and the dialect. Each database
/// decides how it survives trouble (MySQL retries transient failures and breaks the circuit when
/// the server is gone), so repositories never wrap their calls.
/// </summary>
public interface IDatabase
{
    /// <summary>The SQL spellings this database needs.</summary>
    SqlDialect Dialect { get; }

    /// <summary>
    /// Runs <paramref name="read"/> on a connection of its own, outside any explicit transaction.
    /// It may be run again from the start after a transient failure.
    /// </summary>
    Task<T> ReadAsync<T>(Func<DbConnection, CancellationToken, Task<T>> read, CancellationToken ct);

    /// <summary>
    /// Runs <paramref name="read"/> in a read-only transaction whose statements each see everything
    /// committed before they start (READ COMMITTED on MySQL, one snapshot on SQLite), and that
    /// never waits for writers: a reader of a head and then of the rows up to it sees them all.
    /// </summary>
    Task<T> ReadCommittedAsync<T>(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> read, CancellationToken ct);

    /// <summary>
    /// Runs <paramref name="work"/> in a write transaction and commits it, unless the work commits
    /// itself with <see cref="IWriteTransaction.CommitAsync"/>. An exception rolls back and goes on.
    /// The work may be run again from the start after a transient failure, so it must not have
    /// effects outside the transaction.
    /// </summary>
    Task<T> WriteAsync<T>(Func<IWriteTransaction, Task<T>> work, CancellationToken ct);

    /// <summary>
    /// Runs one statement that is atomic on its own (an upsert, a single UPDATE) as a write: on
    /// MySQL in autocommit, one round trip; on SQLite in the group commit. Returns the rows it changed.
    /// </summary>
    Task<int> ExecuteAsync(string sql, object? parameters, CancellationToken ct);

    /// <summary>True when <paramref name="error"/> is a violated primary or unique key.</summary>
    bool IsDuplicateKey(Exception error);
}

/// <summary>
/// A write transaction. Statements run in the order given; on MySQL the first one carries the
/// BEGIN and <see cref="CommitAsync"/> sends the rest with the COMMIT, so a read-decide-write change
/// costs two round trips.
/// </summary>
public interface IWriteTransaction
{
    /// <summary>The database's dialect.</summary>
    SqlDialect Dialect { get; }

    /// <summary>Rows of a query.</summary>
    Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null);

    /// <summary>Reads the several result sets of one command (e.g. a locking read and a lookup).</summary>
    Task<T> QueryMultipleAsync<T>(string sql, object? parameters, Func<SqlMapper.GridReader, Task<T>> read);

    /// <summary>Runs a statement; returns the rows it changed.</summary>
    Task<int> ExecuteAsync(string sql, object? parameters = null);

    /// <summary>
    /// Runs the statements of <paramref name="batch"/> in order and commits: MySQL joins them into
    /// one command ending in COMMIT; SQLite runs them one by one inside its group commit. Nothing
    /// may run in this transaction afterwards.
    /// </summary>
    Task CommitAsync(SqlBatch batch);
}

/// <summary>
/// An ordered list of statements, each with its own parameters (an anonymous object, or a
/// dictionary of names and values), planned once for both databases. Parameter names only need
/// to be unique within a statement: <see cref="Joined"/> renames them per statement.
/// </summary>
public sealed partial class SqlBatch
{
    private readonly List<(string Sql, object? Parameters)> _statements = [];

    /// <summary>The statements in order.</summary>
    public IReadOnlyList<(string Sql, object? Parameters)> Statements => _statements;

    /// <summary>Adds a statement.</summary>
    public SqlBatch Add(string sql, object? parameters = null)
    {
        _statements.Add((sql, parameters));
        return this;
    }

    /// <summary>Adds the statements of <paramref name="other"/>, in order.</summary>
    public SqlBatch Append(SqlBatch other)
    {
        _statements.AddRange(other._statements);
        return this;
    }

    /// <summary>
    /// The statements as one multi-statement text with one parameter set: statement i's @Name
    /// becomes @s{i}_Name. <paramref name="prefix"/> and <paramref name="suffix"/> (e.g. BEGIN and
    /// COMMIT) are added around them as they are.
    /// </summary>
    public (string Sql, DynamicParameters Parameters) Joined(string prefix, string suffix)
    {
        var sql = new StringBuilder(prefix);
        var all = new DynamicParameters();
        for (var i = 0; i < _statements.Count; i++)
        {
            var (text, parameters) = _statements[i];
            var tag = "@s" + i.ToString(CultureInfo.InvariantCulture) + "_";
            sql.Append(ParameterName().Replace(text, m => tag + m.Groups[1].Value)).Append(";\n");
            foreach (var (name, value) in Values(parameters))
            {
                all.Add(tag[1..] + name, value);
            }
        }
        sql.Append(suffix);
        return (sql.ToString(), all);
    }

    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Properties = new();

    private static IEnumerable<(string Name, object? Value)> Values(object? parameters)
    {
        switch (parameters)
        {
            case null:
                yield break;
            case IEnumerable<KeyValuePair<string, object?>> named:
                foreach (var (name, value) in named)
                {
                    yield return (name, value);
                }
                break;
            default:
                foreach (var p in Properties.GetOrAdd(parameters.GetType(), t => t.GetProperties()))
                {
                    yield return (p.Name, p.GetValue(parameters));
                }
                break;
        }
    }

    // @Name outside of MySQL's @@variables (none of the service's SQL uses those, or quotes an @).
    [GeneratedRegex(@"(?<!@)@([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex ParameterName();
}
