using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Errors;
using ResolutionGateway.Core.Reporting;
using ResolutionGateway.Core.Tests.TestSupport;
using static ResolutionGateway.Core.Tests.TestSupport.Samples;

namespace ResolutionGateway.Core.Tests.Reporting;

public sealed class RollupsTests
{
    [Fact]
    public void Between_NewDispute_AddsItsVectorToOpeningDayAndMonthInEveryCuboid()
    {
        var script = DisputeScript.Open();

        var rows = Rollups.Between(null, script.State);

        Assert.Equal(6, rows.Count);
        Assert.All(rows, r => Assert.Equal(PeriodBasis.Opened, r.Key.Basis));
        Assert.All(rows, r => Assert.Equal(Measures.Of(script.State), r.Delta));
        var day = ReportingCalendar.Parse("2025-11-11")!.Value;
        var month = ReportingCalendar.Parse("2025-11-01")!.Value;
        Assert.Equal(
            [
                (RollupCuboid.AllMerchants, RollupGrain.Day, day, ""),
                (RollupCuboid.AllMerchants, RollupGrain.Month, month, ""),
                (RollupCuboid.ByMerchant, RollupGrain.Day, day, MerchantId),
                (RollupCuboid.ByMerchant, RollupGrain.Month, month, MerchantId),
                (RollupCuboid.RegionOnly, RollupGrain.Day, day, ""),
                (RollupCuboid.RegionOnly, RollupGrain.Month, month, ""),
            ],
            rows.Select(r => (r.Key.Cuboid, r.Key.Grain, r.Key.PeriodDay, r.Key.MerchantId)));
        Assert.All(rows, r => Assert.Equal(RegionCode, r.Key.RegionCode));
        Assert.All(rows.Where(r => r.Key.Cuboid != RollupCuboid.RegionOnly), r => Assert.Equal((ChannelId, Category.Quality), (r.Key.ChannelId, r.Key.Category)));
        Assert.All(rows.Where(r => r.Key.Cuboid == RollupCuboid.RegionOnly), r => Assert.Equal(("", Category.Unspecified), (r.Key.ChannelId, r.Key.Category)));
    }

    [Fact]
    public void Between_ConsumerMessage_ChangesNoRow()
    {
        var script = DisputeScript.Open();
        var before = script.State;
        script.Then(TimeSpan.FromMinutes(5), (d, now) => DisputeRules.PostMessage(d, Consumer, Message(d), now));

        Assert.Empty(Rollups.Between(before, script.State));
    }

    [Fact]
    public void Between_Closing_MovesOpenedRowsAndAddsClosingRows()
    {
        var script = DisputeScript.Open();
        script.Then(TimeSpan.FromHours(2), (d, now) => DisputeRules.AcceptDemand(d, MerchantActor, AcceptDemand(d), now));
        var before = DisputeScript.Open().State;

        var rows = Rollups.Between(before, script.State);

        Assert.Equal(12, rows.Count);
        var opened = rows.Where(r => r.Key.Basis == PeriodBasis.Opened).ToArray();
        var closed = rows.Where(r => r.Key.Basis == PeriodBasis.Closed).ToArray();
        Assert.Equal(6, opened.Length);
        Assert.All(opened, r => Assert.Equal(0, r.Delta[Measures.Opened.Index]));
        Assert.All(opened, r => Assert.Equal(-1, r.Delta[Measures.StillOpen.Index]));
        Assert.All(opened, r => Assert.Equal(1, r.Delta[Measures.ResolvedByNegotiation.Index]));
        Assert.All(closed, r => Assert.Equal(Measures.Of(script.State), r.Delta));
    }

    [Fact]
    public void Between_RatingAfterClosing_TouchesOnlyRatingInBothBases()
    {
        var script = DisputeScript.Open();
        script.Then(TimeSpan.FromHours(2), (d, now) => DisputeRules.AcceptDemand(d, MerchantActor, AcceptDemand(d), now));
        var before = script.State;
        script.Then(TimeSpan.FromDays(2), (d, now) => DisputeRules.Rate(d, Consumer, Rate(d, 5), now));

        var rows = Rollups.Between(before, script.State);

        Assert.Equal(12, rows.Count);
        foreach (var r in rows)
        {
            var expected = new long[Measures.Count];
            expected[Measures.Rated.Index] = 1;
            expected[Measures.RatingSum.Index] = 5;
            Assert.Equal(expected, r.Delta);
        }
    }

    [Fact]
    public void Between_Rows_AreSortedInPrimaryKeyOrder()
    {
        var script = DisputeScript.Open();
        var before = script.State;
        script.Then(TimeSpan.FromDays(40), (d, now) => DisputeRules.Withdraw(d, Consumer, Withdraw(d), now));

        var rows = Rollups.Between(before, script.State);

        Assert.Equal(rows.Select(r => r.Key).Order(RollupKey.Order), rows.Select(r => r.Key));
        // Opened in November, closed in December: the closing rows are in another month.
        Assert.Contains(rows, r => r.Key is { Basis: PeriodBasis.Closed, Grain: RollupGrain.Month } k && ReportingCalendar.Format(k.PeriodDay) == "2025-12-01");
    }

    // The invariant the rollups rest on: whatever path a dispute takes, the deltas of its changes
    // add up to its final state's contribution (nothing is counted twice or lost).
    [Fact]
    public void Between_RandomLifecycles_DeltasSumToFinalContribution()
    {
        var moves = Enum.GetValues<Move>();
        for (var seed = 1; seed <= 300; seed++)
        {
            var random = new Random(seed);
            var script = DisputeScript.Open(merchantEnrolled: random.Next(10) > 0);
            var sums = new Dictionary<RollupKey, long[]>();
            Accumulate(sums, Rollups.Between(null, script.State));
            for (var step = 0; step < 12; step++)
            {
                var before = script.State;
                var gap = TimeSpan.FromMinutes(random.Next(1, 6 * 24 * 60));
                try
                {
                    if (random.Next(5) == 0)
                    {
                        if (script.TickAt(script.Now + gap) is null)
                        {
                            continue;
                        }
                    }
                    else
                    {
                        var move = moves[random.Next(moves.Length)];
                        script.Then(gap, (d, now) => Moves.Apply(move, d, now));
                    }
                }
                catch (DomainException)
                {
                    continue; // a move the rules refuse in this state
                }
                Accumulate(sums, Rollups.Between(before, script.State));
            }
            var expected = new Dictionary<RollupKey, long[]>();
            Rollups.AddContribution(expected, script.State, +1);
            var nonZero = sums.Where(kv => kv.Value.Any(x => x != 0)).ToDictionary();
            Assert.Equal(expected.Keys.Order(RollupKey.Order), nonZero.Keys.Order(RollupKey.Order));
            foreach (var (key, value) in expected)
            {
                Assert.Equal(value, nonZero[key]);
            }
        }
    }

    private static void Accumulate(Dictionary<RollupKey, long[]> sums, IReadOnlyList<RollupChange> rows)
    {
        foreach (var r in rows)
        {
            if (!sums.TryGetValue(r.Key, out var s))
            {
                sums[r.Key] = s = new long[Measures.Count];
            }
            for (var i = 0; i < s.Length; i++)
            {
                s[i] += r.Delta[i];
            }
        }
    }
}
