using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Reporting;

namespace ResolutionGateway.Core.Tests.Reporting;

public sealed class RollupSelectionTests
{
    private static StatsQuery Query(string from, string to, string merchant = "", params GroupDimension[] groupBy) => new(
        new StatsFilter(ReportingCalendar.Parse(from)!.Value, ReportingCalendar.Parse(to)!.Value, PeriodBasis.Opened, "", "", merchant, Category.Unspecified),
        groupBy, 6);

    private static string[] Describe(RollupSelection s) =>
        s.Ranges.Select(r => $"{r.Grain} {ReportingCalendar.Format(r.FromDay)}..{ReportingCalendar.Format(r.ToDay)}").ToArray();

    [Fact]
    public void For_WholeMonth_ReadsOneMonthRow()
    {
        var s = RollupSelection.For(Query("2026-10-01", "2026-10-31", "", GroupDimension.Region));

        Assert.Equal(["Month 2026-10-01..2026-10-01"], Describe(s));
        Assert.Equal(RollupCuboid.RegionOnly, s.Cuboid);
    }

    [Fact]
    public void For_ChannelOrCategoryFilteredOrGrouped_UsesRegionChannelCategoryRows()
    {
        var byCategory = RollupSelection.For(Query("2026-10-01", "2026-10-31", "", GroupDimension.Category));
        var channelFiltered = RollupSelection.For(new StatsQuery(new StatsFilter(
            ReportingCalendar.Parse("2026-10-01")!.Value, ReportingCalendar.Parse("2026-10-31")!.Value, PeriodBasis.Opened, "33", "alipay", "", Category.Unspecified), [], 6));

        Assert.Equal(RollupCuboid.AllMerchants, byCategory.Cuboid);
        Assert.Equal(RollupCuboid.AllMerchants, channelFiltered.Cuboid);
    }

    [Fact]
    public void For_RangeAcrossMonths_UsesMonthsInsideAndDaysAtTheEdges()
    {
        var s = RollupSelection.For(Query("2026-09-15", "2026-12-10"));

        Assert.Equal(["Day 2026-09-15..2026-09-30", "Month 2026-10-01..2026-11-01", "Day 2026-12-01..2026-12-10"], Describe(s));
    }

    [Fact]
    public void For_RangeInsideOneMonth_ReadsDays()
    {
        Assert.Equal(["Day 2026-10-05..2026-10-20"], Describe(RollupSelection.For(Query("2026-10-05", "2026-10-20"))));
    }

    [Fact]
    public void For_WholeYear_ReadsTwelveMonthRowsPerGroup()
    {
        Assert.Equal(["Month 2026-01-01..2026-12-01"], Describe(RollupSelection.For(Query("2026-01-01", "2026-12-31", "", GroupDimension.Month))));
    }

    [Theory]
    [InlineData(GroupDimension.Day)]
    [InlineData(GroupDimension.Week)]
    public void For_GroupedByDayOrWeek_ReadsDaysThroughout(GroupDimension g)
    {
        Assert.Equal(["Day 2026-09-01..2026-10-31"], Describe(RollupSelection.For(Query("2026-09-01", "2026-10-31", "", g))));
    }

    [Fact]
    public void For_MerchantFilteredOrGrouped_UsesPerMerchantRows()
    {
        Assert.Equal(RollupCuboid.ByMerchant, RollupSelection.For(Query("2026-10-01", "2026-10-31", "m1")).Cuboid);
        Assert.Equal(RollupCuboid.ByMerchant, RollupSelection.For(Query("2026-10-01", "2026-10-31", "", GroupDimension.Merchant)).Cuboid);
    }

    [Fact]
    public void For_AnyRange_CoversEveryDayExactlyOnce()
    {
        var random = new Random(7);
        for (var i = 0; i < 500; i++)
        {
            var from = ReportingCalendar.Parse("2025-01-01")!.Value + random.Next(800);
            var to = from + random.Next(400);
            var s = RollupSelection.For(new StatsQuery(new StatsFilter(from, to, PeriodBasis.Opened, "", "", "", Category.Unspecified), [], 6));
            var covered = new List<int>();
            foreach (var r in s.Ranges)
            {
                if (r.Grain == RollupGrain.Day)
                {
                    covered.AddRange(Enumerable.Range(r.FromDay, r.ToDay - r.FromDay + 1));
                    continue;
                }
                for (var m = r.FromDay; m <= r.ToDay; m = ReportingCalendar.NextMonthStart(m))
                {
                    Assert.Equal(m, ReportingCalendar.MonthStart(m));
                    covered.AddRange(Enumerable.Range(m, ReportingCalendar.NextMonthStart(m) - m));
                }
            }
            Assert.Equal(Enumerable.Range(from, to - from + 1), covered.Order());
        }
    }
}
