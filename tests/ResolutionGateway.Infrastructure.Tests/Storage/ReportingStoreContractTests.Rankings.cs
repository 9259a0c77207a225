using ResolutionGateway.Core.Reporting;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.UseCases;
using ResolutionGateway.Infrastructure.Tests.TestSupport;

namespace ResolutionGateway.Infrastructure.Tests.Storage;

public abstract partial class ReportingStoreContractTests<TFixture>
{
    // ---- the merchant ranking (ListMerchantRankings, issue 17) ----

    [Fact]
    public async Task MerchantRankings_RandomHistory_EqualRankingsFromRawGroupByAndFinalStates()
    {
        var random = new Random(20261203);
        var start = new DateTimeOffset(2020, 9, 1, 0, 0, 0, TimeSpan.Zero);
        var channels = Enumerable.Range(0, 2).Select(_ => Samples.Unique("ch")).ToArray();
        var merchants = Enumerable.Range(0, 6).Select(_ => Samples.Unique("m")).ToArray();
        string[] regions = ["740101", "740102", "741201"];
        var finals = new List<Core.Disputes.Dispute>();
        for (var i = 0; i < 90; i++)
        {
            finals.Add(await LiveAsync(random, start.AddMinutes(random.Next(0, 60 * 24 * 60)), Pick(random, channels), Pick(random, merchants), Pick(random, regions)));
        }
        var (from, to) = (ReportingCalendar.Format(ReportingCalendar.DayOf(start) - 1), ReportingCalendar.Format(ReportingCalendar.DayOf(start) + 90));
        var admin = new Principal(CredentialRole.Admin, "", "test");
        var rankings = new MerchantRankings(_reporting, new RankingPolicy(1));
        var rawStats = await _raw.GetStatsAsync(admin, new ReportFilterInput(from, to, (int)PeriodBasis.Opened, "74", "", "", 0), [(int)GroupDimension.Merchant], 0, Ct);
        var fromRaw = rawStats.Rows.Select(r => MerchantRanking.From(r.Keys[0].Value, r)).ToArray();
        var fromFinals = finals.GroupBy(d => d.MerchantId).Select(g => MerchantRanking.From(g.Key,
            new StatsRow([new GroupValue(GroupDimension.Merchant, g.Key)], Sum(g.Select(Measures.Of))))).ToArray();

        foreach (var order in Enum.GetValues<RankingOrder>())
        {
            var result = await rankings.ListAsync(admin, new RankingInput("74", from, to, (int)order, MerchantRankings.MaxLimit), Ct);

            // Only this test's merchants (the database is shared), ranked among themselves.
            Assert.Equal(Ours(fromRaw, order), Ours(result.Lines, order));
            Assert.Equal(Ours(fromFinals, order), Ours(result.Lines, order));
        }
        Assert.Equal(merchants.Length, Ours(fromFinals, RankingOrder.Unspecified).Count);
        // The history must have exercised the figures, or the comparison proves little.
        Assert.Contains(fromFinals, l => l.FirstResponded > 0);
        Assert.Contains(fromFinals, l => l.Concluded > 0);
        Assert.Contains(fromFinals, l => l.Rated > 0);
        Assert.Contains(fromFinals, l => l.Overdue > 0);

        IReadOnlyList<MerchantRanking> Ours(IEnumerable<MerchantRanking> lines, RankingOrder order) =>
            MerchantRanking.Order(lines.Where(l => merchants.Contains(l.MerchantId)).Select(l => l with { Rank = 0 }), order);
    }

    private static long[] Sum(IEnumerable<long[]> vectors)
    {
        var sum = new long[Measures.Count];
        foreach (var v in vectors)
        {
            for (var i = 0; i < v.Length; i++)
            {
                sum[i] += v[i];
            }
        }
        return sum;
    }
}
