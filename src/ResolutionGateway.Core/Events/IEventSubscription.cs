using System.Threading.Channels;
using ResolutionGateway.Core.Storage;

namespace ResolutionGateway.Core.Events;

/// <summary>A watcher's inbox. Disposing unsubscribes.</summary>
public interface IEventSubscription : IDisposable
{
    /// <summary>Notifications, possibly with gaps or duplicates; the watcher checks seq/position.</summary>
    ChannelReader<FeedEntry> Reader { get; }
}
