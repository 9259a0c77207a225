namespace ResolutionGateway.Core.Directory;

/// <summary>A channel (payment app or shop platform).</summary>
public sealed record ChannelRecord(string ChannelId, string DisplayName, DateTimeOffset CreatedAt);

/// <summary>An enrolled merchant. A disabled one is treated as not enrolled when a dispute is opened.</summary>
public sealed record MerchantRecord(string MerchantId, string DisplayName, DateTimeOffset CreatedAt, bool Enabled = true);

/// <summary>A merchant's store. A disabled one routes new disputes as for an unenrolled merchant.</summary>
public sealed record StoreRecord(string MerchantId, string StoreId, string DisplayName, string Address, string RegionCode, bool Enabled = true);
