namespace ResolutionGateway.Infrastructure.Retention;

/// <summary>
/// The "Retention" section: how long personal data and operational rows are kept. A period of 0
/// keeps that kind of row forever. Defaults and their reasons: src/ResolutionGateway/README.md.
/// </summary>
public sealed class RetentionOptions
{
    /// <summary>The section name.</summary>
    public const string SectionName = "Retention";

    /// <summary>False turns the job off on this node (another node may still run it).</summary>
    public bool Enforce { get; set; } = true;

    /// <summary>The pause between passes (wall clock).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Rows (or consumers) handled per transaction; a pass runs batches until none is full.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// A consumer's name and mobile number are erased (their data keys destroyed) this long after the
    /// last of their disputes closed, when none is still open. Default 3 years: the general limitation
    /// period of civil claims (Civil Code art. 188), within which the dispute may still reach a court.
    /// </summary>
    public TimeSpan ConsumerDataAfterClose { get; set; } = TimeSpan.FromDays(3 * 365);

    /// <summary>Idempotency records are removed this long after the request; a retry after that is a new request.</summary>
    public TimeSpan IdempotencyRecords { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Delivered webhook deliveries are removed this long after their event was queued.</summary>
    public TimeSpan DeliveredWebhooks { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Dead-lettered webhook deliveries are removed this long after their event was queued.</summary>
    public TimeSpan DeadLetters { get; set; } = TimeSpan.FromDays(180);
}
