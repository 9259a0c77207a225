using ResolutionGateway.Core.Disputes;

namespace ResolutionGateway.Core.Reporting;

/// <summary>Which date a rollup row counts its disputes under (values match resolution.v1.PeriodBasis).</summary>
public enum PeriodBasis
{
    /// <summary>The reporting day the dispute was opened.</summary>
    Opened = 1,
    /// <summary>The reporting day the dispute was closed.</summary>
    Closed = 2,
}

/// <summary>The time grain of a rollup row.</summary>
public enum RollupGrain
{
    /// <summary>One reporting day; period_day is the day.</summary>
    Day = 1,
    /// <summary>One calendar month; period_day is its first day.</summary>
    Month = 2,
}

/// <summary>
/// Which dimensions a rollup row keeps. Three copies of every figure are kept: region only (one row
/// per county and period, for regional overviews), region × channel × category (for the views
/// that filter or group by those), and per merchant (for scorecards and rankings). A query reads
/// the smallest one that holds its filter and grouping.
/// </summary>
public enum RollupCuboid
{
    /// <summary>Merchant collapsed (merchant_id is "").</summary>
    AllMerchants = 1,
    /// <summary>Per merchant.</summary>
    ByMerchant = 2,
    /// <summary>Region only (channel "", category unspecified, merchant ""): the few rows regional overviews read.</summary>
    RegionOnly = 3,
}

/// <summary>The primary key of a rollup row. Ordered as the table's primary key, which is the order writers lock rows in.</summary>
public sealed record RollupKey(
    RollupCuboid Cuboid, PeriodBasis Basis, RollupGrain Grain, int PeriodDay,
    string RegionCode, string ChannelId, Category Category, string MerchantId)
{
    /// <summary>The primary-key order.</summary>
    public static readonly IComparer<RollupKey> Order = new KeyOrder();

    /// <summary>Monday of the row's week (meaningful for day rows).</summary>
    public int WeekDay => Grain == RollupGrain.Day ? ReportingCalendar.WeekStart(PeriodDay) : 0;

    /// <summary>First day of the row's month.</summary>
    public int MonthDay => ReportingCalendar.MonthStart(PeriodDay);

    private sealed class KeyOrder : IComparer<RollupKey>
    {
        public int Compare(RollupKey? x, RollupKey? y)
        {
            var (self, other) = (x!, y!);
            return self.CompareTo(other);
        }
    }

    private int CompareTo(RollupKey other)
    {
        // Enums compared as ints: Enum.CompareTo boxes, and bulk loads sort millions of keys.
        var c = ((int)Cuboid).CompareTo((int)other.Cuboid);
        if (c == 0) { c = ((int)Basis).CompareTo((int)other.Basis); }
        if (c == 0) { c = ((int)Grain).CompareTo((int)other.Grain); }
        if (c == 0) { c = PeriodDay.CompareTo(other.PeriodDay); }
        if (c == 0) { c = string.CompareOrdinal(RegionCode, other.RegionCode); }
        if (c == 0) { c = string.CompareOrdinal(ChannelId, other.ChannelId); }
        if (c == 0) { c = ((int)Category).CompareTo((int)other.Category); }
        if (c == 0) { c = string.CompareOrdinal(MerchantId, other.MerchantId); }
        return c;
    }
}

/// <summary>An amount to add to one rollup row (may be negative: a dispute leaving a state).</summary>
public sealed record RollupChange(RollupKey Key, long[] Delta);

/// <summary>
/// How a state change moves the rollups. A dispute's vector (<see cref="Measures.Of"/>) is counted
/// in the rows of its opening day and month (basis OPENED), and, once closed, in the rows of its
/// closing day and month (basis CLOSED), each in both cuboids. A change adds vector(after) −
/// vector(before) to the OPENED rows and moves the CLOSED contribution likewise, so the rows
/// always equal the sum over the disputes' current states.
/// </summary>
public static class Rollups
{
    /// <summary>The row changes for a change from <paramref name="before"/> (null for a new dispute) to <paramref name="after"/>, sorted by key, without zero rows.</summary>
    public static IReadOnlyList<RollupChange> Between(Dispute? before, Dispute after)
    {
        // Same rows and the same vector: nothing moves (messages, warnings, rejected offers).
        if (before is not null && before.ClosedAt == after.ClosedAt && before.Status.IsClosed() == after.Status.IsClosed()
            && Measures.Of(before).AsSpan().SequenceEqual(Measures.Of(after)))
        {
            return [];
        }
        var rows = new SortedDictionary<RollupKey, long[]>(RollupKey.Order);
        if (before is not null)
        {
            AddContribution(rows, before, -1);
        }
        AddContribution(rows, after, +1);
        var changes = new List<RollupChange>(rows.Count);
        foreach (var (key, delta) in rows)
        {
            if (Array.Exists(delta, x => x != 0))
            {
                changes.Add(new RollupChange(key, delta));
            }
        }
        return changes;
    }

    /// <summary>Adds <paramref name="sign"/> × the dispute's vector to each row it counts in.</summary>
    public static void AddContribution(IDictionary<RollupKey, long[]> rows, Dispute d, int sign)
    {
        var v = Measures.Of(d);
        foreach (var key in KeysOf(d))
        {
            if (!rows.TryGetValue(key, out var sum))
            {
                rows[key] = sum = new long[Measures.Count];
            }
            for (var i = 0; i < v.Length; i++)
            {
                sum[i] += sign * v[i];
            }
        }
    }

    /// <summary>The rows a dispute counts in (6 while open, 12 once closed).</summary>
    public static IEnumerable<RollupKey> KeysOf(Dispute d)
    {
        var opened = ReportingCalendar.DayOf(d.CreatedAt);
        foreach (var key in KeysAt(d, PeriodBasis.Opened, opened))
        {
            yield return key;
        }
        if (d.Status.IsClosed() && d.ClosedAt is { } closedAt)
        {
            foreach (var key in KeysAt(d, PeriodBasis.Closed, ReportingCalendar.DayOf(closedAt)))
            {
                yield return key;
            }
        }
    }

    private static IEnumerable<RollupKey> KeysAt(Dispute d, PeriodBasis basis, int day)
    {
        var month = ReportingCalendar.MonthStart(day);
        yield return new RollupKey(RollupCuboid.RegionOnly, basis, RollupGrain.Day, day, d.RegionCode, "", Category.Unspecified, "");
        yield return new RollupKey(RollupCuboid.RegionOnly, basis, RollupGrain.Month, month, d.RegionCode, "", Category.Unspecified, "");
        yield return new RollupKey(RollupCuboid.AllMerchants, basis, RollupGrain.Day, day, d.RegionCode, d.ChannelId, d.Category, "");
        yield return new RollupKey(RollupCuboid.AllMerchants, basis, RollupGrain.Month, month, d.RegionCode, d.ChannelId, d.Category, "");
        yield return new RollupKey(RollupCuboid.ByMerchant, basis, RollupGrain.Day, day, d.RegionCode, d.ChannelId, d.Category, d.MerchantId);
        yield return new RollupKey(RollupCuboid.ByMerchant, basis, RollupGrain.Month, month, d.RegionCode, d.ChannelId, d.Category, d.MerchantId);
    }
}
