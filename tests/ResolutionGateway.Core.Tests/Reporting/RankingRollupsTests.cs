using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Reporting;
using ResolutionGateway.Core.Tests.TestSupport;
using static ResolutionGateway.Core.Tests.TestSupport.Samples;

namespace ResolutionGateway.Core.Tests.Reporting;

/// <summary><see cref="RankingRollups"/>: the rows a dispute counts in, and that they hold every measure a ranking line reads.</summary>
public sealed class RankingRollupsTests
{
    [Fact]
    public void Between_NewDispute_AddsItsRankingVectorToDayAndMonthAtEveryRegionLevel()
    {
        // Arrange
        var script = DisputeScript.Open();
        var full = Measures.Of(script.State);

        // Act
        var rows = RankingRollups.Between(null, script.State);

        // Assert
        var day = ReportingCalendar.Parse("2025-11-11")!.Value;
        var month = ReportingCalendar.Parse("2025-11-01")!.Value;
        Assert.Equal(
            [
                (RollupGrain.Day, 0, "", day), (RollupGrain.Day, 2, RegionCode[..2], day),
                (RollupGrain.Day, 4, RegionCode[..4], day), (RollupGrain.Day, 6, RegionCode, day),
                (RollupGrain.Month, 0, "", month), (RollupGrain.Month, 2, RegionCode[..2], month),
                (RollupGrain.Month, 4, RegionCode[..4], month), (RollupGrain.Month, 6, RegionCode, month),
            ],
            rows.Select(r => (r.Key.Grain, r.Key.RegionLevel, r.Key.RegionCode, r.Key.PeriodDay)));
        Assert.All(rows, r => Assert.Equal(MerchantId, r.Key.MerchantId));
        Assert.All(rows, r => Assert.Equal(RankingRollups.VectorIndexes.Select(i => full[i]), r.Delta));
    }

    [Fact]
    public void Between_ConsumerMessage_ChangesNoRow()
    {
        // Arrange
        var script = DisputeScript.Open();
        var before = script.State;
        script.Then(TimeSpan.FromMinutes(5), (d, now) => DisputeRules.PostMessage(d, Consumer, Message(d), now));

        // Act
        var rows = RankingRollups.Between(before, script.State);

        // Assert
        Assert.Empty(rows);
    }

    [Fact]
    public void Between_SettledByNegotiation_MovesTheOpeningRowsOnly()
    {
        // Arrange
        var before = DisputeScript.Open().State;
        var script = DisputeScript.Open();
        script.Then(TimeSpan.FromHours(2), (d, now) => DisputeRules.AcceptDemand(d, MerchantActor, AcceptDemand(d), now));

        // Act
        var rows = RankingRollups.Between(before, script.State);

        // Assert: the same 8 keys (basis opened only), each moved by vector(after) − vector(before).
        Assert.Equal(RankingRollups.KeysOf(before).Order(RankingRollupKey.Order), rows.Select(r => r.Key));
        var (a, b) = (Measures.Of(script.State), Measures.Of(before));
        Assert.All(rows, r => Assert.Equal(RankingRollups.VectorIndexes.Select(i => a[i] - b[i]), r.Delta));
        Assert.Contains(rows[0].Delta, x => x != 0);
    }

    [Fact]
    public void From_VectorWithOnlyRankingMeasures_EqualsLineFromFullVector()
    {
        // Arrange: random sums in every measure, then the same vector with only the ranking's kept.
        var random = new Random(17);
        for (var n = 0; n < 500; n++)
        {
            var full = Enumerable.Range(0, Measures.Count).Select(_ => (long)random.Next(0, 50)).ToArray();
            var kept = RankingRollups.ToMeasureVector(RankingRollups.VectorIndexes.Select(i => full[i]).ToArray());

            // Act
            var fromFull = MerchantRanking.From("m", new StatsRow([], full));
            var fromKept = MerchantRanking.From("m", new StatsRow([], kept));

            // Assert
            Assert.Equal(fromFull, fromKept);
            Assert.NotEqual(full, kept);
        }
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("33", 2)]
    [InlineData("3301", 4)]
    [InlineData("330106", 6)]
    public void LevelOf_RegionPrefix_ItsLength(string prefix, int level)
    {
        // Act
        var actual = RankingRollups.LevelOf(prefix);

        // Assert
        Assert.Equal(level, actual);
    }

    [Fact]
    public void LevelOf_OddLength_Throws()
    {
        // Act and assert
        Assert.Throws<ArgumentException>(() => RankingRollups.LevelOf("330"));
    }
}
