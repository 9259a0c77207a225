namespace ResolutionGateway.Core.Storage;

/// <summary>Consumers' personal data as a whole: its erasure (the data itself is stored sealed with the disputes).</summary>
public interface IPersonalDataStore
{
    /// <summary>
    /// Makes the consumer's name and mobile number unreadable in every dispute of theirs, for good.
    /// Returns when their data was erased (the first erasure's time on a repeat), or null when the
    /// channel never stored a dispute of that consumer.
    /// </summary>
    Task<DateTimeOffset?> EraseConsumerAsync(string channelId, string consumerRef, CancellationToken ct);
}
