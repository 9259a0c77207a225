namespace ResolutionGateway.Core.Webhooks;

/// <summary>Whose endpoint (values as in resolution.v1 WebhookOwnerKind).</summary>
public enum WebhookOwnerKind
{
    Unspecified = 0,
    Merchant = 1,
    Channel = 2,
    Regulator = 3,
}

/// <summary>Where a delivery stands (values as in resolution.v1 WebhookDeliveryStatus).</summary>
public enum WebhookDeliveryStatus
{
    Unspecified = 0,
    Pending = 1,
    Delivered = 2,
    DeadLettered = 3,
}

/// <summary>A registered receiver of signed event POSTs.</summary>
public sealed record WebhookEndpoint
{
    /// <summary>"whe_" + ULID.</summary>
    public required string EndpointId { get; init; }
    /// <summary>Whose endpoint.</summary>
    public required WebhookOwnerKind OwnerKind { get; init; }
    /// <summary>Merchant id, channel id or region prefix.</summary>
    public required string OwnerId { get; init; }
    /// <summary>Absolute http(s) URL.</summary>
    public required string Url { get; init; }
    /// <summary>Free text.</summary>
    public string Description { get; init; } = "";
    /// <summary>False while disabled.</summary>
    public bool Enabled { get; init; } = true;
    /// <summary>Why it was disabled.</summary>
    public string DisabledReason { get; init; } = "";
    /// <summary>The current signing secret.</summary>
    public required string Secret { get; init; }
    /// <summary>The previous secret, still signed with until <see cref="PreviousSecretExpiresAt"/>.</summary>
    public string? PreviousSecret { get; init; }
    /// <summary>Until when the previous secret is used.</summary>
    public DateTimeOffset? PreviousSecretExpiresAt { get; init; }
    /// <summary>Created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The secrets to sign with at <paramref name="now"/>: the current one, and the previous one while it is valid.</summary>
    public IReadOnlyList<string> SigningSecrets(DateTimeOffset now) =>
        PreviousSecret is { } previous && PreviousSecretExpiresAt > now ? [Secret, previous] : [Secret];

    /// <summary>Whether the previous secret is still in use at <paramref name="now"/>.</summary>
    public DateTimeOffset? PreviousSecretExpiry(DateTimeOffset now) =>
        PreviousSecret is not null && PreviousSecretExpiresAt > now ? PreviousSecretExpiresAt : null;
}

/// <summary>One event owed to one endpoint. Keyed by (endpoint, dispute, seq).</summary>
public sealed record WebhookDelivery
{
    /// <summary>The endpoint.</summary>
    public required string EndpointId { get; init; }
    /// <summary>The dispute.</summary>
    public required string DisputeId { get; init; }
    /// <summary>The event's seq.</summary>
    public required long Seq { get; init; }
    /// <summary>The event's type ("message_posted").</summary>
    public required string EventType { get; init; }
    /// <summary>Where it stands.</summary>
    public required WebhookDeliveryStatus Status { get; init; }
    /// <summary>Attempts made.</summary>
    public int Attempts { get; init; }
    /// <summary>When it was queued.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>First attempt; retries stop <see cref="WebhookRetry.GiveUpAfter"/> after it.</summary>
    public DateTimeOffset? FirstAttemptAt { get; init; }
    /// <summary>When the next attempt is due (pending only).</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }
    /// <summary>When it was acknowledged.</summary>
    public DateTimeOffset? DeliveredAt { get; init; }
    /// <summary>HTTP status of the last attempt, 0 when none.</summary>
    public int LastHttpStatus { get; init; }
    /// <summary>What went wrong last.</summary>
    public string LastError { get; init; } = "";
    /// <summary>Why it was given up.</summary>
    public string DeadLetterReason { get; init; } = "";

    /// <summary>The id receivers deduplicate on; the same for every attempt and endpoint.</summary>
    public string EventId => EventIdOf(DisputeId, Seq);

    /// <summary>"&lt;dispute_id&gt;/events/&lt;seq&gt;".</summary>
    public static string EventIdOf(string disputeId, long seq) => $"{disputeId}/events/{seq}";
}

/// <summary>A delivery claimed for one attempt; the token guards its completion against a lease that ran out.</summary>
public sealed record ClaimedDelivery(WebhookDelivery Delivery, string LeaseToken);

/// <summary>How an attempt ended.</summary>
public abstract record DeliveryOutcome
{
    private DeliveryOutcome() { }

    /// <summary>2xx.</summary>
    public sealed record Delivered(DateTimeOffset At, int HttpStatus) : DeliveryOutcome;

    /// <summary>Failed; try again at <paramref name="NextAttemptAt"/>.</summary>
    public sealed record Retry(DateTimeOffset NextAttemptAt, int HttpStatus, string Error) : DeliveryOutcome;

    /// <summary>Given up. With <paramref name="DisableEndpoint"/> (410 Gone) the endpoint is disabled and its queue dead-lettered too.</summary>
    public sealed record DeadLetter(string Reason, int HttpStatus, string Error, bool DisableEndpoint) : DeliveryOutcome;
}
