using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ResolutionGateway.Core.Audit;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Core.UseCases;

namespace ResolutionGateway.Infrastructure.Audit;

/// <summary>
/// Writes the audit log two ways. An admin action is recorded before its call is answered
/// (<see cref="RecordAsync"/>, one insert): an acknowledged admin action always has its entry, and
/// if that insert fails the caller gets the failure (the action may have happened: a retry records
/// it again). Reads of unmasked mobile numbers are the hot path, so they are queued
/// (<see cref="Enqueue"/>) and written in batches, one multi-row transaction per batch, by this
/// background service; the queue is written out when the host stops. A crash may lose the entries
/// of the last moments' reads, never an admin action's.
/// </summary>
public sealed partial class AuditLog(IAuditStore store, TimeProvider time, ILogger<AuditLog> logger) : BackgroundService
{
    /// <summary>The most entries one write carries.</summary>
    public const int BatchSize = 500;

    // Bounded so a database outage cannot grow memory without end; beyond it entries are dropped
    // and counted in a warning (reads mostly fail then too).
    private readonly Channel<AuditEntry> _queue = Channel.CreateBounded<AuditEntry>(
        new BoundedChannelOptions(50_000) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

    private long _dropped;

    /// <summary>A new entry stamped now.</summary>
    public AuditEntry Entry(Principal p, string rpc, string disputeId, string objectId, AuditKind kind)
    {
        var now = Clock.Now(time);
        return new AuditEntry(Ids.New("aud", now), now, p.KeyId, p.Role, rpc, disputeId, objectId, kind);
    }

    /// <summary>Stores <paramref name="entry"/> now (admin actions).</summary>
    public Task RecordAsync(AuditEntry entry, CancellationToken ct) => store.AppendAsync([entry], ct);

    /// <summary>Queues <paramref name="entry"/> for the next batch (reads).</summary>
    public void Enqueue(AuditEntry entry)
    {
        if (!_queue.Writer.TryWrite(entry) && Interlocked.Increment(ref _dropped) % 1000 == 1)
        {
            LogDropped(Interlocked.Read(ref _dropped));
        }
    }

    /// <summary>Writes what is queued now (tests, and the host's stop). A batch that fails stays for the next try.</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        await _flush.WaitAsync(ct);
        try
        {
            while (_pending.Count > 0 || _queue.Reader.TryPeek(out _))
            {
                while (_pending.Count < BatchSize && _queue.Reader.TryRead(out var e))
                {
                    _pending.Add(e);
                }
                await store.AppendAsync(_pending, ct);
                _pending.Clear();
            }
        }
        finally
        {
            _flush.Release();
        }
    }

    private readonly SemaphoreSlim _flush = new(1, 1);
    private readonly List<AuditEntry> _pending = new(BatchSize);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                try
                {
                    await FlushAsync(stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    LogFailed(e);
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await FlushAsync(cancellationToken);
        }
        catch (Exception e)
        {
            LogFailed(e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit: writing queued read entries failed; retrying in a second")]
    private partial void LogFailed(Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit: the read-entry queue is full; {Dropped} entries dropped so far")]
    private partial void LogDropped(long dropped);
}
