using Microsoft.Extensions.Diagnostics.HealthChecks;
using ResolutionGateway.Core.Storage;

namespace ResolutionGateway.Hosting;

/// <summary>Healthy while the store answers.</summary>
internal sealed class StorageHealthCheck(IDisputeStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.ReadFeedHeadAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("storage unreachable", e);
        }
    }
}
