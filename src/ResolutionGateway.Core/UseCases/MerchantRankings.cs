using ResolutionGateway.Core.Errors;
using ResolutionGateway.Core.Reporting;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Core.Validation;

namespace ResolutionGateway.Core.UseCases;

/// <summary>A ListMerchantRankings request as sent (enums as wire numbers).</summary>
public sealed record RankingInput(string RegionPrefix, string FromDate, string ToDate, int OrderBy, int Limit);

/// <summary>A ranking: its lines best first, the filter applied, the minimum count a merchant needed.</summary>
public sealed record RankingResult(IReadOnlyList<MerchantRanking> Lines, StatsFilter EffectiveFilter, int MinimumDisputes);

/// <summary>How rankings are published: merchants with fewer disputes in the period are left out.</summary>
/// <param name="MinimumDisputes">At least 1.</param>
public sealed record RankingPolicy(int MinimumDisputes);

/// <summary>
/// The merchant ranking (ListMerchantRankings): the ranking rollups of a region and period
/// (disputes opened in it), read as GetResolutionStats grouped by merchant would, ordered by one
/// figure. Admins, analysts and regulators read it within their scope; <see cref="Public"/> stands
/// for a caller without a key when the operator publishes rankings.
/// </summary>
public sealed class MerchantRankings(IReportingStore store, RankingPolicy policy)
{
    /// <summary>Lines per answer when the caller does not say.</summary>
    public const int DefaultLimit = 100;

    /// <summary>Most lines per answer.</summary>
    public const int MaxLimit = 1000;

    /// <summary>The caller of a published ranking without a key: sees every region.</summary>
    public static readonly Principal Public = new(CredentialRole.Unspecified, "", "public");

    /// <summary>The ranking of the merchants of a region in a period.</summary>
    public async Task<RankingResult> ListAsync(Principal p, RankingInput input, CancellationToken ct)
    {
        // Rankings name other merchants: not for merchant or channel keys.
        var reader = p == Public ? new Principal(CredentialRole.Analyst, "", p.KeyId)
            : p.Role is CredentialRole.Admin or CredentialRole.Analyst or CredentialRole.Regulator ? p
            : throw new PermissionDeniedException("rankings are read by admins, analysts and regulators");
        var v = new Violations();
        var order = (RankingOrder)input.OrderBy;
        if (!Enum.IsDefined(order))
        {
            v.Add("order_by", "unknown order");
        }
        if (input.Limit is < 0 or > MaxLimit)
        {
            v.Add("limit", $"0 to {MaxLimit} (0 means {DefaultLimit})");
        }
        StatsQuery query;
        try
        {
            query = ReportingQueries.ValidateStats(reader,
                new ReportFilterInput(input.FromDate, input.ToDate, (int)PeriodBasis.Opened, input.RegionPrefix, "", "", 0),
                [(int)GroupDimension.Merchant], 0);
        }
        catch (ValidationException e)
        {
            // The statistics filter's fields are this request's top-level fields.
            foreach (var x in e.Violations)
            {
                v.Add(x.Field.Replace("filter.", "", StringComparison.Ordinal), x.Description);
            }
            query = null!;
        }
        v.ThrowIfAny();
        // From the ranking rollup (one row per merchant and period at the prefix's level), which holds
        // exactly the measures a line reads: the same lines as the per-merchant rollups grouped by
        // merchant (tools/reportbench times both), without summing every channel and category row.
        var stats = StatsResult.From(query, await store.SumRankingRollupsAsync(RankingSelection.For(query), ct));
        var lines = stats.Rows
            .Select(r => MerchantRanking.From(r.Keys[0].Value, r))
            .Where(l => l.DisputesReceived >= policy.MinimumDisputes);
        var ranked = MerchantRanking.Order(lines, order).Take(input.Limit == 0 ? DefaultLimit : input.Limit).ToArray();
        return new RankingResult(ranked, stats.EffectiveFilter, policy.MinimumDisputes);
    }
}
