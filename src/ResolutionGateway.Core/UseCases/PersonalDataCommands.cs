using ResolutionGateway.Core.Errors;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Core.Validation;

namespace ResolutionGateway.Core.UseCases;

/// <summary>Requests about consumers' personal data (PIPL art. 47 deletion). Admins only.</summary>
public sealed class PersonalDataCommands(IPersonalDataStore store)
{
    /// <summary>Erases a consumer's personal data; idempotent (a repeat returns the first erasure's time).</summary>
    public async Task<DateTimeOffset> EraseConsumerDataAsync(Principal p, string channelId, string consumerRef, CancellationToken ct)
    {
        AdminCommands.RequireAdmin(p);
        var v = new Violations();
        v.Identifier(channelId, "channel_id");
        v.Identifier(consumerRef, "consumer_ref");
        v.ThrowIfAny();
        return await store.EraseConsumerAsync(channelId, consumerRef, ct)
            ?? throw new NotFoundException("consumer", channelId + "/" + consumerRef);
    }
}
