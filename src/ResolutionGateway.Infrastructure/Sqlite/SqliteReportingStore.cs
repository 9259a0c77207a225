using ResolutionGateway.Core.Reporting;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Infrastructure.Persistence;

namespace ResolutionGateway.Infrastructure.Sqlite;

/// <summary>Reporting reads on the embedded store.</summary>
public sealed class SqliteReportingStore(SqliteDatabase db) : IReportingStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<MeasureRow>> SumRollupsAsync(RollupSelection selection, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await ReportingSql.SumRollupsAsync(c, selection, ct);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PositionedOutcome>> ReadOutcomesAsync(int partition, long afterPosition, OutcomeFilter filter, int limit, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        // One deferred read transaction: head and rows from one snapshot (writers are serialised).
        await using var tx = c.BeginTransaction(deferred: true);
        return await ReportingSql.ReadOutcomesAsync(c, tx, partition, afterPosition, filter, limit, ct);
    }
}
