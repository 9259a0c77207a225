using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ResolutionGateway.Infrastructure.Persistence;

namespace ResolutionGateway.Infrastructure.Retention;

/// <summary>Runs the retention job (<see cref="RetentionSweeper"/>) on every node: at start, then every Retention:Interval.</summary>
public sealed partial class RetentionWorker(RetentionSweeper sweeper, RetentionOptions options, ILogger<RetentionWorker> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => !options.Enforce
        ? Task.CompletedTask
        : PeriodicPass.RunAsync(options.Interval, async ct =>
        {
            var n = await sweeper.RunOnceAsync(ct);
            if (!n.IsEmpty)
            {
                LogRemoved(n.ConsumersErased, n.IdempotencyRecords, n.DeliveredWebhooks, n.DeadLetters);
            }
        }, LogFailed, stoppingToken);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Retention: erased the personal data of {Consumers} consumers; removed {Idempotency} idempotency records, {Delivered} delivered webhook rows, {DeadLetters} dead letters")]
    private partial void LogRemoved(int consumers, int idempotency, int delivered, int deadLetters);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention pass failed; retrying on the next pass")]
    private partial void LogFailed(Exception e);
}
