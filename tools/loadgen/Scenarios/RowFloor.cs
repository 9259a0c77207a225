using System.Globalization;
using Dapper;
using MySqlConnector;
using ResolutionGateway.Infrastructure.MySql;
using ResolutionGateway.Tools.LoadGen.Engine;

namespace ResolutionGateway.Tools.LoadGen.Scenarios;

/// <summary>The rows a freshly opened dispute leaves behind: its state and its first event, as the gateway stored them.</summary>
public sealed record DisputeRows(string StateJson, string PayloadJson);

/// <summary>
/// The floor under OpenDispute (issue 12): the least durable work a dispute needs, one dispute row
/// and one event row of the service's sizes committed in one round trip
/// (<c>START TRANSACTION; INSERT; INSERT; COMMIT</c>) by a plain MySqlConnector loop at the same
/// concurrency. Tables of its own with primary keys only: none of the service's secondary indexes,
/// request record, timer, feed counter or rollups, which are what <c>db-ceiling</c> measures on
/// top of this. The JSON is a dispute the gateway has just opened, copied byte for byte, so the
/// rows are the service's size and shape.
/// </summary>
public static class RowFloor
{
    private const string CreateTablesSql = """
        DROP TABLE IF EXISTS rowfloor_events, rowfloor_disputes;
        CREATE TABLE rowfloor_disputes (
            dispute_id VARCHAR(64) NOT NULL,
            status     INT         NOT NULL,
            created_at BIGINT      NOT NULL,
            state_json LONGTEXT    NOT NULL,
            PRIMARY KEY (dispute_id)
        ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
        CREATE TABLE rowfloor_events (
            dispute_id   VARCHAR(64) NOT NULL,
            seq          BIGINT      NOT NULL,
            occurred_at  BIGINT      NOT NULL,
            payload_json LONGTEXT    NOT NULL,
            PRIMARY KEY (dispute_id, seq)
        ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
        """;

    // One command, so one round trip; ExecuteNonQuery reads every result, so an error of COMMIT surfaces.
    private const string InsertSql = """
        START TRANSACTION;
        INSERT INTO rowfloor_disputes (dispute_id, status, created_at, state_json) VALUES (@id, 1, @now, @state);
        INSERT INTO rowfloor_events (dispute_id, seq, occurred_at, payload_json) VALUES (@id, 1, @now, @payload);
        COMMIT
        """;

    // The representative dispute's stored state and its first event (the opening), byte for byte.
    private const string SampleSql = """
        SELECT d.state_json AS StateJson, e.payload_json AS PayloadJson
        FROM disputes d JOIN dispute_events e ON e.dispute_id = d.dispute_id AND e.seq = 1
        WHERE d.dispute_id = @disputeId
        """;

    /// <summary>Reads what the gateway stored for <paramref name="disputeId"/>, a dispute it has just opened.</summary>
    public static async Task<DisputeRows> SampleAsync(string mysql, string disputeId, CancellationToken ct)
    {
        await using var c = new MySqlConnection(mysql);
        await c.OpenAsync(ct);
        return await c.QuerySingleAsync<DisputeRows>(new CommandDefinition(SampleSql, new { disputeId }, cancellationToken: ct));
    }

    public static async Task<PhaseResult> RunAsync(string mysql, DisputeRows rows, Offered offered, Phase phase, CancellationToken ct)
    {
        // The gateway's connection settings (no session reset when a connection leaves the pool), as db-ceiling uses.
        await using var dataSource = new MySqlOptions { ConnectionString = MySqlOptions.WithDefaults(mysql) }.CreateDataSource();
        await using (var c = await dataSource.OpenConnectionAsync(ct))
        {
            await c.ExecuteAsync(new CommandDefinition(CreateTablesSql, cancellationToken: ct));
        }
        // Ascending keys, as the service's ULIDs are: each insert lands at the right edge of the index.
        var prefix = "rf-" + Guid.NewGuid().ToString("N")[..8] + "-";
        long next = 0;
        return await Load.RunAsync(offered, phase, async (_, token) =>
        {
            var id = prefix + Interlocked.Increment(ref next).ToString("D12", CultureInfo.InvariantCulture);
            await using var c = await dataSource.OpenConnectionAsync(token);
            await using var command = new MySqlCommand(InsertSql, c);
            command.Parameters.AddWithValue("@id", id);
            command.Parameters.AddWithValue("@now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("@state", rows.StateJson);
            command.Parameters.AddWithValue("@payload", rows.PayloadJson);
            try
            {
                await command.ExecuteNonQueryAsync(token);
            }
            catch
            {
                // The pool does not reset sessions: leave no open transaction on this one.
                try
                {
                    await c.ExecuteAsync(new CommandDefinition("ROLLBACK", cancellationToken: CancellationToken.None));
                }
                catch (MySqlException)
                {
                    // A broken session is not returned to the pool anyway; the first error is the one to report.
                }
                throw;
            }
        }, ct);
    }
}
