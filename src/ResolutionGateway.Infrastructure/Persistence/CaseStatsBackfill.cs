using System.Data.Common;
using Dapper;
using ResolutionGateway.Core.Reporting;

namespace ResolutionGateway.Infrastructure.Persistence;

/// <summary>
/// Fills in, for the disputes stored before migration 0013, the case and settlement columns of the
/// dispute row and (unless <see cref="ReportingBackfill"/> rolled everything up in the same run)
/// their contribution to the rollup columns that migration added. Runs inside that migration's
/// step, after its script, on the migration's connection and transaction, like
/// <see cref="DeadlineBackfill"/>.
/// </summary>
public static class CaseStatsBackfill
{
    private const int Page = 500;

    // Only disputes that ever reached the regulator or a settlement can hold a non-default value.
    private const string PageSql = """
        SELECT dispute_id, state_json FROM disputes
        WHERE dispute_id > @After AND (escalated_at IS NOT NULL OR closed_at IS NOT NULL) ORDER BY dispute_id LIMIT @Limit
        """;

    private const string FillSql = """
        UPDATE disputes
        SET case_status = @CaseStatus, case_accept_due_at = @CaseAcceptDueAt, case_accepted_at = @CaseAcceptedAt,
            mediation_due_at = @MediationDueAt, execution_due_at = @ExecutionDueAt, execution_recorded_at = @ExecutionRecordedAt,
            execution_overdue = @ExecutionOverdue, settlement_receipt = @SettlementReceipt, reopen_count = @ReopenCount
        WHERE dispute_id = @DisputeId
        """;

    // The vector range of the measures migration 0013 added a rollup column for (cases_pending to
    // closed_with_settlement); measures appended later are another migration's backfill.
    private static readonly int First = Measures.CasesPending.Index;
    private static readonly int End = Measures.ClosedWithSettlement.Index + Measures.ClosedWithSettlement.Width;

    /// <summary>
    /// Backfills the disputes that were escalated or closed; returns how many. With rollUp false
    /// (the 0003 backfill rolled every column up in the same run) only the dispute rows are filled.
    /// </summary>
    public static async Task<int> RunAsync(DbConnection c, DbTransaction tx, SqlDialect dialect, bool rollUp, CancellationToken ct)
    {
        var rollups = new SortedDictionary<RollupKey, long[]>(RollupKey.Order);
        var after = "";
        var count = 0;
        while (true)
        {
            var rows = (await c.QueryAsync<(string Id, string Json)>(new CommandDefinition(PageSql,
                new { After = after, Limit = Page }, tx, cancellationToken: ct))).AsList();
            foreach (var (id, json) in rows)
            {
                var d = StoreJson.ReadState(json);
                await c.ExecuteAsync(new CommandDefinition(FillSql, ChangeWriter.RowParameters(d), tx, cancellationToken: ct));
                if (rollUp)
                {
                    Rollups.AddContribution(rollups, d, +1);
                }
                after = id;
                count++;
            }
            if (rows.Count < Page)
            {
                break;
            }
        }
        // The other columns already hold these disputes: only the new ones move.
        var changes = rollups.Select(r =>
        {
            Array.Clear(r.Value, 0, First);
            Array.Clear(r.Value, End, r.Value.Length - End);
            return new RollupChange(r.Key, r.Value);
        });
        await ReportingSql.UpsertRollupsAsync(c, tx, dialect, changes, ct);
        return count;
    }
}
