using ResolutionGateway.Core.Reporting;

namespace ResolutionGateway.Core.Storage;

/// <summary>
/// Reporting reads. The rollups and outcome records are written by the dispute store in the same
/// transaction as each change (see <see cref="Rollups"/> and <see cref="OutcomeRecord.For"/>).
/// </summary>
public interface IReportingStore
{
    /// <summary>Sums the selected rollup rows, grouped as the query asks.</summary>
    Task<IReadOnlyList<MeasureRow>> SumRollupsAsync(RollupSelection selection, CancellationToken ct);

    /// <summary>
    /// Sums the selected ranking rollup rows (<see cref="RankingRollups"/>) by merchant: one row per
    /// merchant, its key the merchant id, its sums a full measure vector in which only
    /// <see cref="RankingRollups.Measures"/> are filled in.
    /// </summary>
    Task<IReadOnlyList<MeasureRow>> SumRankingRollupsAsync(RankingSelection selection, CancellationToken ct);

    /// <summary>
    /// Outcome records of one feed partition after <paramref name="afterPosition"/>, in position
    /// order, only committed ones (never skipping one that commits later), at most <paramref name="limit"/>.
    /// </summary>
    Task<IReadOnlyList<PositionedOutcome>> ReadOutcomesAsync(int partition, long afterPosition, OutcomeFilter filter, int limit, CancellationToken ct);
}
