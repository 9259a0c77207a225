using ResolutionGateway.Core.Disputes;

namespace ResolutionGateway.Core.UseCases;

/// <summary>A page of disputes.</summary>
public sealed record DisputeListPage(IReadOnlyList<Dispute> Disputes, string NextPageToken);
