using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Storage;

namespace ResolutionGateway.Core.UseCases;

/// <summary>
/// A ListDisputes request as sent (enums as their wire numbers, so undefined values are reported,
/// not cast); <see cref="DisputeQueries.ListAsync(Security.Principal, DisputeListInput, CancellationToken)"/> validates it.
/// </summary>
public sealed record DisputeListInput(int PageSize, string PageToken, IReadOnlyList<DisputeStatus> Statuses, string ConsumerRef, string MerchantId)
{
    /// <summary>Opened within; <see cref="TimeRange.Any"/> when not set.</summary>
    public TimeRange Opened { get; init; } = TimeRange.Any;
    /// <summary>Last changed within.</summary>
    public TimeRange Updated { get; init; } = TimeRange.Any;
    /// <summary>Closed within.</summary>
    public TimeRange Closed { get; init; } = TimeRange.Any;
    /// <summary>The category's wire number; 0 for any.</summary>
    public int Category { get; init; }
    /// <summary>Store region code prefix; "" for any.</summary>
    public string RegionPrefix { get; init; } = "";
    /// <summary>Deadline passed or due within this many hours; null for no filter.</summary>
    public int? DeadlineWithinHours { get; init; }
    /// <summary>The order's wire number: 0 or 1 newest first, 2 next deadline.</summary>
    public int Order { get; init; }
}
