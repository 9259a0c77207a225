using Dapper;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Core.Webhooks;
using ResolutionGateway.Infrastructure.Persistence;
using ResolutionGateway.Infrastructure.Privacy;

namespace ResolutionGateway.Infrastructure.Repositories;

/// <summary>
/// Webhook endpoints and their delivery queue, on either database. Several nodes claim from the same
/// queue: on MySQL, SELECT … FOR UPDATE SKIP LOCKED hands each due row to one of them without
/// waiting, and the lease (next_attempt_at pushed to the lease end, plus a token) keeps it theirs
/// after COMMIT; on the embedded store the single writer is the claim. Signing secrets are stored
/// sealed by the KEK (<see cref="WebhookSecretSealer"/>) and opened as they are read.
/// </summary>
public sealed class WebhookRepository(IDatabase db, WebhookSecretSealer secrets) : IWebhookStore
{
    /// <summary>The column names the sealed secrets are bound to (associated data).</summary>
    public const string SecretColumn = "secret";

    /// <summary>The column name of the previous secret.</summary>
    public const string PreviousSecretColumn = "previous_secret";

    private const string EndpointColumns = """
        endpoint_id, owner_kind, owner_id, url, description, enabled, disabled_reason, secret, previous_secret,
        previous_secret_expires_at, created_at, updated_at
        """;

    private const string InsertEndpointSql = $"""
        INSERT INTO webhook_endpoints ({EndpointColumns})
        VALUES (@EndpointId, @OwnerKind, @OwnerId, @Url, @Description, @Enabled, @DisabledReason, @Secret, @PreviousSecret,
                @PreviousSecretExpiresAt, @CreatedAt, @UpdatedAt)
        """;

    /// <inheritdoc />
    public Task InsertEndpointAsync(WebhookEndpoint endpoint, CancellationToken ct) => db.ExecuteAsync(InsertEndpointSql, EndpointParameters(endpoint), ct);

    private const string GetEndpointSql = $"SELECT {EndpointColumns} FROM webhook_endpoints WHERE endpoint_id = @EndpointId";

    /// <inheritdoc />
    public Task<WebhookEndpoint?> GetEndpointAsync(string endpointId, CancellationToken ct) =>
        db.ReadAsync(async (c, t) => (await c.QuerySingleOrDefaultAsync<EndpointRow>(
            new CommandDefinition(GetEndpointSql, new { EndpointId = endpointId }, cancellationToken: t)))?.ToEndpoint(secrets), ct);

    private const string ListEndpointsSql = $"""
        SELECT {EndpointColumns} FROM webhook_endpoints
        WHERE (@OwnerKind = 0 OR owner_kind = @OwnerKind) AND (@OwnerId = '' OR owner_id = @OwnerId)
        ORDER BY created_at, endpoint_id
        """;

    /// <inheritdoc />
    public Task<IReadOnlyList<WebhookEndpoint>> ListEndpointsAsync(WebhookOwnerKind? kind, string? ownerId, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<WebhookEndpoint>>(async (c, t) => (await c.QueryAsync<EndpointRow>(new CommandDefinition(ListEndpointsSql,
            new { OwnerKind = (int)(kind ?? WebhookOwnerKind.Unspecified), OwnerId = ownerId ?? "" }, cancellationToken: t)))
            .Select(r => r.ToEndpoint(secrets)).ToArray(), ct);

    private const string UpdateEndpointSql = """
        UPDATE webhook_endpoints
        SET url = @Url, description = @Description, enabled = @Enabled, disabled_reason = @DisabledReason, secret = @Secret,
            previous_secret = @PreviousSecret, previous_secret_expires_at = @PreviousSecretExpiresAt, updated_at = @UpdatedAt
        WHERE endpoint_id = @EndpointId
        """;

    /// <inheritdoc />
    public Task<long> UpdateEndpointAsync(WebhookEndpoint endpoint, CancellationToken ct) =>
        // A disabled endpoint's queue is dead-lettered with it.
        db.WriteAsync(async tx =>
        {
            await tx.ExecuteAsync(UpdateEndpointSql, EndpointParameters(endpoint));
            return endpoint.Enabled ? 0 : await DeadLetterQueueAsync(tx, endpoint.EndpointId, "endpoint disabled: " + endpoint.DisabledReason);
        }, ct);

    private const string DeleteEndpointSql = "DELETE FROM webhook_endpoints WHERE endpoint_id = @EndpointId";

    /// <inheritdoc />
    public Task<long?> DeleteEndpointAsync(string endpointId, DateTimeOffset now, CancellationToken ct) =>
        // The queue is dead-lettered with the endpoint.
        db.WriteAsync<long?>(async tx =>
        {
            if (await tx.ExecuteAsync(DeleteEndpointSql, new { EndpointId = endpointId }) == 0)
            {
                return null;
            }
            return await DeadLetterQueueAsync(tx, endpointId, "endpoint deleted");
        }, ct);

    private const string DeadLetterQueueSql = """
        UPDATE webhook_deliveries SET status = 3, next_attempt_at = NULL, dead_letter_reason = @Reason, lease_token = ''
        WHERE endpoint_id = @EndpointId AND status = 1
        """;

    private static async Task<long> DeadLetterQueueAsync(IWriteTransaction tx, string endpointId, string reason) =>
        await tx.ExecuteAsync(DeadLetterQueueSql, new { EndpointId = endpointId, Reason = Clip(reason, 400) });

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

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> FindDueEndpointsAsync(DateTimeOffset now, int limit, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<string>>(async (c, t) => (await c.QueryAsync<string>(new CommandDefinition(FindDueEndpointsSql,
            new { Now = UnixMs.From(now), Limit = limit }, cancellationToken: t))).AsList(), ct);

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

    /// <inheritdoc />
    public Task<IReadOnlyList<ClaimedDelivery>> ClaimDueAsync(string endpointId, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken ct) =>
        db.WriteAsync<IReadOnlyList<ClaimedDelivery>>(async tx =>
        {
            var rows = await tx.QueryAsync<DeliveryRow>(ClaimSql + tx.Dialect.ForUpdateSkipLocked(), new { EndpointId = endpointId, Now = UnixMs.From(now), Limit = limit });
            var leases = new SqlBatch();
            var claimed = new List<ClaimedDelivery>(rows.Count);
            foreach (var row in rows)
            {
                var token = Guid.NewGuid().ToString("N");
                leases.Add(LeaseSql, new
                {
                    EndpointId = endpointId,
                    DisputeId = row.dispute_id,
                    Seq = row.seq,
                    Now = UnixMs.From(now),
                    LeaseUntil = UnixMs.From(leaseUntil),
                    Token = token,
                });
                var d = row.ToDelivery();
                claimed.Add(new ClaimedDelivery(d with
                {
                    Attempts = d.Attempts + 1,
                    FirstAttemptAt = d.FirstAttemptAt ?? now,
                    NextAttemptAt = leaseUntil,
                }, token));
            }
            // Every lease and the COMMIT in one round trip on MySQL.
            await tx.CommitAsync(leases);
            return claimed;
        }, ct);

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

    /// <inheritdoc />
    public Task<bool> CompleteAsync(ClaimedDelivery claimed, DeliveryOutcome outcome, DateTimeOffset now, CancellationToken ct) =>
        db.WriteAsync(tx => CompleteAsync(tx, claimed, outcome, now), ct);

    // False when the lease was lost.
    private static async Task<bool> CompleteAsync(IWriteTransaction tx, ClaimedDelivery claimed, DeliveryOutcome outcome, DateTimeOffset now)
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
            if ((await tx.QueryAsync<long>(LeaseHeldSql, key)).Count == 0)
            {
                return false;
            }
            // Endpoint row first, then delivery rows: the order UpdateEndpointAsync and
            // DeleteEndpointAsync use, so concurrent 410s and an operator's change queue up instead
            // of deadlocking.
            await tx.ExecuteAsync(DisableEndpointSql, new { d.EndpointId, Reason = Clip(gone.Reason, 400), Now = UnixMs.From(now) });
            var own = await tx.ExecuteAsync(sql, parameters) > 0;
            await DeadLetterQueueAsync(tx, d.EndpointId, "endpoint disabled: " + gone.Reason);
            return own;
        }
        return await tx.ExecuteAsync(sql, parameters) > 0;
    }

    private const string ReleaseSql = """
        UPDATE webhook_deliveries SET next_attempt_at = @Now, lease_token = ''
        WHERE endpoint_id = @EndpointId AND dispute_id = @DisputeId AND seq = @Seq AND status = 1 AND lease_token = @Token
        """;

    /// <inheritdoc />
    public Task<long> ReleaseAsync(IReadOnlyCollection<ClaimedDelivery> claimed, DateTimeOffset now, CancellationToken ct) =>
        // One row at a time in one transaction: a row whose lease another node took over is left alone.
        db.WriteAsync(async tx =>
        {
            long released = 0;
            foreach (var c in claimed)
            {
                var d = c.Delivery;
                released += await tx.ExecuteAsync(ReleaseSql, new { d.EndpointId, d.DisputeId, d.Seq, Token = c.LeaseToken, Now = UnixMs.From(now) });
            }
            return released;
        }, ct);

    private const string ListDeliveriesSql = $"""
        SELECT {DeliveryColumns} FROM webhook_deliveries
        WHERE endpoint_id = @EndpointId AND (@Status = 0 OR status = @Status) AND (@DisputeId = '' OR dispute_id = @DisputeId)
          AND (dispute_id > @AfterDisputeId OR (dispute_id = @AfterDisputeId AND seq > @AfterSeq))
        ORDER BY dispute_id, seq
        LIMIT @Limit
        """;

    /// <inheritdoc />
    public Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync(string endpointId, WebhookDeliveryStatus? status,
        string? disputeId, (string DisputeId, long Seq)? after, int limit, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<WebhookDelivery>>(async (c, t) => (await c.QueryAsync<DeliveryRow>(new CommandDefinition(ListDeliveriesSql, new
        {
            EndpointId = endpointId,
            Status = (int)(status ?? WebhookDeliveryStatus.Unspecified),
            DisputeId = disputeId ?? "",
            AfterDisputeId = after?.DisputeId ?? "",
            AfterSeq = after?.Seq ?? 0,
            Limit = limit,
        }, cancellationToken: t))).Select(r => r.ToDelivery()).ToArray(), ct);

    private const string RedeliverSql = """
        UPDATE webhook_deliveries
        SET status = 1, attempts = 0, first_attempt_at = NULL, next_attempt_at = @Now, delivered_at = NULL, dead_letter_reason = '', lease_token = ''
        WHERE endpoint_id = @EndpointId AND (@DisputeId = '' OR dispute_id = @DisputeId)
          AND ((@Seq = 0 AND status = 3) OR (@Seq > 0 AND seq = @Seq AND status IN (2, 3)))
        """;

    /// <inheritdoc />
    public async Task<long> RedeliverAsync(string endpointId, string? disputeId, long? seq, DateTimeOffset now, CancellationToken ct) =>
        await db.ExecuteAsync(RedeliverSql, new { EndpointId = endpointId, DisputeId = disputeId ?? "", Seq = seq ?? 0, Now = UnixMs.From(now) }, ct);

    private object EndpointParameters(WebhookEndpoint e) => new
    {
        e.EndpointId,
        OwnerKind = (int)e.OwnerKind,
        e.OwnerId,
        e.Url,
        e.Description,
        Enabled = e.Enabled ? 1 : 0,
        e.DisabledReason,
        Secret = secrets.Seal(e.EndpointId, SecretColumn, e.Secret),
        PreviousSecret = e.PreviousSecret is { } previous ? secrets.Seal(e.EndpointId, PreviousSecretColumn, previous) : null,
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

        public WebhookEndpoint ToEndpoint(WebhookSecretSealer secrets) => new()
        {
            EndpointId = endpoint_id,
            OwnerKind = (WebhookOwnerKind)owner_kind,
            OwnerId = owner_id,
            Url = url,
            Description = description,
            Enabled = enabled != 0,
            DisabledReason = disabled_reason,
            Secret = secrets.Open(endpoint_id, SecretColumn, secret),
            PreviousSecret = previous_secret is { } previous ? secrets.Open(endpoint_id, PreviousSecretColumn, previous) : null,
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
