using System.Data;
using MySqlConnector;
using ResolutionGateway.Core.Reporting;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Infrastructure.Persistence;

namespace ResolutionGateway.Infrastructure.MySql;

/// <summary>Reporting reads on MySQL/MariaDB.</summary>
public sealed class MySqlReportingStore(MySqlDataSource dataSource) : IReportingStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<MeasureRow>> SumRollupsAsync(RollupSelection selection, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        return await ReportingSql.SumRollupsAsync(c, selection, ct);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PositionedOutcome>> ReadOutcomesAsync(int partition, long afterPosition, OutcomeFilter filter, int limit, CancellationToken ct)
    {
        await using var c = await dataSource.OpenConnectionAsync(ct);
        // As for the feed (MySqlDisputeStore.ReadFeedAsync): the committed head first, then a fresh
        // READ COMMITTED snapshot that holds every row up to it; no locks taken.
        await using var tx = await c.BeginTransactionAsync(IsolationLevel.ReadCommitted, isReadOnly: true, ct);
        var rows = await ReportingSql.ReadOutcomesAsync(c, tx, partition, afterPosition, filter, limit, ct);
        await tx.CommitAsync(ct);
        return rows;
    }
}
