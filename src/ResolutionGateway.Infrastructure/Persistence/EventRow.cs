using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Storage;

namespace ResolutionGateway.Infrastructure.Persistence;

/// <summary>A row of dispute_events as Dapper reads it (both backends).</summary>
public sealed class EventRow
{
    public string dispute_id { get; set; } = "";
    public long seq { get; set; }
    public long occurred_at { get; set; }
    public long actor_role { get; set; }
    public string actor_id { get; set; } = "";
    public long status_after { get; set; }
    public long feed_partition { get; set; }
    public long feed_position { get; set; }
    public string channel_id { get; set; } = "";
    public string merchant_id { get; set; } = "";
    public string region_code { get; set; } = "";
    public string payload_json { get; set; } = "";

    /// <summary>The domain event.</summary>
    public DisputeEvent ToEvent() => new(dispute_id, seq, UnixMs.To(occurred_at), new Actor((ActorRole)actor_role, actor_id),
        (DisputeStatus)status_after, StoreJson.ReadDetail(payload_json));

    /// <summary>The feed entry.</summary>
    public FeedEntry ToFeedEntry() => new((int)feed_partition, feed_position, channel_id, merchant_id, region_code, ToEvent());

    /// <summary>Parameters for inserting one event of a dispute at a feed position.</summary>
    public static object Parameters(Dispute d, DisputeEvent e, int partition, long position) => new
    {
        DisputeId = e.DisputeId,
        e.Seq,
        EventType = e.Detail.Type,
        OccurredAt = UnixMs.From(e.OccurredAt),
        ActorRole = (int)e.Actor.Role,
        ActorId = e.Actor.Id,
        StatusAfter = (int)e.StatusAfter,
        FeedPartition = partition,
        FeedPosition = position,
        d.ChannelId,
        d.MerchantId,
        d.RegionCode,
        PayloadJson = StoreJson.Detail(e.Detail),
    };
}

/// <summary>Range bounds for a region-code prefix ("33" → ["33", "34")), so indexes serve prefix filters.</summary>
public static class RegionRange
{
    /// <summary>Lower (inclusive) and upper (exclusive) bound.</summary>
    public static (string Low, string High) Of(string prefix)
    {
        var next = (long.Parse(prefix) + 1).ToString().PadLeft(prefix.Length, '0');
        return (prefix, next);
    }
}
