using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Events;
using ResolutionGateway.Core.Policies;
using ResolutionGateway.Core.Storage;

namespace ResolutionGateway.Core.UseCases;

/// <summary>
/// Fires due deadline timers: escalates missed deadlines and records warnings
/// (<see cref="DisputeRules.Tick"/>). Every node runs it; each timer fires once because the store
/// claims the dispute's row and the rule decides from the state it finds under that claim.
/// </summary>
public sealed class DeadlineEnforcer(IDisputeStore store, IEventHub hub, IRegionPolicyProvider policies, TimeProvider time)
{
    /// <summary>Fires what is due now, up to <paramref name="max"/> disputes; returns how many changed.</summary>
    public async Task<int> RunDueAsync(int max, CancellationToken ct)
    {
        var changed = 0;
        var candidates = await store.FindDueTimersAsync(Clock.Now(time), max, ct);
        foreach (var disputeId in candidates)
        {
            // Time is read under the claim, like every other change, so the log never goes back in time.
            var result = await store.FireTimerAsync(disputeId, Clock.Now(time), d => DisputeRules.Tick(d, Clock.Now(time), policies), ct);
            if (result?.Applied is not null)
            {
                hub.Publish(result.Feed);
                changed++;
            }
        }
        return changed;
    }
}
