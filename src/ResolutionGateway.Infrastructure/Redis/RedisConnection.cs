using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace ResolutionGateway.Infrastructure.Redis;

/// <summary>How the gateway connects to Redis (one shared multiplexer, directly or through Sentinel).</summary>
public static class RedisConnection
{
    /// <summary>
    /// The multiplexer's options for <paramref name="configuration"/> (Redis:Configuration). Connecting
    /// never fails when Redis is down: the multiplexer keeps retrying in the background and the hub
    /// runs degraded (watchers poll the database) until it answers.
    /// </summary>
    public static ConfigurationOptions Options(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2000;
        options.SyncTimeout = 2000;
        options.AsyncTimeout = 2000;
        options.ReconnectRetryPolicy = new LinearRetry(500);
        // No queue while the primary is gone. With the default policy a command issued while the
        // primary's connection is down waits in a backlog for a reconnection, up to AsyncTimeout; and
        // through Sentinel the multiplexer still counts as connected (to the replica) during a
        // failover, so every call's quota script waited the full 2 s before falling back to the
        // node's own count: the 2-4 s write p99 of the chaos test's "kill -9 redis primary". Failing
        // at once sends quotas to LocalQuotaLimiter and drops the publish (watchers poll the database),
        // which is what both do when Redis is down anyway.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        return options;
    }

    /// <summary>Connects with <see cref="Options"/>; returns even when Redis is unreachable.</summary>
    public static ConnectionMultiplexer Connect(string configuration, ILoggerFactory loggers)
    {
        var options = Options(configuration);
        options.LoggerFactory = loggers;
        return ConnectionMultiplexer.Connect(options);
    }
}
