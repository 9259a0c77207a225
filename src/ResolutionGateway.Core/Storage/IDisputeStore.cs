using ResolutionGateway.Core.Disputes;

namespace ResolutionGateway.Core.Storage;

/// <summary>
/// A mutating request remembered for idempotency: which party sent which request id, a hash of
/// the payload, and where its result is in the dispute's log (the state after <see cref="Seq"/>).
/// </summary>
public sealed record IdempotencyRecord(
    string PartyKey, string RequestId, string Method, string RequestHash, string DisputeId, long Seq, DateTimeOffset CreatedAt);

/// <summary>
/// An event with its place in the global feed and the keys watchers filter on. A change is stored
/// without feed positions; its entries carry <see cref="Position"/> 0 until the feed sequencer has
/// given them one (entries read from the feed, and those the sequencer announces, always have one).
/// <see cref="HandlingRegion"/> is the region whose regulator handled the case when the event was
/// stored (<see cref="Dispute.CaseRegion"/>); "" for events stored before it was recorded, read as
/// <see cref="RegionCode"/>.
/// </summary>
public sealed record FeedEntry(int Partition, long Position, string ChannelId, string MerchantId, string RegionCode, DisputeEvent Event, string HandlingRegion = "");

/// <summary>
/// Who may see what in lists and feeds; null parts do not filter. <see cref="RegionPrefix"/> (a
/// regulator's) is matched against the region handling the case (<see cref="Dispute.CaseRegion"/>):
/// a transferred case is in the queue of the regulator it was transferred to, not of the store's.
/// </summary>
public sealed record VisibilityScope(string? ChannelId, string? MerchantId, string? RegionPrefix)
{
    /// <summary>Everything (admins).</summary>
    public static readonly VisibilityScope All = new(null, null, null);

    /// <summary>True when an entry is visible under this scope (<paramref name="handlingRegion"/> "" reads as <paramref name="regionCode"/>).</summary>
    public bool Allows(string channelId, string merchantId, string regionCode, string handlingRegion) =>
        (ChannelId is null || ChannelId == channelId)
        && (MerchantId is null || MerchantId == merchantId)
        && (RegionPrefix is null || (handlingRegion.Length > 0 ? handlingRegion : regionCode).StartsWith(RegionPrefix, StringComparison.Ordinal));
}

/// <summary>
/// A page request for <see cref="IDisputeStore.ListAsync"/>: newest first, keyset-paged by id
/// (<see cref="BeforeDisputeId"/>), or by next deadline (<see cref="Order"/>, <see cref="AfterDeadline"/>).
/// </summary>
public sealed record DisputeQuery(
    VisibilityScope Scope, string? ConsumerRef, string? MerchantId, IReadOnlyList<DisputeStatus> Statuses, string? BeforeDisputeId, int Limit)
{
    /// <summary>Opened (created_at) within this range.</summary>
    public TimeRange Opened { get; init; } = TimeRange.Any;
    /// <summary>Last changed (updated_at) within this range.</summary>
    public TimeRange Updated { get; init; } = TimeRange.Any;
    /// <summary>Closed (closed_at) within this range; a set range leaves out open disputes.</summary>
    public TimeRange Closed { get; init; } = TimeRange.Any;
    /// <summary>Only this category; null for any.</summary>
    public Category? Category { get; init; }
    /// <summary>
    /// Region code prefix, on top of the scope's; null for any. Under a regulator's scope it narrows
    /// the handling region (<see cref="Dispute.CaseRegion"/>), else the store's region code.
    /// </summary>
    public string? RegionPrefix { get; init; }
    /// <summary>Only disputes whose next deadline is at or before this (passed ones included); null for no filter.</summary>
    public DateTimeOffset? DeadlineBy { get; init; }
    /// <summary>The order of the page.</summary>
    public DisputeListOrder Order { get; init; }
    /// <summary>With <see cref="DisputeListOrder.NextDeadline"/>: resume after this (deadline, id), the last row of the previous page.</summary>
    public DeadlineCursor? AfterDeadline { get; init; }
}

/// <summary>A half-open time range [From, To); a null end does not bound.</summary>
public sealed record TimeRange(DateTimeOffset? From, DateTimeOffset? To)
{
    /// <summary>No bound.</summary>
    public static readonly TimeRange Any = new(null, null);

    /// <summary>True when either end is set.</summary>
    public bool IsSet => From is not null || To is not null;
}

/// <summary>How a dispute list is ordered.</summary>
public enum DisputeListOrder
{
    /// <summary>Newest first (by id, which is time-ordered).</summary>
    NewestFirst = 0,
    /// <summary>Soonest next deadline first, then by id; disputes without a running deadline are left out.</summary>
    NextDeadline = 1,
}

/// <summary>The sort key of the last dispute of a page under <see cref="DisputeListOrder.NextDeadline"/>.</summary>
public sealed record DeadlineCursor(DateTimeOffset DueAt, string DisputeId);

/// <summary>
/// A page of one feed partition. Every position up to <see cref="ReadUpTo"/> has been examined
/// (entries the scope hides included), so a reader resumes after it without rescanning them.
/// </summary>
public sealed record FeedPage(IReadOnlyList<FeedEntry> Entries, long ReadUpTo);

/// <summary>The outcome of <see cref="IDisputeStore.CreateAsync"/>.</summary>
public enum CreateOutcome
{
    /// <summary>Stored.</summary>
    Created,
    /// <summary>The party already used this request id (a concurrent retry won the race).</summary>
    DuplicateRequest,
    /// <summary>The (channel, order) pair already has an active dispute.</summary>
    ActiveDisputeExists,
}

/// <summary>Result of <see cref="IDisputeStore.CreateAsync"/>.</summary>
public sealed record CreateResult(CreateOutcome Outcome, IReadOnlyList<FeedEntry> Feed, string? ExistingDisputeId);

/// <summary>Result of <see cref="IDisputeStore.MutateAsync"/>: applied, or the request id was seen before.</summary>
public sealed record MutateResult(DisputeChange? Applied, IReadOnlyList<FeedEntry> Feed, IdempotencyRecord? Duplicate);

/// <summary>Result of <see cref="IDisputeStore.FireTimerAsync"/>: what the timer changed (null: nothing was due).</summary>
public sealed record TimerResult(DisputeChange? Applied, IReadOnlyList<FeedEntry> Feed);

/// <summary>
/// Disputes and their event logs. Implementations keep the state row, the events, the feed
/// positions, the dispute's timer, the webhook deliveries the events owe (the outbox) and the
/// idempotency record of one change in one transaction.
/// </summary>
public interface IDisputeStore
{
    /// <summary>The idempotency record of (party, request id), if any.</summary>
    Task<IdempotencyRecord?> FindRequestAsync(string partyKey, string requestId, CancellationToken ct);

    /// <summary>Stores a new dispute with its first events and the request record, atomically.</summary>
    Task<CreateResult> CreateAsync(DisputeChange change, IdempotencyRecord request, CancellationToken ct);

    /// <summary>
    /// Locks the dispute, and unless the request id was seen before, calls <paramref name="decide"/>
    /// with its current state and stores the change with the request record, atomically. Exceptions
    /// from <paramref name="decide"/> roll back and propagate. Null when the dispute does not exist.
    /// </summary>
    Task<MutateResult?> MutateAsync(string disputeId, IdempotencyRecord request, Func<Dispute, DisputeChange> decide, CancellationToken ct);

    /// <summary>The current state, or null.</summary>
    Task<Dispute?> GetAsync(string disputeId, CancellationToken ct);

    /// <summary>Events with seq above <paramref name="afterSeq"/>, in order, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<DisputeEvent>> ReadEventsAsync(string disputeId, long afterSeq, int limit, CancellationToken ct);

    /// <summary>A page of disputes, newest first.</summary>
    Task<IReadOnlyList<Dispute>> ListAsync(DisputeQuery query, CancellationToken ct);

    /// <summary>
    /// Feed entries of one partition after a position, visible under the scope, in position order,
    /// at most <paramref name="limit"/>; see <see cref="FeedPage.ReadUpTo"/>.
    /// </summary>
    Task<FeedPage> ReadFeedAsync(int partition, long afterPosition, VisibilityScope scope, int limit, CancellationToken ct);

    /// <summary>The last position of every partition (index = partition).</summary>
    Task<long[]> ReadFeedHeadAsync(CancellationToken ct);

    /// <summary>
    /// Disputes whose timer (<see cref="Dispute.NextTimerAt"/>) is due at <paramref name="now"/>,
    /// most overdue first, at most <paramref name="limit"/>. A plain read: candidates only, each
    /// is claimed by <see cref="FireTimerAsync"/>.
    /// </summary>
    Task<IReadOnlyList<string>> FindDueTimersAsync(DateTimeOffset now, int limit, CancellationToken ct);

    /// <summary>
    /// Claims the dispute's row without waiting (null when another node or request holds it: it is
    /// being handled, and its timer will be looked at again), and when its timer is due at
    /// <paramref name="now"/> calls <paramref name="decide"/> and stores the change like a
    /// mutation (no request record). A timer that is not due (someone else fired it) changes nothing.
    /// </summary>
    Task<TimerResult?> FireTimerAsync(string disputeId, DateTimeOffset now, Func<Dispute, DisputeChange?> decide, CancellationToken ct);
}

/// <summary>Reads shared by the use cases and the webhook dispatcher.</summary>
public static class DisputeStoreExtensions
{
    /// <summary>The log from seq 1 through <paramref name="seq"/>, read in pages of 500 (the input of a replay).</summary>
    public static async Task<IReadOnlyList<DisputeEvent>> ReadEventsUpToAsync(this IDisputeStore store, string disputeId, long seq, CancellationToken ct)
    {
        var events = new List<DisputeEvent>((int)Math.Min(seq, 1000));
        while (events.Count < seq)
        {
            var page = await store.ReadEventsAsync(disputeId, events.Count, (int)Math.Min(500, seq - events.Count), ct);
            if (page.Count == 0)
            {
                throw new InvalidOperationException($"event log of {disputeId} ends before seq {seq}");
            }
            events.AddRange(page);
        }
        return events;
    }
}
