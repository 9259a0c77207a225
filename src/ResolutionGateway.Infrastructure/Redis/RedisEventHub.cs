using System.Text.Json;
using Microsoft.Extensions.Logging;
using ResolutionGateway.Core.Events;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Infrastructure.Events;
using ResolutionGateway.Infrastructure.Persistence;
using ResolutionGateway.Infrastructure.Telemetry;
using StackExchange.Redis;

namespace ResolutionGateway.Infrastructure.Redis;

/// <summary>
/// Fan-out across nodes: committed events are delivered to this node's watchers at once and
/// published on one Redis channel for the other nodes. Redis pub/sub is lossy and may be down; the
/// database stays the source of truth. While Redis is unreachable <see cref="IsLive"/> is false and
/// watchers poll the database; StackExchange.Redis reconnects and re-subscribes by itself, and live
/// fan-out resumes. Publishing never throws and never waits for Redis.
/// </summary>
public sealed class RedisEventHub : IEventHub, IDisposable
{
    private static readonly RedisChannel EventsChannel = RedisChannel.Literal("resolution-gateway:events");
    // Positioned feed entries (the feed sequencer's announcements): a node subscribes only once a
    // WatchDisputes stream runs on it, so the others never receive or parse them.
    private static readonly RedisChannel FeedChannel = RedisChannel.Literal("resolution-gateway:feed");

    private readonly InProcessEventHub _local = new();
    private readonly IConnectionMultiplexer _redis;
    private readonly ISubscriber _subscriber;
    private readonly ILogger<RedisEventHub> _logger;
    private readonly string _nodeId = Guid.NewGuid().ToString("N");
    // How this node's own messages begin ({"node":"<id>", the envelope's first property): they come
    // back from Redis to every subscriber, and parsing them only to drop them was 5.6 % of the
    // gateway's sampled CPU under OpenDispute load (dotnet-trace).
    private readonly byte[] _ownPrefix;
    private readonly Lock _subscribing = new();
    private ChannelMessageQueue? _queue;
    private ChannelMessageQueue? _feedQueue;
    private bool _feedWanted;

    /// <summary>Records the fan-out lag of events from other nodes (rg_fanout_lag_seconds); null records nothing.</summary>
    public GatewayMetrics? Metrics { get; init; }

    /// <summary>Connects the subscription; works (degraded) even when Redis is down at start.</summary>
    public RedisEventHub(IConnectionMultiplexer redis, ILogger<RedisEventHub> logger)
    {
        _redis = redis;
        _ownPrefix = System.Text.Encoding.UTF8.GetBytes($"{{\"node\":\"{_nodeId}\"");
        _subscriber = redis.GetSubscriber();
        _logger = logger;
        redis.ConnectionRestored += (_, _) =>
        {
            _logger.LogInformation("Redis connection restored: live fan-out resumes");
            EnsureSubscribed();
            EnsureFeedSubscribed();
        };
        EnsureSubscribed();
        redis.ConnectionFailed += (_, a) => _logger.LogWarning("Redis connection failed ({Failure}): watchers poll the database", a.FailureType);
    }

    /// <inheritdoc />
    public bool IsLive => _queue is not null && _redis.IsConnected;

    /// <inheritdoc />
    public TimeSpan DegradedPollInterval => TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    public void Publish(IReadOnlyList<FeedEntry> entries)
    {
        _local.Publish(entries);
        PublishToRedis(EventsChannel, entries);
    }

    // Fire and forget: a lost message only sends watchers back to the database.
    private void PublishToRedis(RedisChannel channel, IReadOnlyList<FeedEntry> entries)
    {
        foreach (var entry in entries)
        {
            try
            {
                var payload = JsonSerializer.SerializeToUtf8Bytes(new Envelope(_nodeId, entry), StoreJson.Options);
                _subscriber.Publish(channel, payload, CommandFlags.FireAndForget);
            }
            catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
            {
                _logger.LogDebug("Redis publish dropped: {Reason}", e.Message);
            }
        }
    }

    /// <inheritdoc />
    public IEventSubscription Subscribe(string? disputeId) => _local.Subscribe(disputeId);

    /// <inheritdoc />
    public void PublishPositioned(IReadOnlyList<FeedEntry> entries)
    {
        _local.PublishPositioned(entries);
        PublishToRedis(FeedChannel, entries);
    }

    /// <inheritdoc />
    public IEventSubscription SubscribeFeed()
    {
        var subscription = _local.SubscribeFeed();
        lock (_subscribing)
        {
            _feedWanted = true;
        }
        EnsureFeedSubscribed();
        return subscription;
    }

    private void EnsureFeedSubscribed()
    {
        lock (_subscribing)
        {
            if (!_feedWanted || _feedQueue is not null)
            {
                return;
            }
            try
            {
                _feedQueue = _subscriber.Subscribe(FeedChannel);
                _feedQueue.OnMessage(m => OnMessage(m, _local.DeliverPositioned, measureLag: false));
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                _logger.LogWarning("Redis feed subscription deferred until Redis answers: {Reason}", e.Message);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _queue?.Unsubscribe();
        _feedQueue?.Unsubscribe();
    }

    // The multiplexer re-establishes subscriptions it made while connected; one that failed because
    // Redis was down at start is made on the next reconnect.
    private void EnsureSubscribed()
    {
        lock (_subscribing)
        {
            if (_queue is not null)
            {
                return;
            }
            try
            {
                _queue = _subscriber.Subscribe(EventsChannel);
                _queue.OnMessage(m => OnMessage(m, _local.Deliver, measureLag: true));
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                _logger.LogWarning("Redis subscription deferred until Redis answers: {Reason}", e.Message);
            }
        }
    }

    // Pub/sub handlers must not throw: a bad message is logged and dropped.
    private void OnMessage(ChannelMessage message, Action<FeedEntry> deliver, bool measureLag)
    {
        try
        {
            var bytes = (byte[])message.Message!;
            if (bytes.AsSpan().StartsWith(_ownPrefix))
            {
                return; // delivered locally when published
            }
            var envelope = JsonSerializer.Deserialize<Envelope>(bytes, StoreJson.Options);
            if (envelope is not null && envelope.Node != _nodeId)
            {
                if (measureLag)
                {
                    // Wall clock against the commit's timestamp (business time, which is the wall clock in
                    // production; a test's hand-driven clock makes this figure meaningless, not wrong elsewhere).
                    Metrics?.FanoutLag((TimeProvider.System.GetUtcNow() - envelope.Entry.Event.OccurredAt).TotalSeconds);
                }
                deliver(envelope.Entry);
            }
        }
        catch (Exception e)
        {
            _logger.LogWarning("Dropped an unreadable fan-out message: {Reason}", e.Message);
        }
    }

    private sealed record Envelope(string Node, FeedEntry Entry);
}
