using System.Data.Common;
using Dapper;
using ResolutionGateway.Core.Webhooks;

namespace ResolutionGateway.Infrastructure.Persistence;

/// <summary>
/// Webhook endpoint and delivery SQL shared by both backends. Only the claim differs (MySQL adds
/// FOR UPDATE SKIP LOCKED; SQLite runs it under its single-writer lock), so it takes that suffix.
/// </summary>
public static class WebhookSql
{
    private const string EndpointColumns = """
        endpoint_id, owner_kind, owner_id, url, description, enabled, disabled_reason, secret, previous_secret,
        previous_secret_expires_at, created_at, updated_at
        """;

    private const string InsertEndpointSql = $"""
        INSERT INTO webhook_endpoints ({EndpointColumns})
        VALUES (@EndpointId, @OwnerKind, @OwnerId, @Url, @Description, @Enabled, @DisabledReason, @Secret, @PreviousSecret,
                @PreviousSecretExpiresAt, @CreatedAt, @UpdatedAt)
        """;

    /// <summary>Stores a new endpoint.</summary>
    public static Task<int> InsertEndpointAsync(DbConnection c, DbTransaction? tx, WebhookEndpoint e, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(InsertEndpointSql, EndpointParameters(e), tx, cancellationToken: ct));

    private const string GetEndpointSql = $"SELECT {EndpointColumns} FROM webhook_endpoints WHERE endpoint_id = @EndpointId";

    /// <summary>An endpoint or null.</summary>
    public static async Task<WebhookEndpoint?> GetEndpointAsync(DbConnection c, DbTransaction? tx, string endpointId, CancellationToken ct) =>
        (await c.QuerySingleOrDefaultAsync<EndpointRow>(new CommandDefinition(GetEndpointSql, new { EndpointId = endpointId }, tx, cancellationToken: ct)))?.ToEndpoint();

    private const string ListEndpointsSql = $"""
        SELECT {EndpointColumns} FROM webhook_endpoints
        WHERE (@OwnerKind = 0 OR owner_kind = @OwnerKind) AND (@OwnerId = '' OR owner_id = @OwnerId)
        ORDER BY created_at, endpoint_id
        """;

    /// <summary>Endpoints, oldest first.</summary>
    public static async Task<IReadOnlyList<WebhookEndpoint>> ListEndpointsAsync(DbConnection c, WebhookOwnerKind? kind, string? ownerId, CancellationToken ct) =>
        (await c.QueryAsync<EndpointRow>(new CommandDefinition(ListEndpointsSql,
            new { OwnerKind = (int)(kind ?? WebhookOwnerKind.Unspecified), OwnerId = ownerId ?? "" }, cancellationToken: ct)))
        .Select(r => r.ToEndpoint()).ToArray();

    private const string UpdateEndpointSql = """
        UPDATE webhook_endpoints
        SET url = @Url, description = @Description, enabled = @Enabled, disabled_reason = @DisabledReason, secret = @Secret,
            previous_secret = @PreviousSecret, previous_secret_expires_at = @PreviousSecretExpiresAt, updated_at = @UpdatedAt
        WHERE endpoint_id = @EndpointId
        """;

    /// <summary>Replaces the mutable fields; a disabled endpoint's queue is dead-lettered. Returns how many.</summary>
    public static async Task<long> UpdateEndpointAsync(DbConnection c, DbTransaction tx, WebhookEndpoint e, CancellationToken ct)
    {
        await c.ExecuteAsync(new CommandDefinition(UpdateEndpointSql, EndpointParameters(e), tx, cancellationToken: ct));
        return e.Enabled ? 0 : await DeadLetterQueueAsync(c, tx, e.EndpointId, "endpoint disabled: " + e.DisabledReason, ct);
    }

    private const string DeleteEndpointSql = "DELETE FROM webhook_endpoints WHERE endpoint_id = @EndpointId";

    /// <summary>Deletes an endpoint and dead-letters its queue; null when it did not exist.</summary>
    public static async Task<long?> DeleteEndpointAsync(DbConnection c, DbTransaction tx, string endpointId, CancellationToken ct)
    {
        if (await c.ExecuteAsync(new CommandDefinition(DeleteEndpointSql, new { EndpointId = endpointId }, tx, cancellationToken: ct)) == 0)
        {
            return null;
        }
        return await DeadLetterQueueAsync(c, tx, endpointId, "endpoint deleted", ct);
    }

    private const string DeadLetterQueueSql = """
        UPDATE webhook_deliveries SET status = 3, next_attempt_at = NULL, dead_letter_reason = @Reason, lease_token = ''
        WHERE endpoint_id = @EndpointId AND status = 1
        """;

    private static async Task<long> DeadLetterQueueAsync(DbConnection c, DbTransaction tx, string endpointId, string reason, CancellationToken ct) =>
        await c.ExecuteAsync(new CommandDefinition(DeadLetterQueueSql, new { EndpointId = endpointId, Reason = Clip(reason, 400) }, tx, cancellationToken: ct));

    // GROUP BY with MIN on the index (status, endpoint_id, next_attempt_at): MySQL answers it with
    // a loose index scan (one dive per endpoint), so a long backlog of one endpoint costs one dive,
    // not a scan, and can never hide another endpoint's due work.
    private const string FindDueEndpointsSql = """
        SELECT endpoint_id FROM webhook_deliveries
        WHERE status = 1 AND next_attempt_at <= @Now
        GROUP BY endpoint_id
        ORDER BY MIN(next_attempt_at), endpoint_id
        LIMIT @Limit
        """;

    /// <summary>Endpoints with due deliveries, most overdue first.</summary>
    public static async Task<IReadOnlyList<string>> FindDueEndpointsAsync(DbConnection c, DateTimeOffset now, int limit, CancellationToken ct) =>
        (await c.QueryAsync<string>(new CommandDefinition(FindDueEndpointsSql, new { Now = UnixMs.From(now), Limit = limit }, cancellationToken: ct))).AsList();

    private const string DeliveryColumns = """
        endpoint_id, dispute_id, seq, event_type, status, attempts, created_at, first_attempt_at, next_attempt_at, delivered_at,
        last_http_status, last_error, dead_letter_reason, lease_token
        """;

    // Due deliveries of one endpoint that are the oldest pending event of their dispute for it:
    // a later event waits while an earlier one is pending (queued, leased or backing off), which
    // keeps per-dispute order. The NOT EXISTS is a plain read; the outer rows are what is claimed.
    private const string ClaimSql = $"""
        SELECT {DeliveryColumns} FROM webhook_deliveries d
        WHERE d.status = 1 AND d.endpoint_id = @EndpointId AND d.next_attempt_at <= @Now
          AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p
                          WHERE p.endpoint_id = d.endpoint_id AND p.dispute_id = d.dispute_id AND p.seq < d.seq AND p.status = 1)
        ORDER BY d.next_attempt_at, d.dispute_id, d.seq
        LIMIT @Limit
        """;

    private const string LeaseSql = """
        UPDATE webhook_deliveries
        SET attempts = attempts + 1, first_attempt_at = COALESCE(first_attempt_at, @Now), next_attempt_at = @LeaseUntil, lease_token = @Token
        WHERE endpoint_id = @EndpointId AND dispute_id = @DisputeId AND seq = @Seq
        """;

    /// <summary>
    /// Claims due deliveries of an endpoint inside the caller's write transaction.
    /// <paramref name="lockSuffix"/> is appended to the SELECT (MySQL: "FOR UPDATE SKIP LOCKED").
    /// </summary>
    public static async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(DbConnection c, DbTransaction tx, string lockSuffix,
        string endpointId, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken ct)
    {
        var rows = (await c.QueryAsync<DeliveryRow>(new CommandDefinition(ClaimSql + "\n" + lockSuffix,
            new { EndpointId = endpointId, Now = UnixMs.From(now), Limit = limit }, tx, cancellationToken: ct))).AsList();
        var claimed = new List<ClaimedDelivery>(rows.Count);
        foreach (var row in rows)
        {
            var token = Guid.NewGuid().ToString("N");
            await c.ExecuteAsync(new CommandDefinition(LeaseSql, new
            {
                EndpointId = endpointId,
                DisputeId = row.dispute_id,
                Seq = row.seq,
                Now = UnixMs.From(now),
                LeaseUntil = UnixMs.From(leaseUntil),
                Token = token,
            }, tx, cancellationToken: ct));
            var d = row.ToDelivery();
            claimed.Add(new ClaimedDelivery(d with
            {
                Attempts = d.Attempts + 1,
                FirstAttemptAt = d.FirstAttemptAt ?? now,
                NextAttemptAt = leaseUntil,
            }, token));
        }
        return claimed;
    }

    private const string DeliveredSql = """
        UPDATE webhook_deliveries
        SET status = 2, delivered_at = @At, next_attempt_at = NULL, last_http_status = @HttpStatus, last_error = '', lease_token = ''
        WHERE endpoint_id = @EndpointId AND dispute_id = @DisputeId AND seq = @Seq AND status = 1 AND lease_token = @Token
        """;

    private const string RetrySql = """
        UPDATE webhook_deliveries
        SET next_attempt_at = @Next, last_http_status = @HttpStatus, last_error = @Error, lease_token = ''
        WHERE endpoint_id = @EndpointId AND dispute_id = @DisputeId AND seq = @Seq AND status = 1 AND lease_token = @Token
        """;

    private const string DeadLetterSql = """
        UPDATE webhook_deliveries
        SET status = 3, next_attempt_at = NULL, last_http_status = @HttpStatus, last_error = @Error, dead_letter_reason = @Reason, lease_token = ''
        WHERE endpoint_id = @EndpointId AND dispute_id = @DisputeId AND seq = @Seq AND status = 1 AND lease_token = @Token
        """;

    private const string LeaseHeldSql = """
        SELECT seq FROM webhook_deliveries
        WHERE endpoint_id = @EndpointId AND dispute_id = @DisputeId AND seq = @Seq AND status = 1 AND lease_token = @Token
        """;

    private const string DisableEndpointSql = """
        UPDATE webhook_endpoints SET enabled = 0, disabled_reason = @Reason, updated_at = @Now WHERE endpoint_id = @EndpointId
        """;

    /// <summary>Records an attempt's outcome; false when the lease was lost.</summary>
    public static async Task<bool> CompleteAsync(DbConnection c, DbTransaction tx, ClaimedDelivery claimed, DeliveryOutcome outcome,
        DateTimeOffset now, CancellationToken ct)
    {
        var d = claimed.Delivery;
        var key = new { d.EndpointId, d.DisputeId, d.Seq, Token = claimed.LeaseToken };
        var (sql, parameters) = outcome switch
        {
            DeliveryOutcome.Delivered x => (DeliveredSql, (object)new { key.EndpointId, key.DisputeId, key.Seq, key.Token, At = UnixMs.From(x.At), x.HttpStatus }),
            DeliveryOutcome.Retry x => (RetrySql, new { key.EndpointId, key.DisputeId, key.Seq, key.Token, Next = UnixMs.From(x.NextAttemptAt), x.HttpStatus, Error = Clip(x.Error, 600) }),
            DeliveryOutcome.DeadLetter x => (DeadLetterSql, new { key.EndpointId, key.DisputeId, key.Seq, key.Token, x.HttpStatus, Error = Clip(x.Error, 600), Reason = Clip(x.Reason, 400) }),
            _ => throw new InvalidOperationException($"unknown outcome {outcome}"),
        };
        if (outcome is DeliveryOutcome.DeadLetter { DisableEndpoint: true } gone)
        {
            // A lost lease changes nothing (checked with a plain read, no lock taken yet).
            if (await c.ExecuteScalarAsync<long?>(new CommandDefinition(LeaseHeldSql, key, tx, cancellationToken: ct)) is null)
            {
                return false;
            }
            // Endpoint row first, then delivery rows: the order UpdateEndpointAsync and
            // DeleteEndpointAsync use, so concurrent 410s and an operator's change queue up instead
            // of deadlocking.
            await c.ExecuteAsync(new CommandDefinition(DisableEndpointSql,
                new { d.EndpointId, Reason = Clip(gone.Reason, 400), Now = UnixMs.From(now) }, tx, cancellationToken: ct));
            var own = await c.ExecuteAsync(new CommandDefinition(sql, parameters, tx, cancellationToken: ct)) > 0;
            await DeadLetterQueueAsync(c, tx, d.EndpointId, "endpoint disabled: " + gone.Reason, ct);
            return own;
        }
        return await c.ExecuteAsync(new CommandDefinition(sql, parameters, tx, cancellationToken: ct)) > 0;
    }

    private const string ListDeliveriesSql = $"""
        SELECT {DeliveryColumns} FROM webhook_deliveries
        WHERE endpoint_id = @EndpointId AND (@Status = 0 OR status = @Status) AND (@DisputeId = '' OR dispute_id = @DisputeId)
          AND (dispute_id > @AfterDisputeId OR (dispute_id = @AfterDisputeId AND seq > @AfterSeq))
        ORDER BY dispute_id, seq
        LIMIT @Limit
        """;

    /// <summary>A page of an endpoint's deliveries by (dispute, seq).</summary>
    public static async Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync(DbConnection c, string endpointId, WebhookDeliveryStatus? status,
        string? disputeId, (string DisputeId, long Seq)? after, int limit, CancellationToken ct) =>
        (await c.QueryAsync<DeliveryRow>(new CommandDefinition(ListDeliveriesSql, new
        {
            EndpointId = endpointId,
            Status = (int)(status ?? WebhookDeliveryStatus.Unspecified),
            DisputeId = disputeId ?? "",
            AfterDisputeId = after?.DisputeId ?? "",
            AfterSeq = after?.Seq ?? 0,
            Limit = limit,
        }, cancellationToken: ct))).Select(r => r.ToDelivery()).ToArray();

    private const string RedeliverSql = """
        UPDATE webhook_deliveries
        SET status = 1, attempts = 0, first_attempt_at = NULL, next_attempt_at = @Now, delivered_at = NULL, dead_letter_reason = '', lease_token = ''
        WHERE endpoint_id = @EndpointId AND (@DisputeId = '' OR dispute_id = @DisputeId)
          AND ((@Seq = 0 AND status = 3) OR (@Seq > 0 AND seq = @Seq AND status IN (2, 3)))
        """;

    /// <summary>Queues dead letters (or one named event) again; returns how many.</summary>
    public static async Task<long> RedeliverAsync(DbConnection c, DbTransaction tx, string endpointId, string? disputeId, long? seq,
        DateTimeOffset now, CancellationToken ct) =>
        await c.ExecuteAsync(new CommandDefinition(RedeliverSql,
            new { EndpointId = endpointId, DisputeId = disputeId ?? "", Seq = seq ?? 0, Now = UnixMs.From(now) }, tx, cancellationToken: ct));

    private static object EndpointParameters(WebhookEndpoint e) => new
    {
        e.EndpointId,
        OwnerKind = (int)e.OwnerKind,
        e.OwnerId,
        e.Url,
        e.Description,
        Enabled = e.Enabled ? 1 : 0,
        e.DisabledReason,
        e.Secret,
        e.PreviousSecret,
        PreviousSecretExpiresAt = e.PreviousSecretExpiresAt is { } t ? UnixMs.From(t) : (long?)null,
        CreatedAt = UnixMs.From(e.CreatedAt),
        UpdatedAt = UnixMs.From(e.UpdatedAt),
    };

    private static string Clip(string s, int max) => s.Length <= max ? s : s[..max];

    private sealed class EndpointRow
    {
        public string endpoint_id { get; set; } = "";
        public long owner_kind { get; set; }
        public string owner_id { get; set; } = "";
        public string url { get; set; } = "";
        public string description { get; set; } = "";
        public long enabled { get; set; }
        public string disabled_reason { get; set; } = "";
        public string secret { get; set; } = "";
        public string? previous_secret { get; set; }
        public long? previous_secret_expires_at { get; set; }
        public long created_at { get; set; }
        public long updated_at { get; set; }

        public WebhookEndpoint ToEndpoint() => new()
        {
            EndpointId = endpoint_id,
            OwnerKind = (WebhookOwnerKind)owner_kind,
            OwnerId = owner_id,
            Url = url,
            Description = description,
            Enabled = enabled != 0,
            DisabledReason = disabled_reason,
            Secret = secret,
            PreviousSecret = previous_secret,
            PreviousSecretExpiresAt = previous_secret_expires_at is { } t ? UnixMs.To(t) : null,
            CreatedAt = UnixMs.To(created_at),
            UpdatedAt = UnixMs.To(updated_at),
        };
    }

    private sealed class DeliveryRow
    {
        public string endpoint_id { get; set; } = "";
        public string dispute_id { get; set; } = "";
        public long seq { get; set; }
        public string event_type { get; set; } = "";
        public long status { get; set; }
        public long attempts { get; set; }
        public long created_at { get; set; }
        public long? first_attempt_at { get; set; }
        public long? next_attempt_at { get; set; }
        public long? delivered_at { get; set; }
        public long last_http_status { get; set; }
        public string last_error { get; set; } = "";
        public string dead_letter_reason { get; set; } = "";
        public string lease_token { get; set; } = "";

        public WebhookDelivery ToDelivery() => new()
        {
            EndpointId = endpoint_id,
            DisputeId = dispute_id,
            Seq = seq,
            EventType = event_type,
            Status = (WebhookDeliveryStatus)status,
            Attempts = (int)attempts,
            CreatedAt = UnixMs.To(created_at),
            FirstAttemptAt = first_attempt_at is { } f ? UnixMs.To(f) : null,
            NextAttemptAt = next_attempt_at is { } n ? UnixMs.To(n) : null,
            DeliveredAt = delivered_at is { } a ? UnixMs.To(a) : null,
            LastHttpStatus = (int)last_http_status,
            LastError = last_error,
            DeadLetterReason = dead_letter_reason,
        };
    }
}
