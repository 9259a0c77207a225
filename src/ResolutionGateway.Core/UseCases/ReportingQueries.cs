using System.Runtime.CompilerServices;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Errors;
using ResolutionGateway.Core.Events;
using ResolutionGateway.Core.Reporting;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Core.Validation;

namespace ResolutionGateway.Core.UseCases;

/// <summary>Statistics and outcome export, with the callers' scopes enforced.</summary>
public sealed class ReportingQueries(IReportingStore store)
{
    /// <summary>Longest period a statistics query may cover, in days.</summary>
    public const int MaxPeriodDays = 3700;

    /// <summary>Export records per stream when the caller does not say.</summary>
    public const int DefaultExportLimit = 10_000;

    /// <summary>Most export records per stream.</summary>
    public const int MaxExportLimit = 100_000;

    private const int ExportPage = 500;

    /// <summary>Statistics from the rollups.</summary>
    public async Task<StatsResult> GetStatsAsync(
        Principal p, ReportFilterInput filter, IReadOnlyList<int> groupBy, int regionLevel, CancellationToken ct)
    {
        var query = ValidateStats(p, filter, groupBy, regionLevel);
        return StatsResult.From(query, await store.SumRollupsAsync(RollupSelection.For(query), ct));
    }

    /// <summary>Validates a statistics request and narrows it to the caller's scope.</summary>
    public static StatsQuery ValidateStats(Principal p, ReportFilterInput filter, IReadOnlyList<int> groupBy, int regionLevel)
    {
        RequireReader(p, export: false);
        var v = new Violations();
        var from = RequiredDate(filter.FromDate, "filter.from_date", v);
        var to = RequiredDate(filter.ToDate, "filter.to_date", v);
        if (from is { } f && to is { } t)
        {
            if (t < f)
            {
                v.Add("filter.to_date", "must not be before from_date");
            }
            else if (t - f >= MaxPeriodDays)
            {
                v.Add("filter.to_date", $"at most {MaxPeriodDays} days after from_date");
            }
        }
        if (filter.Basis is not (0 or (int)PeriodBasis.Opened or (int)PeriodBasis.Closed))
        {
            v.Add("filter.basis", "PERIOD_BASIS_OPENED or PERIOD_BASIS_CLOSED");
        }
        var (region, channel, merchant, category) = CommonFilter(filter, v);
        var dimensions = new List<GroupDimension>(groupBy.Count);
        for (var i = 0; i < groupBy.Count; i++)
        {
            var g = (GroupDimension)groupBy[i];
            if (g == GroupDimension.Unspecified || !Enum.IsDefined(g))
            {
                v.Add($"group_by[{i}]", "unknown dimension");
            }
            else if (dimensions.Contains(g))
            {
                v.Add($"group_by[{i}]", "listed twice");
            }
            else
            {
                dimensions.Add(g);
            }
        }
        if (regionLevel is not (0 or 2 or 4 or 6))
        {
            v.Add("region_level", "2, 4 or 6 (0 means 6)");
        }
        v.ThrowIfAny();
        var scoped = Scope(p, new StatsFilter(from!.Value, to!.Value, filter.Basis == 0 ? PeriodBasis.Opened : (PeriodBasis)filter.Basis,
            region, channel, merchant, category));
        return new StatsQuery(scoped, dimensions, regionLevel == 0 ? 6 : regionLevel);
    }

    /// <summary>
    /// Closed disputes after a cursor, partition by partition (each dispute's records in order),
    /// until <paramref name="limit"/> records or everything committed so far.
    /// </summary>
    public async IAsyncEnumerable<ExportItem> ExportAsync(
        Principal p, string afterCursor, ReportFilterInput filter, int limit, [EnumeratorCancellation] CancellationToken ct)
    {
        var (positions, outcomeFilter, max) = ValidateExport(p, afterCursor, filter, limit);
        var sent = 0;
        for (var partition = 0; partition < FeedCursor.Partitions && sent < max; partition++)
        {
            while (sent < max)
            {
                var page = await store.ReadOutcomesAsync(partition, positions[partition], outcomeFilter, Math.Min(ExportPage, max - sent), ct);
                foreach (var item in page)
                {
                    positions[partition] = item.Position;
                    sent++;
                    yield return new ExportItem(item.Outcome, FeedCursor.Encode(positions));
                }
                if (page.Count < ExportPage)
                {
                    break;
                }
            }
        }
    }

    private static (long[] Positions, OutcomeFilter Filter, int Limit) ValidateExport(Principal p, string afterCursor, ReportFilterInput filter, int limit)
    {
        RequireReader(p, export: true);
        var v = new Violations();
        var positions = new long[FeedCursor.Partitions];
        if (afterCursor.Length > 0)
        {
            try
            {
                positions = FeedCursor.Decode(afterCursor);
            }
            catch (ValidationException e)
            {
                foreach (var x in e.Violations)
                {
                    v.Add(x.Field, x.Description);
                }
            }
        }
        var from = OptionalDate(filter.FromDate, "filter.from_date", v);
        var to = OptionalDate(filter.ToDate, "filter.to_date", v);
        if (from is { } f && to is { } t && t < f)
        {
            v.Add("filter.to_date", "must not be before from_date");
        }
        if (limit is < 0 or > MaxExportLimit)
        {
            v.Add("limit", $"0 to {MaxExportLimit} (0 means {DefaultExportLimit})");
        }
        var (region, channel, merchant, category) = CommonFilter(filter, v);
        v.ThrowIfAny();
        var scoped = Scope(p, new StatsFilter(0, 0, PeriodBasis.Closed, region, channel, merchant, category));
        return (positions, new OutcomeFilter(from, to, scoped.RegionPrefix, scoped.ChannelId, scoped.MerchantId, scoped.Category),
            limit == 0 ? DefaultExportLimit : limit);
    }

    private static (string Region, string Channel, string Merchant, Category Category) CommonFilter(ReportFilterInput filter, Violations v)
    {
        if (filter.RegionPrefix.Length > 0 && !Violations.IsRegionPrefix(filter.RegionPrefix))
        {
            v.Add("filter.region_prefix", "a region code prefix of 2, 4 or 6 digits, e.g. 33 or 3301");
        }
        v.Identifier(filter.ChannelId, "filter.channel_id", required: false);
        v.Identifier(filter.MerchantId, "filter.merchant_id", required: false);
        var category = (Category)filter.Category;
        if (!Enum.IsDefined(category))
        {
            v.Add("filter.category", "unknown category");
        }
        return (filter.RegionPrefix, filter.ChannelId, filter.MerchantId, category);
    }

    // Who may read reports: admins, analysts and regulators; merchants and channels their own statistics only.
    private static void RequireReader(Principal p, bool export)
    {
        switch (p.Role)
        {
            case CredentialRole.Admin or CredentialRole.Analyst or CredentialRole.Regulator:
                return;
            case CredentialRole.Merchant or CredentialRole.Channel when !export:
                return;
            case CredentialRole.Merchant or CredentialRole.Channel:
                throw new PermissionDeniedException("merchant and channel credentials may read their statistics, not export outcomes");
            default:
                throw new PermissionDeniedException("this credential may not read reports");
        }
    }

    // The filter narrowed to what the caller may see; asking for more is PERMISSION_DENIED (not a silent narrowing).
    private static StatsFilter Scope(Principal p, StatsFilter f)
    {
        switch (p.Role)
        {
            case CredentialRole.Analyst or CredentialRole.Regulator when p.Scope.Length > 0:
                if (f.RegionPrefix.Length == 0)
                {
                    return f with { RegionPrefix = p.Scope };
                }
                return f.RegionPrefix.StartsWith(p.Scope, StringComparison.Ordinal)
                    ? f
                    : throw new PermissionDeniedException($"this credential may read regions {p.Scope}* only");
            case CredentialRole.Merchant:
                return f.MerchantId.Length == 0 || f.MerchantId == p.Scope
                    ? f with { MerchantId = p.Scope }
                    : throw new PermissionDeniedException("a merchant may read its own statistics only");
            case CredentialRole.Channel:
                return f.ChannelId.Length == 0 || f.ChannelId == p.Scope
                    ? f with { ChannelId = p.Scope }
                    : throw new PermissionDeniedException("a channel may read its own statistics only");
            default:
                return f;
        }
    }

    private static int? RequiredDate(string text, string field, Violations v)
    {
        if (text.Length == 0)
        {
            v.Add(field, "required, YYYY-MM-DD");
            return null;
        }
        return OptionalDate(text, field, v);
    }

    private static int? OptionalDate(string text, string field, Violations v)
    {
        if (text.Length == 0)
        {
            return null;
        }
        var day = ReportingCalendar.Parse(text);
        if (day is null or < 0)
        {
            v.Add(field, "a date YYYY-MM-DD from 1970-01-01 on");
            return null;
        }
        return day;
    }
}
