using System.Collections.Concurrent;
using System.Threading.Channels;
using ResolutionGateway.Core.Events;
using ResolutionGateway.Core.Storage;

namespace ResolutionGateway.Infrastructure.Events;

/// <summary>
/// Fan-out inside one process: each subscriber has a bounded inbox that drops its oldest entries
/// when the watcher is slow; the watcher sees the gap in seq/position and re-reads the database.
/// </summary>
public sealed class InProcessEventHub : IEventHub
{
    private const int InboxCapacity = 1024;

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Subscription, byte>> _byDispute = new();
    private readonly ConcurrentDictionary<Subscription, byte> _all = new();
    private readonly ConcurrentDictionary<Subscription, byte> _feed = new();
    // Subscribe/unsubscribe of one dispute's watchers take this lock so an emptied set is never
    // removed while a new watcher joins it; publishing reads without locking.
    private readonly Lock _membership = new();

    /// <inheritdoc />
    public bool IsLive => true;

    /// <inheritdoc />
    public TimeSpan DegradedPollInterval => TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    public void Publish(IReadOnlyList<FeedEntry> entries)
    {
        foreach (var entry in entries)
        {
            Deliver(entry);
        }
    }

    /// <summary>Delivers one entry to local subscribers (also used by cross-node hubs on receipt).</summary>
    public void Deliver(FeedEntry entry)
    {
        if (_byDispute.TryGetValue(entry.Event.DisputeId, out var watchers))
        {
            foreach (var s in watchers.Keys)
            {
                s.Inbox.Writer.TryWrite(entry);
            }
        }
        foreach (var s in _all.Keys)
        {
            s.Inbox.Writer.TryWrite(entry);
        }
    }

    /// <inheritdoc />
    public void PublishPositioned(IReadOnlyList<FeedEntry> entries)
    {
        foreach (var entry in entries)
        {
            DeliverPositioned(entry);
        }
    }

    /// <summary>Delivers one positioned entry to local feed subscribers (also used by cross-node hubs on receipt).</summary>
    public void DeliverPositioned(FeedEntry entry)
    {
        foreach (var s in _feed.Keys)
        {
            s.Inbox.Writer.TryWrite(entry);
        }
    }

    /// <inheritdoc />
    public IEventSubscription SubscribeFeed()
    {
        var s = new Subscription(this, null, feed: true);
        _feed.TryAdd(s, 0);
        return s;
    }

    /// <inheritdoc />
    public IEventSubscription Subscribe(string? disputeId)
    {
        var s = new Subscription(this, disputeId);
        if (disputeId is null)
        {
            _all.TryAdd(s, 0);
        }
        else
        {
            lock (_membership)
            {
                _byDispute.GetOrAdd(disputeId, _ => new()).TryAdd(s, 0);
            }
        }
        return s;
    }

    private void Unsubscribe(Subscription s)
    {
        if (s.Feed)
        {
            _feed.TryRemove(s, out _);
        }
        else if (s.DisputeId is null)
        {
            _all.TryRemove(s, out _);
        }
        else
        {
            lock (_membership)
            {
                if (_byDispute.TryGetValue(s.DisputeId, out var watchers) && watchers.TryRemove(s, out _) && watchers.IsEmpty)
                {
                    _byDispute.TryRemove(s.DisputeId, out _);
                }
            }
        }
    }

    private sealed class Subscription(InProcessEventHub hub, string? disputeId, bool feed = false) : IEventSubscription
    {
        public string? DisputeId { get; } = disputeId;

        public bool Feed { get; } = feed;

        public Channel<FeedEntry> Inbox { get; } = Channel.CreateBounded<FeedEntry>(new BoundedChannelOptions(InboxCapacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });

        public ChannelReader<FeedEntry> Reader => Inbox.Reader;

        public void Dispose()
        {
            hub.Unsubscribe(this);
            Inbox.Writer.TryComplete();
        }
    }
}
