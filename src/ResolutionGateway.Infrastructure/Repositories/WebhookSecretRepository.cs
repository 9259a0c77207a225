using Dapper;
using ResolutionGateway.Infrastructure.Persistence;
using ResolutionGateway.Infrastructure.Privacy;

namespace ResolutionGateway.Infrastructure.Repositories;

/// <summary>
/// Keeps every stored webhook secret sealed by the current KEK: seals the plain ones an older
/// version wrote and re-wraps those under a former KEK (rotation). Run at start (with the data keys'
/// rotation) and by the background sealing pass, on every node; each row changes only if it still
/// holds what was read (a racing rotation of the secret wins).
/// </summary>
public sealed class WebhookSecretRepository(IDatabase db, WebhookSecretSealer sealer)
{
    private const string StaleSql = """
        SELECT endpoint_id AS EndpointId, secret AS Secret, previous_secret AS PreviousSecret FROM webhook_endpoints
        WHERE secret NOT LIKE @Current OR (previous_secret IS NOT NULL AND previous_secret NOT LIKE @Current)
        ORDER BY endpoint_id LIMIT @Limit
        """;

    private const string ResealSql = """
        UPDATE webhook_endpoints SET secret = @NewSecret, previous_secret = @NewPrevious
        WHERE endpoint_id = @EndpointId AND secret = @Secret
          AND (previous_secret = @PreviousSecret OR (previous_secret IS NULL AND @PreviousSecret IS NULL))
        """;

    /// <summary>Seals or re-wraps every stale secret, a batch at a time; returns how many endpoints changed.</summary>
    public async Task<int> SealAllAsync(CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var rows = (await db.ReadAsync((c, t) => c.QueryAsync<Row>(new CommandDefinition(StaleSql,
                new { Current = sealer.CurrentPrefix + "%", Limit = 200 }, cancellationToken: t)), ct)).AsList();
            var n = 0;
            foreach (var r in rows)
            {
                n += await db.ExecuteAsync(ResealSql, new
                {
                    r.EndpointId,
                    r.Secret,
                    r.PreviousSecret,
                    NewSecret = sealer.Reseal(r.EndpointId, WebhookRepository.SecretColumn, r.Secret) ?? r.Secret,
                    NewPrevious = sealer.Reseal(r.EndpointId, WebhookRepository.PreviousSecretColumn, r.PreviousSecret) ?? r.PreviousSecret,
                }, ct);
            }
            total += n;
            if (rows.Count < 200 || n == 0)
            {
                return total;
            }
        }
    }

    private sealed class Row
    {
        public string EndpointId { get; set; } = "";
        public string Secret { get; set; } = "";
        public string? PreviousSecret { get; set; }
    }
}
