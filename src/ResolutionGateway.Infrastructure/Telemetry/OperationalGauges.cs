using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ResolutionGateway.Infrastructure.Persistence;

namespace ResolutionGateway.Infrastructure.Telemetry;

/// <summary>
/// The operational figures that only the database knows (the webhook queue and the deadline
/// timers are shared by every node), read in one round trip each. A read model like reporting:
/// it spans two aggregates and changes nothing.
/// </summary>
public sealed class OperationalGauges(IDatabase db, TimeProvider time)
{
    // status 1 = pending, 3 = dead-lettered (0002). Counting uses ix_webhook_deliveries_due (status first).
    private const string WebhookSql = """
        SELECT
            (SELECT COUNT(*) FROM webhook_deliveries WHERE status = 1) AS Pending,
            (SELECT MIN(created_at) FROM webhook_deliveries WHERE status = 1) AS OldestCreatedAt,
            (SELECT COUNT(*) FROM webhook_deliveries WHERE status = 3) AS DeadLetters,
            (SELECT MIN(due_at) FROM dispute_timers WHERE due_at <= @Now) AS OldestDueAt
        """;

    /// <summary>Reads the figures now (business time from the injected <see cref="TimeProvider"/>).</summary>
    public async Task<OperationalFigures> ReadAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var nowMs = UnixMs.From(now);
        var row = await db.ReadAsync(async (c, t) =>
            await c.QuerySingleAsync<Row>(new CommandDefinition(WebhookSql, new { Now = nowMs }, cancellationToken: t)), ct);
        return new OperationalFigures(
            row.Pending,
            row.OldestCreatedAt is { } created ? Math.Max(0, (nowMs - created) / 1000.0) : 0,
            row.DeadLetters,
            row.OldestDueAt is { } due ? Math.Max(0, (nowMs - due) / 1000.0) : 0);
    }

    // Settable properties, not a positional record: COUNT and MIN come back as different integer
    // types on MySQL and SQLite, and Dapper converts into properties but matches constructors exactly.
    private sealed class Row
    {
        public long Pending { get; set; }

        public long? OldestCreatedAt { get; set; }

        public long DeadLetters { get; set; }

        public long? OldestDueAt { get; set; }
    }
}

/// <summary>Refreshes <see cref="GatewayMetrics"/>'s database gauges every <see cref="Interval"/> (not per scrape).</summary>
public sealed partial class OperationalGaugeRefresher(OperationalGauges gauges, GatewayMetrics metrics, ILogger<OperationalGaugeRefresher> logger) : BackgroundService
{
    /// <summary>How often the figures are read (configuration Metrics:GaugeInterval).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        // Wall-clock cadence; the ages inside use business time.
        PeriodicPass.RunAsync(Interval, async ct => metrics.SetFigures(await gauges.ReadAsync(ct)), LogFailed, stoppingToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the operational gauges failed; they keep their last values")]
    private partial void LogFailed(Exception e);
}
