using System.Data.Common;
using System.Diagnostics;
using ResolutionGateway.Infrastructure.Persistence;

namespace ResolutionGateway.Infrastructure.Telemetry;

/// <summary>
/// Each store operation as one span around the database's own execution, so the retries inside it
/// (recorded as span events by the MySQL pipeline) and MySqlConnector's per-command spans hang
/// under it. Spans name the kind of operation only, never the values it carries.
/// </summary>
public sealed class TracedDatabase(IDatabase inner) : IDatabase
{
    /// <inheritdoc />
    public SqlDialect Dialect => inner.Dialect;

    /// <inheritdoc />
    public async Task<T> ReadAsync<T>(Func<DbConnection, CancellationToken, Task<T>> read, CancellationToken ct)
    {
        using var activity = Start("store read");
        return await Traced(inner.ReadAsync(read, ct), activity);
    }

    /// <inheritdoc />
    public async Task<T> ReadCommittedAsync<T>(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> read, CancellationToken ct)
    {
        using var activity = Start("store read");
        return await Traced(inner.ReadCommittedAsync(read, ct), activity);
    }

    /// <inheritdoc />
    public async Task<T> WriteAsync<T>(Func<IWriteTransaction, Task<T>> work, CancellationToken ct)
    {
        using var activity = Start("store write");
        return await Traced(inner.WriteAsync(work, ct), activity);
    }

    /// <inheritdoc />
    public async Task<int> ExecuteAsync(string sql, object? parameters, CancellationToken ct)
    {
        using var activity = Start("store write");
        return await Traced(inner.ExecuteAsync(sql, parameters, ct), activity);
    }

    /// <inheritdoc />
    public bool IsDuplicateKey(Exception error) => inner.IsDuplicateKey(error);

    private static Activity? Start(string name) => GatewayMetrics.Source.StartActivity(name, ActivityKind.Internal);

    private static async Task<T> Traced<T>(Task<T> operation, Activity? activity)
    {
        try
        {
            return await operation;
        }
        catch (Exception e) when (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
    }
}
