using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Infrastructure.Privacy;

namespace ResolutionGateway.Infrastructure.Persistence;

/// <summary>A row of dispute_events as Dapper reads it (both backends), with the data key its queries join (<see cref="KeyedRow"/>).</summary>
public sealed class EventRow : KeyedRow
{
    public string dispute_id { get; set; } = "";
    public long seq { get; set; }
    public long occurred_at { get; set; }
    public long actor_role { get; set; }
    public string actor_id { get; set; } = "";
    public long status_after { get; set; }
    public long feed_partition { get; set; }
    public long? feed_position { get; set; }
    public string channel_id { get; set; } = "";
    public string merchant_id { get; set; } = "";
    public string region_code { get; set; } = "";
    public string payload_json { get; set; } = "";
    public string handling_region { get; set; } = "";

    /// <summary>The domain event.</summary>
    public DisputeEvent ToEvent() => new(dispute_id, seq, UnixMs.To(occurred_at), new Actor((ActorRole)actor_role, actor_id),
        (DisputeStatus)status_after, StoreJson.ReadDetail(payload_json));

    /// <summary>The feed entry (position 0 while the sequencer has not given one).</summary>
    public FeedEntry ToFeedEntry() => new((int)feed_partition, feed_position ?? 0, channel_id, merchant_id, region_code, ToEvent(), handling_region);
}
