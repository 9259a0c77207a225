using ResolutionGateway.Core.Storage;

namespace ResolutionGateway.Core.Events;

/// <summary>
/// Live fan-out of committed events to watchers (in-process, or across nodes through Redis).
/// Lossy by design: the database is the source of truth, and watchers catch up from it whenever a
/// notification is missing, late, or dropped.
/// </summary>
public interface IEventHub
{
    /// <summary>Announces committed events. Never throws; a failure only delays watchers.</summary>
    void Publish(IReadOnlyList<FeedEntry> entries);

    /// <summary>Subscribes to one dispute's events, or to all events when <paramref name="disputeId"/> is null.</summary>
    IEventSubscription Subscribe(string? disputeId);

    /// <summary>
    /// Announces entries that have just been given their feed positions (the feed sequencer), to
    /// feed subscribers only. Never throws.
    /// </summary>
    void PublishPositioned(IReadOnlyList<FeedEntry> entries);

    /// <summary>
    /// Subscribes to positioned feed entries (what a WatchDisputes stream follows). Kept apart from
    /// <see cref="Subscribe"/> so that nodes without such a stream never receive or parse them.
    /// </summary>
    IEventSubscription SubscribeFeed();

    /// <summary>
    /// False while live delivery may be incomplete (e.g. Redis unreachable): watchers then poll the
    /// database at <see cref="DegradedPollInterval"/> instead of waiting for notifications.
    /// </summary>
    bool IsLive { get; }

    /// <summary>How often watchers poll the database while <see cref="IsLive"/> is false.</summary>
    TimeSpan DegradedPollInterval { get; }
}
