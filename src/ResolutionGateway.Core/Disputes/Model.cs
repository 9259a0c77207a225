namespace ResolutionGateway.Core.Disputes;

/// <summary>An amount in the currency's minor unit (fen for CNY).</summary>
public sealed record Money(string Currency, long MinorUnits);

/// <summary>A reference to evidence stored elsewhere; we keep the reference and digest, never the file.</summary>
public sealed record EvidenceRef(string Uri, string Sha256, string ContentType, long SizeBytes);

/// <summary>One order line.</summary>
public sealed record LineItem(string Sku, string Name, int Quantity, Money? UnitPrice);

/// <summary>The order context as the channel sent it.</summary>
public sealed record OrderContext(
    string ChannelOrderId,
    string MerchantId,
    string StoreId,
    Money? Amount,
    DateTimeOffset? PaidAt,
    IReadOnlyList<LineItem> LineItems,
    string PaymentMethod,
    string MerchantName,
    string StoreName,
    string RegionCode,
    string StoreAddress);

/// <summary>
/// The consumer behind a dispute. The name and mobile number are personal data: never logged,
/// stored only encrypted, the number masked for merchants. Once the consumer's data was erased
/// (AdminService.EraseConsumerData) both are empty and <paramref name="ErasedAt"/> says when.
/// </summary>
public sealed record ConsumerInfo(string ConsumerRef, string Name, string Mobile, DateTimeOffset? ErasedAt = null);

/// <summary>What the consumer asks for.</summary>
public sealed record Demand(Remedy Remedy, Money? Amount);

/// <summary>What was agreed.</summary>
public sealed record Settlement(Remedy Remedy, Money? Amount);

/// <summary>A merchant's offer.</summary>
public sealed record Offer(string OfferId, Remedy Remedy, Money? Amount, string Note, OfferStatus Status, DateTimeOffset CreatedAt);

/// <summary>Who acted.</summary>
public sealed record Actor(ActorRole Role, string Id)
{
    /// <summary>The service itself.</summary>
    public static readonly Actor System = new(ActorRole.System, "");
}
