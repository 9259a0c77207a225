using System.Globalization;
using ResolutionGateway.Core.Disputes;

namespace ResolutionGateway.Core.Reporting;

/// <summary>A grouping dimension (values match resolution.v1.GroupBy).</summary>
public enum GroupDimension
{
    /// <summary>Not set.</summary>
    Unspecified = 0,
    /// <summary>Region code cut to the query's region level.</summary>
    Region = 1,
    /// <summary>Channel id.</summary>
    Channel = 2,
    /// <summary>Merchant id.</summary>
    Merchant = 3,
    /// <summary>Category.</summary>
    Category = 4,
    /// <summary>Reporting day.</summary>
    Day = 5,
    /// <summary>ISO week (its Monday).</summary>
    Week = 6,
    /// <summary>Calendar month (its first day).</summary>
    Month = 7,
}

/// <summary>Which disputes a statistics query covers. Empty strings and <see cref="Category.Unspecified"/> do not filter.</summary>
public sealed record StatsFilter(
    int FromDay, int ToDay, PeriodBasis Basis, string RegionPrefix, string ChannelId, string MerchantId, Category Category);

/// <summary>A validated statistics query.</summary>
public sealed record StatsQuery(StatsFilter Filter, IReadOnlyList<GroupDimension> GroupBy, int RegionLevel)
{
    /// <summary>True when the merchant dimension is filtered or grouped, so the per-merchant rollups are needed.</summary>
    public bool NeedsMerchant => Filter.MerchantId.Length > 0 || GroupBy.Contains(GroupDimension.Merchant);

    /// <summary>True when the channel or category is filtered or grouped, so region-only rollups do not suffice.</summary>
    public bool NeedsChannelOrCategory => Filter.ChannelId.Length > 0 || Filter.Category != Category.Unspecified
        || GroupBy.Contains(GroupDimension.Channel) || GroupBy.Contains(GroupDimension.Category);

    /// <summary>True when day-level rows are needed throughout (grouping by day or week).</summary>
    public bool NeedsDays => GroupBy.Contains(GroupDimension.Day) || GroupBy.Contains(GroupDimension.Week);
}

/// <summary>A run of periods of one grain: rows with <see cref="FromDay"/> ≤ period_day ≤ <see cref="ToDay"/>.</summary>
public sealed record PeriodRange(RollupGrain Grain, int FromDay, int ToDay);

/// <summary>Which rollup rows answer a query: the smallest cuboid that holds its filter and grouping, whole months from month rows and the rest from day rows.</summary>
public sealed record RollupSelection(StatsQuery Query, RollupCuboid Cuboid, IReadOnlyList<PeriodRange> Ranges)
{
    /// <summary>The plan for a query.</summary>
    public static RollupSelection For(StatsQuery q)
    {
        var cuboid = q.NeedsMerchant ? RollupCuboid.ByMerchant
            : q.NeedsChannelOrCategory ? RollupCuboid.AllMerchants
            : RollupCuboid.RegionOnly;
        var (from, to) = (q.Filter.FromDay, q.Filter.ToDay);
        if (q.NeedsDays)
        {
            return new RollupSelection(q, cuboid, [new PeriodRange(RollupGrain.Day, from, to)]);
        }
        var firstMonth = ReportingCalendar.MonthStart(from) == from ? from : ReportingCalendar.NextMonthStart(from);
        // Whole months are those whose last day is within the range.
        var lastMonth = -1;
        for (var m = firstMonth; ReportingCalendar.NextMonthStart(m) - 1 <= to; m = ReportingCalendar.NextMonthStart(m))
        {
            lastMonth = m;
        }
        if (lastMonth < 0)
        {
            return new RollupSelection(q, cuboid, [new PeriodRange(RollupGrain.Day, from, to)]);
        }
        var ranges = new List<PeriodRange>(3);
        if (from < firstMonth)
        {
            ranges.Add(new PeriodRange(RollupGrain.Day, from, firstMonth - 1));
        }
        ranges.Add(new PeriodRange(RollupGrain.Month, firstMonth, lastMonth));
        var afterLast = ReportingCalendar.NextMonthStart(lastMonth);
        if (afterLast <= to)
        {
            ranges.Add(new PeriodRange(RollupGrain.Day, afterLast, to));
        }
        return new RollupSelection(q, cuboid, ranges);
    }
}

/// <summary>
/// One group's summed measure vector as a store returns it. Keys follow the query's group_by order:
/// region prefix, channel id, merchant id, category number, or a day number (day, week Monday, month's first day).
/// </summary>
public sealed record MeasureRow(IReadOnlyList<string> Keys, long[] Sums);

/// <summary>One grouping value of a result row.</summary>
public sealed record GroupValue(GroupDimension Dimension, string Value);

/// <summary>
/// One group's summed measures, and its keys. The figures reported for it are in <see cref="Figures"/>
/// (definitions on resolution.v1.StatsRow).
/// </summary>
public sealed class StatsRow(IReadOnlyList<GroupValue> keys, long[] sums)
{
    /// <summary>The group.</summary>
    public IReadOnlyList<GroupValue> Keys { get; } = keys;

    /// <summary>The summed measure vector (<see cref="Measures"/> layout).</summary>
    public IReadOnlyList<long> Sums { get; } = sums;

    /// <summary>The sum of a counter measure (a histogram has one sum per bucket: <see cref="SumsOf"/>).</summary>
    public long this[Measure counter] => counter.IsHistogram
        ? throw new ArgumentException($"{counter.Name} is a histogram", nameof(counter))
        : sums[counter.Index];

    /// <summary>The sums of a measure's columns (a histogram's buckets).</summary>
    public ReadOnlySpan<long> SumsOf(Measure m) => sums.AsSpan(m.Index, m.Width);

    /// <summary>Rows of store output, with keys made readable (dates as "YYYY-MM-DD"), ordered by the keys.</summary>
    public static IReadOnlyList<StatsRow> From(StatsQuery q, IEnumerable<MeasureRow> rows) => rows
        .Select(r => new StatsRow(q.GroupBy.Select((g, i) => new GroupValue(g, Readable(g, r.Keys[i]))).ToArray(), r.Sums))
        .OrderBy(r => r, KeyOrder.Instance)
        .ToArray();

    /// <summary>The sum of rows (the total).</summary>
    public static StatsRow Total(IEnumerable<StatsRow> rows)
    {
        var sum = new long[Measures.Count];
        foreach (var r in rows)
        {
            for (var i = 0; i < sum.Length; i++)
            {
                sum[i] += r.Sums[i];
            }
        }
        return new StatsRow([], sum);
    }

    private static string Readable(GroupDimension g, string raw) => g is GroupDimension.Day or GroupDimension.Week or GroupDimension.Month
        ? ReportingCalendar.Format(int.Parse(raw, CultureInfo.InvariantCulture))
        : raw;

    private sealed class KeyOrder : IComparer<StatsRow>
    {
        public static readonly KeyOrder Instance = new();

        public int Compare(StatsRow? x, StatsRow? y)
        {
            for (var i = 0; i < x!.Keys.Count; i++)
            {
                var (a, b) = (x.Keys[i], y!.Keys[i]);
                var c = a.Dimension == GroupDimension.Category
                    ? int.Parse(a.Value, CultureInfo.InvariantCulture).CompareTo(int.Parse(b.Value, CultureInfo.InvariantCulture))
                    : string.CompareOrdinal(a.Value, b.Value);
                if (c != 0)
                {
                    return c;
                }
            }
            return 0;
        }
    }
}

/// <summary>The answer to a statistics query.</summary>
public sealed record StatsResult(IReadOnlyList<StatsRow> Rows, StatsRow Total, StatsFilter EffectiveFilter)
{
    /// <summary>The answer made of a store's sums for <paramref name="query"/>: the rows ordered by their keys, and their total.</summary>
    public static StatsResult From(StatsQuery query, IEnumerable<MeasureRow> sums)
    {
        var rows = StatsRow.From(query, sums);
        return new StatsResult(rows, StatsRow.Total(rows), query.Filter);
    }
}
