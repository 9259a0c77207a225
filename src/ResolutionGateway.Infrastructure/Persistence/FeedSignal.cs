using System.Threading.Channels;

namespace ResolutionGateway.Infrastructure.Persistence;

/// <summary>
/// Wakes this node's feed sequencer: the dispute repository notifies it after every commit that
/// stored events. Only the committing node's sequencer is woken (the others would only queue on the
/// same counter locks and find the work done); a pass positions what every node committed anyway.
/// </summary>
public sealed class FeedSignal
{
    private readonly Channel<bool> _wakes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    /// <summary>Asks for a pass (several requests before the pass starts make one).</summary>
    public void Notify() => _wakes.Writer.TryWrite(true);

    /// <summary>Waits for a request; true when one came.</summary>
    internal async Task<bool> WaitAsync(CancellationToken ct)
    {
        await _wakes.Reader.ReadAsync(ct);
        return true;
    }

    /// <summary>Forgets requests made so far (the pass about to run covers them).</summary>
    internal void Clear() => _wakes.Reader.TryRead(out _);
}
