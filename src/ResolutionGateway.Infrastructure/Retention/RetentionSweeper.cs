using ResolutionGateway.Infrastructure.Repositories;

namespace ResolutionGateway.Infrastructure.Retention;

/// <summary>What one retention pass removed.</summary>
public sealed record RetentionCounts(int ConsumersErased, int IdempotencyRecords, int DeliveredWebhooks, int DeadLetters)
{
    /// <summary>True when the pass removed nothing.</summary>
    public bool IsEmpty => ConsumersErased + IdempotencyRecords + DeliveredWebhooks + DeadLetters == 0;
}

/// <summary>
/// One pass of the retention job (<see cref="RetentionOptions"/>), at the registered clock's time:
/// erases consumers whose disputes all closed long enough ago, removes old idempotency records,
/// delivered webhook rows and (later) dead letters. Each kind runs batch after batch until a batch
/// comes back short; every item is claimed, so nodes running it at once share the work.
/// </summary>
public sealed class RetentionSweeper(RetentionOptions options, PersonalDataRepository personalData, RetentionRepository rows, TimeProvider time)
{
    private const int Delivered = 2;
    private const int DeadLettered = 3;

    /// <summary>Runs one pass; returns what it removed.</summary>
    public async Task<RetentionCounts> RunOnceAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var batch = Math.Max(1, options.BatchSize);
        return new RetentionCounts(
            await RepeatAsync(options.ConsumerDataAfterClose, now, c => personalData.EraseExpiredAsync(c, batch, ct), batch, stopOnShort: false),
            await RepeatAsync(options.IdempotencyRecords, now, c => rows.PurgeIdempotencyAsync(c, batch, ct), batch),
            await RepeatAsync(options.DeliveredWebhooks, now, c => rows.PurgeDeliveriesAsync(Delivered, c, batch, ct), batch),
            await RepeatAsync(options.DeadLetters, now, c => rows.PurgeDeliveriesAsync(DeadLettered, c, batch, ct), batch));
    }

    // A period of 0 keeps the rows. Consumers found but not erased (claimed elsewhere) come back in
    // the next candidate list, so that loop stops only when a batch erased nothing.
    private static async Task<int> RepeatAsync(TimeSpan period, DateTimeOffset now, Func<DateTimeOffset, Task<int>> step, int batch, bool stopOnShort = true)
    {
        if (period <= TimeSpan.Zero)
        {
            return 0;
        }
        var cutoff = now - period;
        var total = 0;
        while (true)
        {
            var n = await step(cutoff);
            total += n;
            if (n == 0 || (stopOnShort && n < batch))
            {
                return total;
            }
        }
    }
}
