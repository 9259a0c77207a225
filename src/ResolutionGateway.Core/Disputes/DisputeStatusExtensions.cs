namespace ResolutionGateway.Core.Disputes;

/// <summary>Extensions on <see cref="DisputeStatus"/>.</summary>
public static class DisputeStatusExtensions
{
    /// <summary>True for RESOLVED, UNRESOLVED and WITHDRAWN: nothing but a rating can follow.</summary>
    public static bool IsClosed(this DisputeStatus status) =>
        status is DisputeStatus.Resolved or DisputeStatus.Unresolved or DisputeStatus.Withdrawn;
}
