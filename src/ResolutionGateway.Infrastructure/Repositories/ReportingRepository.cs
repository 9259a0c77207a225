using ResolutionGateway.Core.Reporting;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Infrastructure.Persistence;

namespace ResolutionGateway.Infrastructure.Repositories;

/// <summary>
/// Reporting reads, on either database. The rollups and outcome records they read are written by
/// each change's own transaction (<see cref="ChangeWriter"/>); the SQL is in <see cref="ReportingSql"/>.
/// </summary>
public sealed class ReportingRepository(IDatabase db) : IReportingStore
{
    /// <inheritdoc />
    public Task<IReadOnlyList<MeasureRow>> SumRollupsAsync(RollupSelection selection, CancellationToken ct) =>
        db.ReadAsync((c, t) => ReportingSql.SumRollupsAsync(c, selection, t), ct);

    /// <inheritdoc />
    public Task<IReadOnlyList<MeasureRow>> SumRankingRollupsAsync(RankingSelection selection, CancellationToken ct) =>
        db.ReadAsync((c, t) => RankingSql.SumAsync(c, selection, t), ct);

    /// <inheritdoc />
    public Task<IReadOnlyList<PositionedOutcome>> ReadOutcomesAsync(int partition, long afterPosition, OutcomeFilter filter, int limit, CancellationToken ct) =>
        // As for the feed (DisputeRepository.ReadFeedAsync): the committed head first, then a
        // snapshot that holds every row up to it; no locks taken.
        db.ReadCommittedAsync((c, tx, t) => ReportingSql.ReadOutcomesAsync(c, tx, partition, afterPosition, filter, limit, t), ct);
}
