using ResolutionGateway.Core.Audit;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Core.Validation;

namespace ResolutionGateway.Core.UseCases;

/// <summary>Reads of the audit log. Admins only.</summary>
public sealed class AuditQueries(IAuditStore store)
{
    /// <summary>A page of entries and the token of the next (older) one ("" when none).</summary>
    public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, string NextPageToken);

    /// <summary>A page of the audit log, newest first. The page token is the last entry's id.</summary>
    public async Task<AuditPage> ListAsync(Principal p, AuditFilter filter, int pageSize, string pageToken, CancellationToken ct)
    {
        AdminCommands.RequireAdmin(p);
        var v = new Violations();
        if (filter.KeyId is { Length: > 0 } keyId && !Ids.IsValid(keyId, "key"))
        {
            v.Add("key_id", "an API key id (key_ followed by 26 characters)");
        }
        if (filter.DisputeId is { Length: > 0 } disputeId && !Ids.IsValid(disputeId, "dsp"))
        {
            v.Add("dispute_id", "a dispute id (dsp_ followed by 26 characters)");
        }
        if (filter.From is { } from && filter.Until is { } until && until < from)
        {
            v.Add("end_time", "must not be before start_time");
        }
        if (pageSize is < 0 or > 500)
        {
            v.Add("page_size", "must be between 0 and 500");
        }
        if (pageToken.Length > 0 && !Ids.IsValid(pageToken, "aud"))
        {
            v.Add("page_token", "not a token from a previous page");
        }
        v.ThrowIfAny();
        var limit = pageSize == 0 ? 100 : pageSize;
        var rows = await store.ListAsync(filter, pageToken.Length == 0 ? null : pageToken, limit + 1, ct);
        var more = rows.Count > limit;
        var page = more ? rows.Take(limit).ToArray() : rows;
        return new AuditPage(page, more ? page[^1].AuditId : "");
    }
}
