using System.Data.Common;
using Dapper;
using ResolutionGateway.Core.Disputes;

namespace ResolutionGateway.Infrastructure.Persistence;

/// <summary>
/// Fills in next_deadline_at for the open disputes stored before migration 0011 (closed ones keep
/// NULL, which is their value). Runs inside that migration's step, after its script, on the
/// migration's connection and transaction, like <see cref="ReportingBackfill"/>.
/// </summary>
public static class DeadlineBackfill
{
    private const int Page = 500;

    private const string PageSql = """
        SELECT dispute_id, state_json FROM disputes
        WHERE dispute_id > @After AND status IN (1, 2, 3) ORDER BY dispute_id LIMIT @Limit
        """;

    private const string FillSql = "UPDATE disputes SET next_deadline_at = @NextDeadlineAt WHERE dispute_id = @DisputeId";

    /// <summary>Backfills every open dispute; returns how many.</summary>
    public static async Task<int> RunAsync(DbConnection c, DbTransaction tx, CancellationToken ct)
    {
        var after = "";
        var count = 0;
        while (true)
        {
            var rows = (await c.QueryAsync<(string Id, string Json)>(new CommandDefinition(PageSql,
                new { After = after, Limit = Page }, tx, cancellationToken: ct))).AsList();
            foreach (var (id, json) in rows)
            {
                var due = StoreJson.ReadState(json).NextDeadlineAt();
                await c.ExecuteAsync(new CommandDefinition(FillSql,
                    new { DisputeId = id, NextDeadlineAt = due is { } n ? UnixMs.From(n) : (long?)null }, tx, cancellationToken: ct));
                after = id;
                count++;
            }
            if (rows.Count < Page)
            {
                return count;
            }
        }
    }
}
