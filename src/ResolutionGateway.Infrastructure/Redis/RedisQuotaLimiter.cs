using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Infrastructure.Quotas;
using StackExchange.Redis;

namespace ResolutionGateway.Infrastructure.Redis;

/// <summary>
/// Quotas counted in Redis, so a key's limits hold across every node: a token bucket per key (one
/// script, Redis's own clock) and the streams each node holds per key, kept only while that node
/// heartbeats (a dead node's slots are free <see cref="SlotLease"/> after its last beat). While Redis is down or slow, calls are
/// counted by <see cref="LocalQuotaLimiter"/> on each node instead: a call never fails because Redis does.
/// </summary>
public sealed class RedisQuotaLimiter(IConnectionMultiplexer redis, LocalQuotaLimiter local, ILogger<RedisQuotaLimiter> logger) : IQuotaLimiter
{
    // KEYS[1] the bucket; ARGV[1] tokens per second, ARGV[2] bucket size. Returns {allowed, wait in µs}.
    // The bucket expires once it would be full again, so idle keys cost nothing.
    private const string TokenBucketScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local rate = tonumber(ARGV[1])
        local burst = tonumber(ARGV[2])
        local b = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
        local tokens = tonumber(b[1])
        local ts = tonumber(b[2])
        if tokens == nil then
          tokens = burst
          ts = now
        end
        tokens = math.min(burst, tokens + math.max(0, now - ts) * rate / 1000000)
        local allowed = 0
        local wait = 0
        if tokens >= 1 then
          tokens = tokens - 1
          allowed = 1
        else
          wait = math.ceil((1 - tokens) * 1000000 / rate)
        end
        redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
        redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
        return {allowed, wait}
        """;

    // Stream slots are counted per node, so a node that dies takes its slots with it.
    // KEYS[1] the key's slots (a hash: node id -> streams open there), KEYS[2] the node leases (a
    // sorted set: node id -> lease end in ms, Redis's clock); ARGV[1] the limit, ARGV[2] this node,
    // ARGV[3] the lease in ms. A node whose lease ended (it stopped heartbeating) is dropped from the
    // key's count as soon as anyone counts it. Taking a slot renews the taker's own lease.
    private const string StreamScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local lease = tonumber(ARGV[3])
        redis.call('ZADD', KEYS[2], now + lease, ARGV[2])
        local slots = redis.call('HGETALL', KEYS[1])
        local total = 0
        for i = 1, #slots, 2 do
          local ends = redis.call('ZSCORE', KEYS[2], slots[i])
          if ends == false or tonumber(ends) < now then
            redis.call('HDEL', KEYS[1], slots[i])
          else
            total = total + tonumber(slots[i + 1])
          end
        end
        if total >= tonumber(ARGV[1]) then
          return 0
        end
        redis.call('HINCRBY', KEYS[1], ARGV[2], 1)
        redis.call('PEXPIRE', KEYS[1], lease * 4)
        return 1
        """;

    // KEYS[1] the key's slots; ARGV[1] this node. A count that reaches 0 leaves the hash.
    private const string ReleaseScript = """
        if redis.call('HINCRBY', KEYS[1], ARGV[1], -1) <= 0 then
          redis.call('HDEL', KEYS[1], ARGV[1])
        end
        return 1
        """;

    // How long a call waits for Redis's answer before its node counts it instead. A script answers in
    // well under a millisecond; a Redis that hangs (frozen, or a connection not yet seen as dead) would
    // otherwise hold every call for the multiplexer's whole AsyncTimeout (2 s). A late answer only
    // spends a token twice. Streams wait the full timeout: a late INCR must not be left uncounted.
    private static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(500);

    // KEYS[1] the node leases; ARGV[1] this node, ARGV[2] the lease in ms. Renews this node's lease
    // and forgets nodes whose lease ended long ago (their fields leave each key's hash when counted).
    private const string HeartbeatScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local lease = tonumber(ARGV[2])
        redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - 10 * lease)
        return 1
        """;

    private static readonly RedisKey NodesKey = "rg:quota:nodes";

    // Streams this node holds per key: what the heartbeat writes back into each key's hash, so a
    // count lost in Redis (failover, or a pause longer than the lease that let another node drop
    // this one) is restored within one heartbeat. A beat that runs between a script and the update
    // of this map may write a count one off; the next beat writes the true one.
    private readonly ConcurrentDictionary<string, int> _held = new(StringComparer.Ordinal);

    /// <summary>This node's id in the slot records (one per process).</summary>
    public string NodeId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>
    /// How long a node's stream slots outlive its last heartbeat (configuration Quotas:StreamSlotLease).
    /// <see cref="StreamSlotHeartbeat"/> renews it every third of this.
    /// </summary>
    public TimeSpan SlotLease { get; init; } = TimeSpan.FromSeconds(10);

    private int _degraded;

    /// <inheritdoc />
    public async ValueTask<QuotaDecision> TryAcquireRequestAsync(string keyId, QuotaLimits limits, CancellationToken ct)
    {
        if (redis.IsConnected)
        {
            try
            {
                var r = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(TokenBucketScript,
                    [RateKey(keyId, limits)], [limits.RequestsPerSecond, Math.Max(1, limits.Burst)]).WaitAsync(Budget, ct))!;
                Recovered();
                return (long)r[0] == 1 ? QuotaDecision.Allow : new QuotaDecision(false, TimeSpan.FromTicks((long)r[1] * 10));
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                Degraded(e);
            }
        }
        return await local.TryAcquireRequestAsync(keyId, limits, ct);
    }

    /// <inheritdoc />
    public async ValueTask<IDisposable?> TryAcquireStreamAsync(string keyId, QuotaLimits limits, CancellationToken ct)
    {
        if (limits.Streams <= 0)
        {
            return null;
        }
        if (redis.IsConnected)
        {
            try
            {
                var r = await redis.GetDatabase().ScriptEvaluateAsync(StreamScript, [StreamsKey(keyId), NodesKey],
                    [limits.Streams, NodeId, LeaseMs]);
                Recovered();
                if ((long)r != 1)
                {
                    return null;
                }
                _held.AddOrUpdate(keyId, 1, (_, n) => n + 1);
                return new StreamLease(this, keyId);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                Degraded(e);
            }
        }
        return await local.TryAcquireStreamAsync(keyId, limits, ct);
    }

    // The limits are part of the bucket's name: a changed quota starts from a full bucket of its own.
    private static RedisKey RateKey(string keyId, QuotaLimits limits) =>
        FormattableString.Invariant($"rg:quota:{keyId}:rate:{limits.RequestsPerSecond:R}:{limits.Burst}");

    private static RedisKey StreamsKey(string keyId) => "rg:quota:" + keyId + ":slots";

    private long LeaseMs => (long)SlotLease.TotalMilliseconds;

    /// <summary>
    /// Renews this node's lease and writes back the streams it holds per key (one round trip for
    /// all). A node that stops calling this loses its slots <see cref="SlotLease"/> later.
    /// </summary>
    public async Task HeartbeatAsync(CancellationToken ct)
    {
        if (!redis.IsConnected)
        {
            return;
        }
        var db = redis.GetDatabase();
        var batch = db.CreateBatch();
        var writes = new List<Task> { batch.ScriptEvaluateAsync(HeartbeatScript, [NodesKey], [NodeId, LeaseMs]) };
        foreach (var (keyId, n) in _held)
        {
            if (n > 0)
            {
                writes.Add(batch.HashSetAsync(StreamsKey(keyId), NodeId, n));
                writes.Add(batch.KeyExpireAsync(StreamsKey(keyId), SlotLease * 4));
            }
            else
            {
                _held.TryRemove(new KeyValuePair<string, int>(keyId, n));
            }
        }
        batch.Execute();
        await Task.WhenAll(writes).WaitAsync(ct);
    }

    private void Release(string keyId)
    {
        _held.AddOrUpdate(keyId, 0, (_, n) => Math.Max(0, n - 1));
        try
        {
            redis.GetDatabase().ScriptEvaluate(ReleaseScript, [StreamsKey(keyId)], [NodeId], CommandFlags.FireAndForget);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // The next heartbeat writes this node's true count back.
        }
    }

    // One warning when Redis stops answering, one line when it is back: not one per call.
    private void Degraded(Exception e)
    {
        if (Interlocked.Exchange(ref _degraded, 1) == 0)
        {
            logger.LogWarning(e, "Redis unavailable: quotas are counted per node until it answers");
        }
    }

    private void Recovered()
    {
        if (Volatile.Read(ref _degraded) == 1 && Interlocked.Exchange(ref _degraded, 0) == 1)
        {
            logger.LogInformation("Redis answers again: quotas are counted across nodes");
        }
    }

    // Gives the slot back without waiting; if Redis is down then, the next heartbeat corrects the count.
    private sealed class StreamLease(RedisQuotaLimiter owner, string keyId) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Release(keyId);
            }
        }
    }
}
