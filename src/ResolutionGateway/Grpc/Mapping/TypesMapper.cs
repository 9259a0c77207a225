using Google.Protobuf.WellKnownTypes;
using ResolutionGateway.Core.Errors;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.Validation;
using D = ResolutionGateway.Core.Disputes;
using V1 = ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.Grpc.Mapping;

/// <summary>
/// Maps the shared messages of resolution/v1/types.proto (money, order, evidence, offers, settlements)
/// and google.protobuf.Timestamp, which every other mapper builds on.
/// </summary>
public static class TypesMapper
{
    // ---- messages -> domain ----

    public static D.Money? ToDomain(V1.Money? m) => m is null ? null : new D.Money(m.CurrencyCode, m.MinorUnits);

    public static D.EvidenceRef[] ToDomain(IEnumerable<V1.EvidenceRef> evidence) =>
        evidence.Select(e => new D.EvidenceRef(e.Uri, e.Sha256, e.ContentType, e.SizeBytes)).ToArray();

    public static D.OrderContext ToDomain(V1.OrderContext o) => new(
        o.ChannelOrderId, o.MerchantId, o.StoreId, ToDomain(o.Amount), ToTime(o.PayTime, "order.pay_time"),
        o.LineItems.Select(li => new D.LineItem(li.Sku, li.Name, li.Quantity, ToDomain(li.UnitPrice))).ToArray(),
        o.PaymentMethod, o.MerchantName, o.StoreName, o.RegionCode, o.StoreAddress);

    /// <summary>The consumer; an absent message reads as empty fields (validation reports them).</summary>
    public static D.ConsumerInfo ToDomain(V1.Consumer? c) => new(c?.ConsumerRef ?? "", c?.Name ?? "", c?.Mobile ?? "");

    /// <summary>The demand; an absent message reads as an unspecified remedy without amount.</summary>
    public static D.Demand ToDomain(V1.Demand? d) => new((D.Remedy)(d?.Remedy ?? V1.Remedy.Unspecified), ToDomain(d?.Amount));

    public static D.Settlement? ToDomain(V1.Settlement? s) => s is null ? null : new D.Settlement((D.Remedy)s.Remedy, ToDomain(s.Amount));

    public static D.DisputeStatus[] ToDomain(IEnumerable<V1.DisputeStatus> statuses) => statuses.Select(s => (D.DisputeStatus)s).ToArray();

    /// <summary>A timestamp, or null when absent; an out-of-range one is a violation of <paramref name="field"/>.</summary>
    public static DateTimeOffset? ToTime(Timestamp? t, string field)
    {
        if (t is null)
        {
            return null;
        }
        // Timestamp.ToDateTimeOffset throws on out-of-range values; report them as a field error.
        if (t.Nanos is < 0 or > 999_999_999 || t.Seconds is < -62135596800 or > 253402300799)
        {
            throw new ValidationException(field, "not a valid timestamp");
        }
        return t.ToDateTimeOffset();
    }

    // ---- domain -> messages ----

    public static V1.Money? ToProto(D.Money? m) => m is null ? null : new V1.Money { CurrencyCode = m.Currency, MinorUnits = m.MinorUnits };

    /// <summary>A timestamp, or absent.</summary>
    public static Timestamp? ToProto(DateTimeOffset? t) => t is null ? null : Timestamp.FromDateTimeOffset(t.Value);

    public static V1.EvidenceRef ToProto(D.EvidenceRef e) => new() { Uri = e.Uri, Sha256 = e.Sha256, ContentType = e.ContentType, SizeBytes = e.SizeBytes };

    public static V1.OrderContext ToProto(D.OrderContext o)
    {
        var p = new V1.OrderContext
        {
            ChannelOrderId = o.ChannelOrderId,
            MerchantId = o.MerchantId,
            StoreId = o.StoreId,
            Amount = ToProto(o.Amount),
            PayTime = ToProto(o.PaidAt),
            PaymentMethod = o.PaymentMethod,
            MerchantName = o.MerchantName,
            StoreName = o.StoreName,
            RegionCode = o.RegionCode,
            StoreAddress = o.StoreAddress,
        };
        p.LineItems.AddRange(o.LineItems.Select(li => new V1.LineItem { Sku = li.Sku, Name = li.Name, Quantity = li.Quantity, UnitPrice = ToProto(li.UnitPrice) }));
        return p;
    }

    /// <summary>The consumer as <paramref name="viewer"/> may see it (merchants and admins get the mobile masked).</summary>
    public static V1.Consumer ToProto(D.ConsumerInfo c, Principal viewer) => new()
    {
        ConsumerRef = c.ConsumerRef,
        Name = c.Name,
        Mobile = viewer.SeesFullMobile ? c.Mobile : Mobile.Mask(c.Mobile),
        EraseTime = ToProto(c.ErasedAt),
    };

    public static V1.Demand ToProto(D.Demand d) => new() { Remedy = (V1.Remedy)d.Remedy, Amount = ToProto(d.Amount) };

    public static V1.Settlement? ToProto(D.Settlement? s) => s is null ? null : new V1.Settlement { Remedy = (V1.Remedy)s.Remedy, Amount = ToProto(s.Amount) };

    public static V1.Offer? ToProto(D.Offer? o) => o is null ? null : new V1.Offer
    {
        OfferId = o.OfferId,
        Remedy = (V1.Remedy)o.Remedy,
        Amount = ToProto(o.Amount),
        Note = o.Note,
        Status = (V1.OfferStatus)o.Status,
        CreateTime = Timestamp.FromDateTimeOffset(o.CreatedAt),
    };

    public static V1.Actor ToProto(D.Actor a) => new() { Role = (V1.ActorRole)a.Role, Id = a.Id };
}
