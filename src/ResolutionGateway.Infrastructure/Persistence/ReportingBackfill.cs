using System.Data.Common;
using Dapper;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Reporting;

namespace ResolutionGateway.Infrastructure.Persistence;

/// <summary>
/// Fills in reporting for disputes stored before migration 0003: their typed outcome columns, the
/// rollups and the outcome records of the closed ones. Runs inside that migration's step, after
/// its script, on the migration's connection (and, on SQLite, its transaction).
/// </summary>
public static class ReportingBackfill
{
    private const int Page = 500;

    private const string PageSql = """
        SELECT dispute_id, state_json FROM disputes WHERE dispute_id > @After ORDER BY dispute_id LIMIT @Limit
        """;

    // Every typed column (the live UPDATE leaves out those fixed at opening).
    private const string FillColumnsSql = """
        UPDATE disputes
        SET merchant_enrolled = @MerchantEnrolled, outcome = @Outcome, escalation_reason = @EscalationReason,
            first_response_due_at = @FirstResponseDueAt, negotiation_due_at = @NegotiationDueAt, first_response_at = @FirstResponseAt,
            escalated_at = @EscalatedAt, closed_at = @ClosedAt, satisfaction = @Satisfaction, settlement_remedy = @SettlementRemedy,
            settlement_currency = @SettlementCurrency, settlement_minor = @SettlementMinor
        WHERE dispute_id = @DisputeId
        """;

    private const string LastEventPositionSql = """
        SELECT feed_partition, feed_position FROM dispute_events WHERE dispute_id = @DisputeId AND seq = @Seq
        """;

    /// <summary>Backfills every stored dispute; returns how many.</summary>
    public static async Task<int> RunAsync(DbConnection c, DbTransaction tx, SqlDialect dialect, CancellationToken ct)
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
                await c.ExecuteAsync(new CommandDefinition(FillColumnsSql, ChangeWriter.RowParameters(d), tx, cancellationToken: ct));
                Rollups.AddContribution(rollups, d, +1);
                if (d.Status.IsClosed())
                {
                    var at = await c.QuerySingleOrDefaultAsync<(long Partition, long Position)?>(new CommandDefinition(LastEventPositionSql,
                        new { d.DisputeId, Seq = d.LastSeq }, tx, cancellationToken: ct));
                    if (at is { } p)
                    {
                        await ReportingSql.InsertOutcomeAsync(c, tx, OutcomeRecord.From(d), (int)p.Partition, p.Position, ct);
                    }
                }
                after = id;
                count++;
            }
            if (rows.Count < Page)
            {
                break;
            }
        }
        await ReportingSql.UpsertRollupsAsync(c, tx, dialect, rollups.Select(r => new RollupChange(r.Key, r.Value)), ct);
        return count;
    }
}
