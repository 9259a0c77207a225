using ResolutionGateway.Core.Disputes;

namespace ResolutionGateway.Core.Reporting;

/// <summary>
/// A closed dispute as exported to data warehouses (resolution.v1.OutcomeRecord). No personal data:
/// no consumer name, mobile, consumer ref or free text. Stored as JSON beside its feed position.
/// </summary>
public sealed record OutcomeRecord(
    string DisputeId,
    long Revision,
    string ChannelId,
    string ChannelOrderId,
    string MerchantId,
    string StoreId,
    string RegionCode,
    Category Category,
    Money? OrderAmount,
    Remedy DemandRemedy,
    Money? DemandAmount,
    Outcome Outcome,
    Remedy SettlementRemedy,
    Money? SettlementAmount,
    bool MerchantEnrolled,
    EscalationReason EscalationReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FirstResponseAt,
    DateTimeOffset? EscalatedAt,
    DateTimeOffset ClosedAt,
    DateTimeOffset FirstResponseDueAt,
    DateTimeOffset NegotiationDueAt,
    bool FirstResponseOnTime,
    bool FirstResponseLate,
    bool ClosedOnTime,
    int SatisfactionRating,
    string PolicyRegionPrefix)
{
    /// <summary>
    /// The record a change owes the export, or null: one when the dispute closes, and one each time
    /// a closed dispute's rating changes.
    /// </summary>
    public static OutcomeRecord? For(Dispute? before, Dispute after)
    {
        if (!after.Status.IsClosed() || after.ClosedAt is null)
        {
            return null;
        }
        if (before is not null && before.Status.IsClosed() && before.SatisfactionRating == after.SatisfactionRating)
        {
            return null;
        }
        return From(after);
    }

    /// <summary>The record of a closed dispute.</summary>
    public static OutcomeRecord From(Dispute d)
    {
        var v = Measures.Of(d);
        return new OutcomeRecord(
            d.DisputeId, d.LastSeq, d.ChannelId, d.Order.ChannelOrderId, d.MerchantId, d.StoreId, d.RegionCode, d.Category,
            d.Order.Amount, d.Demand.Remedy, d.Demand.Amount, d.Outcome,
            d.Settlement?.Remedy ?? Remedy.Unspecified, d.Settlement?.Amount, d.MerchantEnrolled, d.EscalationReason,
            d.CreatedAt, d.FirstResponseAt, d.EscalatedAt, d.ClosedAt ?? throw new ArgumentException("dispute is not closed", nameof(d)),
            d.FirstResponseDueAt, d.NegotiationDueAt,
            v[Measures.FirstResponseOnTime.Index] == 1, v[Measures.FirstResponseLate.Index] == 1, v[Measures.ClosedOnTime.Index] == 1,
            d.SatisfactionRating, d.PolicyRegionPrefix);
    }
}

/// <summary>Which outcomes an export covers (closing date range in reporting days, inclusive; null for open-ended).</summary>
public sealed record OutcomeFilter(int? FromDay, int? ToDay, string RegionPrefix, string ChannelId, string MerchantId, Category Category);

/// <summary>An exported record at its feed position.</summary>
public sealed record PositionedOutcome(int Partition, long Position, OutcomeRecord Outcome);
