namespace ResolutionGateway.Core.Directory;

/// <summary>A channel (payment app or shop platform).</summary>
public sealed record ChannelRecord(string ChannelId, string DisplayName, DateTimeOffset CreatedAt);

/// <summary>An enrolled merchant.</summary>
public sealed record MerchantRecord(string MerchantId, string DisplayName, DateTimeOffset CreatedAt);

/// <summary>A merchant's store.</summary>
public sealed record StoreRecord(string MerchantId, string StoreId, string DisplayName, string Address, string RegionCode);
