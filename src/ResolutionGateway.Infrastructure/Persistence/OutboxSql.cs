using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Webhooks;

namespace ResolutionGateway.Infrastructure.Persistence;

/// <summary>
/// What a change writes besides its state and events, in the same transaction, on both backends:
/// the dispute's deadline timer and the webhook deliveries its events owe (the outbox). The SQL is
/// the same on SQLite and MySQL; the MySQL store sends it in its one batched command, the SQLite
/// store statement by statement.
/// </summary>
public static class OutboxSql
{
    // REPLACE INTO is the one upsert spelling SQLite and MySQL share.
    private const string SetTimerSql = "REPLACE INTO dispute_timers (dispute_id, due_at) VALUES (@TimerDisputeId, @TimerDueAt)";
    private const string ClearTimerSql = "DELETE FROM dispute_timers WHERE dispute_id = @TimerDisputeId";

    // One delivery per enabled endpoint that should hear about event {0}: the dispute's merchant,
    // its channel, and (once escalated) the regulators whose prefix covers the region. Equality on
    // (owner_kind, owner_id) for each, so the owner index serves it as a few point lookups.
    private const string QueueDeliveriesSql = """
        INSERT INTO webhook_deliveries (endpoint_id, dispute_id, seq, event_type, status, attempts, created_at, first_attempt_at,
                                        next_attempt_at, delivered_at, last_http_status, last_error, dead_letter_reason, lease_token)
        SELECT endpoint_id, @DisputeId{0}, @Seq{0}, @EventType{0}, 1, 0, @OccurredAt{0}, NULL, @OccurredAt{0}, NULL, 0, '', '', ''
        FROM webhook_endpoints
        WHERE enabled = 1
          AND ((owner_kind = 1 AND owner_id = @MerchantId{0})
            OR (owner_kind = 2 AND owner_id = @ChannelId{0})
            OR (owner_kind = 3 AND @ToRegulator{0} = 1 AND owner_id IN (@Region2_{0}, @Region4_{0}, @Region6_{0})))
        """;
    private static readonly CompositeFormat QueueDeliveries = CompositeFormat.Parse(QueueDeliveriesSql);

    /// <summary>
    /// The timer statement for a change from <paramref name="before"/> (null when new) to
    /// <paramref name="after"/>, or null when the timer did not move (most messages).
    /// </summary>
    public static (string Sql, object Parameters)? Timer(Dispute? before, Dispute after)
    {
        var due = after.NextTimerAt;
        if (before is not null && before.NextTimerAt == due)
        {
            return null;
        }
        if (due is null)
        {
            return before is null ? null : (ClearTimerSql, new { TimerDisputeId = after.DisputeId });
        }
        return (SetTimerSql, new { TimerDisputeId = after.DisputeId, TimerDueAt = UnixMs.From(due.Value) });
    }

    /// <summary>The statement that sets a dispute's timer to what its state says (used when a stale timer is found).</summary>
    public static (string Sql, object Parameters) SyncTimer(Dispute d) => d.NextTimerAt is { } due
        ? (SetTimerSql, new { TimerDisputeId = d.DisputeId, TimerDueAt = UnixMs.From(due) })
        : (ClearTimerSql, new { TimerDisputeId = d.DisputeId });

    /// <summary>The delivery-queueing statement for event number <paramref name="index"/> of a change (parameters suffixed with it).</summary>
    public static string QueueDeliveriesFor(int index) => string.Format(CultureInfo.InvariantCulture, QueueDeliveries, index);

    /// <summary>
    /// Parameters of event <paramref name="index"/>'s delivery statement, suffixed with the index:
    /// the event's own columns plus who hears it.
    /// </summary>
    public static void AddDeliveryParameters(DynamicParameters parameters, Dispute d, DisputeEvent e, bool toRegulator, int index)
    {
        var i = index.ToString(CultureInfo.InvariantCulture);
        var region = d.RegionCode;
        parameters.Add("DisputeId" + i, e.DisputeId);
        parameters.Add("Seq" + i, e.Seq);
        parameters.Add("EventType" + i, e.Detail.Type);
        parameters.Add("OccurredAt" + i, UnixMs.From(e.OccurredAt));
        parameters.Add("MerchantId" + i, d.MerchantId);
        parameters.Add("ChannelId" + i, d.ChannelId);
        parameters.Add("ToRegulator" + i, toRegulator ? 1 : 0);
        parameters.Add("Region2_" + i, region.Length >= 2 ? region[..2] : region);
        parameters.Add("Region4_" + i, region.Length >= 4 ? region[..4] : region);
        parameters.Add("Region6_" + i, region.Length >= 6 ? region[..6] : region);
    }

    /// <summary>Runs the timer and delivery statements of a change one by one (the embedded store).</summary>
    public static async Task WriteAsync(DbConnection c, DbTransaction tx, Dispute? before, DisputeChange change, CancellationToken ct)
    {
        if (Timer(before, change.State) is { } timer)
        {
            await c.ExecuteAsync(new CommandDefinition(timer.Sql, timer.Parameters, tx, cancellationToken: ct));
        }
        var toRegulator = WebhookAudience.ToRegulator(change.State, change.Events);
        for (var i = 0; i < change.Events.Count; i++)
        {
            var parameters = new DynamicParameters();
            AddDeliveryParameters(parameters, change.State, change.Events[i], toRegulator[i], 0);
            await c.ExecuteAsync(new CommandDefinition(QueueDeliveriesFor(0), parameters, tx, cancellationToken: ct));
        }
    }
}
