using ResolutionGateway.Core.Errors;

namespace ResolutionGateway.Core.UseCases;

/// <summary>
/// Admission control for the database reads of streams that catch up (WatchDispute, WatchDisputes):
/// at most <c>concurrent</c> such reads run at once on this node, the others queue in arrival order
/// for at most <c>maxWait</c>, and a stream still waiting then (or arriving while <c>queueLimit</c>
/// are already waiting) is refused with <see cref="OverloadedException"/> (UNAVAILABLE with RetryInfo);
/// its client resumes later from the last event or cursor it got. When every merchant terminal reconnects at once (a node restart),
/// the replays then run as a steady trickle the database can serve, instead of all at once until the
/// database circuit breaker opens for every caller of the node. A permit is held only while one page
/// is read, never while the client is being written to, so a slow client holds nothing.
/// </summary>
public sealed class ReplayAdmission : IDisposable
{
    private readonly SemaphoreSlim _permits;
    private readonly int _queueLimit;
    private readonly TimeSpan _maxWait;
    private readonly TimeSpan _retryAfter;
    private readonly TimeProvider _time;
    private readonly bool _limited; // false: every read runs at once (Watch:ConcurrentReplays = 0)
    private int _waiting;

    /// <summary>
    /// <paramref name="concurrent"/> reads at once (0: no limit), at most <paramref name="queueLimit"/>
    /// waiting, each for at most <paramref name="maxWait"/>; refused callers are told to retry after
    /// <paramref name="retryAfter"/>. <paramref name="time"/> runs the wait's timer.
    /// </summary>
    public ReplayAdmission(int concurrent, int queueLimit, TimeSpan maxWait, TimeSpan retryAfter, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(concurrent);
        ArgumentOutOfRangeException.ThrowIfNegative(queueLimit);
        _permits = new SemaphoreSlim(Math.Max(concurrent, 1), Math.Max(concurrent, 1));
        _limited = concurrent > 0;
        _queueLimit = queueLimit;
        _maxWait = maxWait;
        _retryAfter = retryAfter;
        _time = time;
    }

    /// <summary>Runs one catch-up read once admitted; throws <see cref="OverloadedException"/> when refused.</summary>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> read, CancellationToken ct)
    {
        if (!_limited)
        {
            return await read(ct);
        }
        if (!_permits.Wait(0, CancellationToken.None))
        {
            await WaitAsync(ct);
        }
        try
        {
            return await read(ct);
        }
        finally
        {
            _permits.Release();
        }
    }

    private async Task WaitAsync(CancellationToken ct)
    {
        if (Interlocked.Increment(ref _waiting) > _queueLimit)
        {
            Interlocked.Decrement(ref _waiting);
            throw Refused();
        }
        try
        {
            using var timeout = new CancellationTokenSource(_maxWait, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
            try
            {
                await _permits.WaitAsync(linked.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw Refused();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    private OverloadedException Refused() =>
        new("too many streams are catching up on this node right now; retry after the delay given", _retryAfter);

    /// <inheritdoc />
    public void Dispose() => _permits.Dispose();
}
