using System.Data.Common;
using Dapper;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Events;
using ResolutionGateway.Infrastructure.Persistence;

namespace ResolutionGateway.Infrastructure.Tests.TestSupport;

/// <summary>Rows as older versions of the store wrote them, for the upgrade tests of later migrations.</summary>
internal static class LegacyRows
{
    /// <summary>
    /// What the store wrote before migration 2: the state row with the columns of migration 1 and
    /// the events at their feed positions, nothing else.
    /// </summary>
    public static async Task InsertStateAndEventsAsync(DbConnection c, Dispute d, IReadOnlyList<DisputeEvent> events)
    {
        const string InsertDispute = """
            INSERT INTO disputes (dispute_id, channel_id, consumer_ref, merchant_id, store_id, region_code, category, status,
                                  active_order_key, feed_partition, created_at, updated_at, last_seq, state_json)
            VALUES (@DisputeId, @ChannelId, @ConsumerRef, @MerchantId, @StoreId, @RegionCode, @Category, @Status,
                    @ActiveOrderKey, @FeedPartition, @CreatedAt, @UpdatedAt, @LastSeq, @StateJson)
            """;
        const string InsertEvent = """
            INSERT INTO dispute_events (dispute_id, seq, event_type, occurred_at, actor_role, actor_id, status_after,
                                        feed_partition, feed_position, channel_id, merchant_id, region_code, payload_json)
            VALUES (@DisputeId, @Seq, @EventType, @OccurredAt, @ActorRole, @ActorId, @StatusAfter,
                    @FeedPartition, @FeedPosition, @ChannelId, @MerchantId, @RegionCode, @PayloadJson)
            """;
        var partition = FeedCursor.PartitionOf(d.DisputeId);
        var last = await c.ExecuteScalarAsync<long>("SELECT last_position FROM feed_partitions WHERE partition_no = @Partition", new { Partition = partition });
        await c.ExecuteAsync("UPDATE feed_partitions SET last_position = @Last WHERE partition_no = @Partition", new { Last = last + events.Count, Partition = partition });
        await c.ExecuteAsync(InsertDispute, new
        {
            d.DisputeId,
            d.ChannelId,
            d.Consumer.ConsumerRef,
            d.MerchantId,
            d.StoreId,
            d.RegionCode,
            Category = (int)d.Category,
            Status = (int)d.Status,
            d.ActiveOrderKey,
            FeedPartition = partition,
            CreatedAt = d.CreatedAt.ToUnixTimeMilliseconds(),
            UpdatedAt = d.UpdatedAt.ToUnixTimeMilliseconds(),
            d.LastSeq,
            StateJson = Samples.Json(d),
        });
        foreach (var e in events)
        {
            await c.ExecuteAsync(InsertEvent, new
            {
                e.DisputeId,
                e.Seq,
                EventType = e.Detail.Type,
                OccurredAt = e.OccurredAt.ToUnixTimeMilliseconds(),
                ActorRole = (int)e.Actor.Role,
                ActorId = e.Actor.Id,
                StatusAfter = (int)e.StatusAfter,
                FeedPartition = partition,
                FeedPosition = ++last,
                d.ChannelId,
                d.MerchantId,
                d.RegionCode,
                PayloadJson = StoreJson.Detail(e.Detail),
            });
        }
    }
}
