using System.Globalization;
using System.Text;
using Dapper;
using ResolutionGateway.Core.Audit;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Infrastructure.Persistence;

namespace ResolutionGateway.Infrastructure.Repositories;

/// <summary>The audit log (audit_events), on either database. Append-only: nothing updates or deletes a row.</summary>
public sealed class AuditRepository(IDatabase db) : IAuditStore
{
    private const string InsertSql = """
        INSERT INTO audit_events (audit_id, occurred_at, key_id, role, rpc, dispute_id, object_id, kind)
        VALUES
        """;

    /// <inheritdoc />
    public Task AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken ct)
    {
        if (entries.Count == 0)
        {
            return Task.CompletedTask;
        }
        // One multi-row INSERT in one transaction (on MySQL one round trip with its COMMIT): the
        // read path queues an entry per unmasked read, so a batch is often hundreds of rows. The
        // integers this code made are literals; the strings are parameters.
        var inv = CultureInfo.InvariantCulture;
        var sql = new StringBuilder(InsertSql);
        var parameters = new Dictionary<string, object?>(entries.Count * 5);
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            sql.Append(i == 0 ? "\n(" : ",\n(")
                .Append(inv, $"@A{i}, {UnixMs.From(e.OccurredAt)}, @K{i}, {(int)e.Role}, @R{i}, @D{i}, @O{i}, {(int)e.Kind})");
            parameters[$"A{i}"] = e.AuditId;
            parameters[$"K{i}"] = e.KeyId;
            parameters[$"R{i}"] = e.Rpc;
            parameters[$"D{i}"] = e.DisputeId;
            parameters[$"O{i}"] = e.ObjectId;
        }
        var batch = new SqlBatch().Add(sql.ToString(), parameters);
        return db.WriteAsync(async tx =>
        {
            await tx.CommitAsync(batch);
            return 0;
        }, ct);
    }

    private const string ListSql = """
        SELECT audit_id, occurred_at, key_id, role, rpc, dispute_id, object_id, kind FROM audit_events
        WHERE (@KeyId = '' OR key_id = @KeyId) AND (@DisputeId = '' OR dispute_id = @DisputeId)
          AND occurred_at >= @From AND occurred_at < @Until AND (@Before = '' OR audit_id < @Before)
        ORDER BY audit_id DESC
        LIMIT @Limit
        """;

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditEntry>> ListAsync(AuditFilter filter, string? beforeId, int limit, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<AuditEntry>>(async (c, t) => (await c.QueryAsync<Row>(new CommandDefinition(ListSql, new
        {
            KeyId = filter.KeyId ?? "",
            DisputeId = filter.DisputeId ?? "",
            From = filter.From is { } f ? UnixMs.From(f) : long.MinValue,
            Until = filter.Until is { } u ? UnixMs.From(u) : long.MaxValue,
            Before = beforeId ?? "",
            Limit = limit,
        }, cancellationToken: t))).Select(r => r.ToEntry()).ToArray(), ct);

    private sealed class Row
    {
        public string audit_id { get; set; } = "";
        public long occurred_at { get; set; }
        public string key_id { get; set; } = "";
        public long role { get; set; }
        public string rpc { get; set; } = "";
        public string dispute_id { get; set; } = "";
        public string object_id { get; set; } = "";
        public long kind { get; set; }

        public AuditEntry ToEntry() => new(audit_id, UnixMs.To(occurred_at), key_id, (CredentialRole)role, rpc, dispute_id, object_id, (AuditKind)kind);
    }
}
