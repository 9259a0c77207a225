namespace ResolutionGateway.Core.UseCases;

/// <summary>A statistics or export filter as the caller sent it (unvalidated; numbers are enum values).</summary>
public sealed record ReportFilterInput(
    string FromDate, string ToDate, int Basis, string RegionPrefix, string ChannelId, string MerchantId, int Category);
