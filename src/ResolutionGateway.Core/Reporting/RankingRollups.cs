using ResolutionGateway.Core.Disputes;

namespace ResolutionGateway.Core.Reporting;

/// <summary>
/// The primary key of a ranking rollup row (table ranking_rollups), in the table's key order, which
/// is the order writers lock rows in. <see cref="RegionCode"/> is the dispute's region code cut to
/// <see cref="RegionLevel"/> characters ("" at level 0, the whole country).
/// </summary>
public sealed record RankingRollupKey(RollupGrain Grain, int RegionLevel, string RegionCode, int PeriodDay, string MerchantId)
{
    /// <summary>The primary-key order.</summary>
    public static readonly IComparer<RankingRollupKey> Order = Comparer<RankingRollupKey>.Create((x, y) =>
    {
        var c = ((int)x.Grain).CompareTo((int)y.Grain);
        if (c == 0) { c = x.RegionLevel.CompareTo(y.RegionLevel); }
        if (c == 0) { c = string.CompareOrdinal(x.RegionCode, y.RegionCode); }
        if (c == 0) { c = x.PeriodDay.CompareTo(y.PeriodDay); }
        if (c == 0) { c = string.CompareOrdinal(x.MerchantId, y.MerchantId); }
        return c;
    });
}

/// <summary>An amount to add to one ranking rollup row, in <see cref="RankingRollups.Columns"/> order.</summary>
public sealed record RankingRollupChange(RankingRollupKey Key, long[] Delta);

/// <summary>Which ranking rollup rows answer a ranking: one region level and code, whole months from month rows, the rest from day rows.</summary>
/// <param name="Query">The validated statistics query (grouped by merchant) the ranking stands for.</param>
/// <param name="RegionLevel">The level of the rows read: the length of the region prefix (0: the whole country).</param>
/// <param name="Ranges">As <see cref="RollupSelection.Ranges"/>.</param>
public sealed record RankingSelection(StatsQuery Query, int RegionLevel, IReadOnlyList<PeriodRange> Ranges)
{
    /// <summary>The plan for a ranking's query (region prefixes are "", or 2, 4 or 6 digits).</summary>
    public static RankingSelection For(StatsQuery q) =>
        new(q, RankingRollups.LevelOf(q.Filter.RegionPrefix), RollupSelection.For(q).Ranges);
}

/// <summary>
/// The rollup shaped for ListMerchantRankings: per merchant, region (at each prefix level a ranking
/// filters by: the whole country, province, city, county) and period (day and month), basis opened,
/// holding only the measures a ranking line reads (<see cref="Measures"/>). A ranking of any region
/// reads one row per merchant and period (times the MySQL shards), where the general per-merchant
/// rollup (<see cref="RollupCuboid.ByMerchant"/>) holds one per merchant, county, channel and category.
/// A dispute counts in 8 rows (4 levels × 2 grains); a change moves them by vector(after) −
/// vector(before), as <see cref="Rollups"/> does.
/// </summary>
public static class RankingRollups
{
    /// <summary>The region levels kept: prefix lengths a ranking filters by (0 is the whole country).</summary>
    public static readonly IReadOnlyList<int> Levels = [0, 2, 4, 6];

    /// <summary>The measures a ranking line reads (<see cref="MerchantRanking.From"/>), in column order.</summary>
    public static readonly IReadOnlyList<Measure> Measures =
    [
        Reporting.Measures.Opened,
        Reporting.Measures.ResolvedByNegotiation,
        Reporting.Measures.ResolvedByMediation,
        Reporting.Measures.Unresolved,
        Reporting.Measures.FirstResponseOnTime,
        Reporting.Measures.FirstResponseLate,
        Reporting.Measures.Rated,
        Reporting.Measures.RatingSum,
        Reporting.Measures.FirstResponded,
        Reporting.Measures.FirstResponseBuckets,
    ];

    /// <summary>For each ranking column, its index in the full measure vector (<see cref="Reporting.Measures.Of"/>).</summary>
    public static readonly IReadOnlyList<int> VectorIndexes = Measures.SelectMany(m => Enumerable.Range(m.Index, m.Width)).ToArray();

    /// <summary>The columns of ranking_rollups that hold sums (named as in report_rollups).</summary>
    public static readonly IReadOnlyList<string> Columns = VectorIndexes.Select(i => Reporting.Measures.Columns[i]).ToArray();

    /// <summary>The level of the rows a region prefix reads: its length.</summary>
    public static int LevelOf(string regionPrefix) => Levels.Contains(regionPrefix.Length)
        ? regionPrefix.Length
        : throw new ArgumentException($"region prefix of {regionPrefix.Length} characters (2, 4 or 6, or none)", nameof(regionPrefix));

    /// <summary>A region code cut to a level (a shorter code stays as it is).</summary>
    public static string Cut(string regionCode, int level) => regionCode.Length > level ? regionCode[..level] : regionCode;

    /// <summary>The full measure vector of ranking sums (<see cref="Columns"/> order): the other measures are 0.</summary>
    public static long[] ToMeasureVector(ReadOnlySpan<long> rankingSums)
    {
        var v = new long[Reporting.Measures.Count];
        for (var i = 0; i < rankingSums.Length; i++)
        {
            v[VectorIndexes[i]] = rankingSums[i];
        }
        return v;
    }

    /// <summary>The row changes for a change from <paramref name="before"/> (null for a new dispute) to <paramref name="after"/>, sorted by key, without zero rows.</summary>
    public static IReadOnlyList<RankingRollupChange> Between(Dispute? before, Dispute after)
    {
        var rows = new SortedDictionary<RankingRollupKey, long[]>(RankingRollupKey.Order);
        if (before is not null)
        {
            AddContribution(rows, before, -1);
        }
        AddContribution(rows, after, +1);
        return rows.Where(r => Array.Exists(r.Value, x => x != 0)).Select(r => new RankingRollupChange(r.Key, r.Value)).ToArray();
    }

    /// <summary>Adds <paramref name="sign"/> × the dispute's ranking vector to each row it counts in.</summary>
    public static void AddContribution(IDictionary<RankingRollupKey, long[]> rows, Dispute d, int sign)
    {
        var full = Reporting.Measures.Of(d);
        foreach (var key in KeysOf(d))
        {
            if (!rows.TryGetValue(key, out var sum))
            {
                rows[key] = sum = new long[Columns.Count];
            }
            for (var i = 0; i < sum.Length; i++)
            {
                sum[i] += sign * full[VectorIndexes[i]];
            }
        }
    }

    /// <summary>The 8 rows a dispute counts in: its opening day and month, at each region level.</summary>
    public static IEnumerable<RankingRollupKey> KeysOf(Dispute d)
    {
        var day = ReportingCalendar.DayOf(d.CreatedAt);
        var month = ReportingCalendar.MonthStart(day);
        foreach (var level in Levels)
        {
            var region = Cut(d.RegionCode, level);
            yield return new RankingRollupKey(RollupGrain.Day, level, region, day, d.MerchantId);
            yield return new RankingRollupKey(RollupGrain.Month, level, region, month, d.MerchantId);
        }
    }
}
