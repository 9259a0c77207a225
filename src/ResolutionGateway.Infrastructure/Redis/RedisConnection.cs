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
        // The default command backlog is kept: BacklogPolicy.FailFast was tried against the 2-4 s write
        // p99 of "kill -9 redis primary", and the chaos test's gateway kill then missed its 5 s target
        // twice (a restarted gateway's first Subscribe fails at once instead of waiting for the
        // connection, leaving it without live fan-out); the quota script's own budget
        // (RedisQuotaLimiter) bounds what a write waits for Redis instead.
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
