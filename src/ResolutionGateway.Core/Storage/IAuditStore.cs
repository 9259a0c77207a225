using ResolutionGateway.Core.Audit;

namespace ResolutionGateway.Core.Storage;

/// <summary>The audit log (audit_events): appended by the host, read by ListAuditEvents.</summary>
public interface IAuditStore
{
    /// <summary>Stores <paramref name="entries"/> in one write (one multi-row statement).</summary>
    Task AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken ct);

    /// <summary>Entries matching <paramref name="filter"/>, newest first, with ids below <paramref name="beforeId"/> when given.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAsync(AuditFilter filter, string? beforeId, int limit, CancellationToken ct);
}
