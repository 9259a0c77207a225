using Microsoft.Extensions.Logging;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Infrastructure.Quotas;
using StackExchange.Redis;

namespace ResolutionGateway.Infrastructure.Redis;

/// <summary>
/// Quotas counted in Redis, so a key's limits hold across every node: a token bucket per key (one
/// script, Redis's own clock) and a counter of open streams. While Redis is down or slow, calls are
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

    // KEYS[1] the key's open streams; ARGV[1] the limit. The count expires an hour after the last
    // stream opened, so a node that died holding streams does not block the key for ever.
    private const string StreamScript = """
        local n = redis.call('INCR', KEYS[1])
        redis.call('EXPIRE', KEYS[1], 3600)
        if n > tonumber(ARGV[1]) then
          redis.call('DECR', KEYS[1])
          return 0
        end
        return 1
        """;

    // How long a call waits for Redis's answer before its node counts it instead. A script answers in
    // well under a millisecond; a Redis that hangs (frozen, or a connection not yet seen as dead) would
    // otherwise hold every call for the multiplexer's whole AsyncTimeout (2 s). A late answer only
    // spends a token twice. Streams wait the full timeout: a late INCR must not be left uncounted.
    private static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(500);

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
                var key = StreamsKey(keyId);
                var r = await redis.GetDatabase().ScriptEvaluateAsync(StreamScript, [key], [limits.Streams]);
                Recovered();
                return (long)r == 1 ? new StreamLease(redis, key) : null;
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

    private static RedisKey StreamsKey(string keyId) => "rg:quota:" + keyId + ":streams";

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

    // Gives the slot back without waiting; if Redis is down then, the count expires (see StreamScript).
    private sealed class StreamLease(IConnectionMultiplexer redis, RedisKey key) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                try
                {
                    redis.GetDatabase().StringDecrement(key, flags: CommandFlags.FireAndForget);
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    // The count expires an hour after the key's last stream opened.
                }
            }
        }
    }
}
