using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ResolutionGateway.Infrastructure.Persistence;

namespace ResolutionGateway.Infrastructure.Redis;

/// <summary>
/// Keeps this node's stream slots alive in Redis: renews its lease every third of
/// <see cref="RedisQuotaLimiter.SlotLease"/>. When the node dies the beats stop, and its slots are
/// free for reconnecting clients one lease later (not an hour later, as with a plain counter).
/// </summary>
public sealed partial class StreamSlotHeartbeat(RedisQuotaLimiter limiter, ILogger<StreamSlotHeartbeat> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicPass.RunAsync(limiter.SlotLease / 3, limiter.HeartbeatAsync, LogFailed, stoppingToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream slot heartbeat failed; the next one follows on time")]
    private partial void LogFailed(Exception e);
}
