using System.Data.Common;
using Dapper;

namespace ResolutionGateway.Infrastructure.Persistence;

/// <summary>
/// What both databases' write transactions share: reads and statements through Dapper on the
/// transaction's connection. Each database says how a command is made (MySQL sends BEGIN with the
/// first one; SQLite binds the group commit's transaction) and how a planned batch commits.
/// </summary>
internal abstract class WriteTransaction(DbConnection connection) : IWriteTransaction
{
    /// <inheritdoc />
    public abstract SqlDialect Dialect { get; }

    /// <inheritdoc />
    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters = null) =>
        (await connection.QueryAsync<T>(Command(sql, parameters))).AsList();

    /// <inheritdoc />
    public async Task<T> QueryMultipleAsync<T>(string sql, object? parameters, Func<SqlMapper.GridReader, Task<T>> read)
    {
        await using var results = await connection.QueryMultipleAsync(Command(sql, parameters));
        return await read(results);
    }

    /// <inheritdoc />
    public Task<int> ExecuteAsync(string sql, object? parameters = null) => connection.ExecuteAsync(Command(sql, parameters));

    /// <inheritdoc />
    public abstract Task CommitAsync(SqlBatch batch);

    /// <summary>The command that runs <paramref name="sql"/> in this transaction.</summary>
    protected abstract CommandDefinition Command(string sql, object? parameters);
}
