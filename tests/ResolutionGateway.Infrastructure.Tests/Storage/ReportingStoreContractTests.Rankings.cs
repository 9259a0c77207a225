using Dapper;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Reporting;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.Storage;
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

    [Fact]
    public async Task MerchantRankings_EveryRegionLevelAndPartialMonths_EqualRankingsFromRawGroupBy()
    {
        // Arrange: a history over three months of a year no other test uses, read from the middle
        // of the first month to the middle of the last (day rows, a whole month row, day rows).
        var random = new Random(20261217);
        var start = new DateTimeOffset(2019, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var channels = Enumerable.Range(0, 2).Select(_ => Samples.Unique("ch")).ToArray();
        var merchants = Enumerable.Range(0, 5).Select(_ => Samples.Unique("m")).ToArray();
        string[] regions = ["740301", "740302", "740401", "751101"];
        for (var i = 0; i < 80; i++)
        {
            await LiveAsync(random, start.AddMinutes(random.Next(0, 60 * 24 * 88)), Pick(random, channels), Pick(random, merchants), Pick(random, regions));
        }
        var (from, to) = (ReportingCalendar.Format(ReportingCalendar.DayOf(start) + 12), ReportingCalendar.Format(ReportingCalendar.DayOf(start) + 75));
        var admin = new Principal(CredentialRole.Admin, "", "test");
        var rankings = new MerchantRankings(_reporting, new RankingPolicy(1));
        var compared = 0;

        foreach (var prefix in new[] { "", "74", "7403", "740301", "75" })
        {
            var rawStats = await _raw.GetStatsAsync(admin, new ReportFilterInput(from, to, (int)PeriodBasis.Opened, prefix, "", "", 0), [(int)GroupDimension.Merchant], 0, Ct);
            var fromRaw = rawStats.Rows.Select(r => MerchantRanking.From(r.Keys[0].Value, r)).ToArray();
            foreach (var order in Enum.GetValues<RankingOrder>())
            {
                // Act
                var result = await rankings.ListAsync(admin, new RankingInput(prefix, from, to, (int)order, MerchantRankings.MaxLimit), Ct);

                // Assert: only this test's merchants (the database is shared), ranked among themselves.
                var expected = Ours(fromRaw, order);
                Assert.Equal(expected, Ours(result.Lines, order));
                compared += expected.Count;
            }
        }
        Assert.True(compared > 5 * 7 * 2, $"only {compared} lines compared");

        IReadOnlyList<MerchantRanking> Ours(IEnumerable<MerchantRanking> lines, RankingOrder order) =>
            MerchantRanking.Order(lines.Where(l => merchants.Contains(l.MerchantId)).Select(l => l with { Rank = 0 }), order);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(9 * 24 * 60)] // 12 disputes over 99 days: the rebuild's month chunks, day and month rows
    public async Task InitializeAsync_RankingRollupDroppedAndMigration16Again_RebuildsTheSameRankings(int minutesApart)
    {
        // Arrange: a database of its own with live-written ranking rows (open, settled, rated).
        await using var db = await fixture.CreateDatabaseAtVersionAsync(1, Ct);
        await db.MigrateAsync(Ct);
        var (rankings, inputs, live) = await LiveRankingsAsync(db, minutesApart);
        await using (var c = await db.OpenConnectionAsync(Ct))
        {
            await c.ExecuteAsync(new CommandDefinition("DROP TABLE ranking_rollups", cancellationToken: Ct));
            await c.ExecuteAsync(new CommandDefinition("DELETE FROM schema_migrations WHERE version = 16", cancellationToken: Ct));
        }

        // Act
        var applied = await db.MigrateAsync(Ct);

        // Assert
        Assert.Equal(16, Assert.Single(applied).Version);
        Assert.Equal(12, live[0].Sum(l => l.DisputesReceived));
        Assert.Contains(live[0], l => l.Rated > 0 && l.Concluded > 0);
        for (var i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(live[i], (await rankings.ListAsync(RankingAdmin, inputs[i], Ct)).Lines);
        }
    }

    [Fact]
    public async Task InitializeAsync_NodeStoppedAfterMigration16BeforeItsDataStep_RunsTheStepAtTheNextStart()
    {
        // Arrange: migration 16 recorded, its rebuild owed and not done (the node stopped between
        // the script's commit and the data steps' commit; MySQL's DDL commits on its own).
        await using var db = await fixture.CreateDatabaseAtVersionAsync(1, Ct);
        await db.MigrateAsync(Ct);
        var (rankings, inputs, live) = await LiveRankingsAsync(db, 9 * 24 * 60);
        await using (var c = await db.OpenConnectionAsync(Ct))
        {
            Assert.Equal(0, await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM schema_data_steps", cancellationToken: Ct)));
            await c.ExecuteAsync(new CommandDefinition("DELETE FROM ranking_rollups", cancellationToken: Ct));
            await c.ExecuteAsync(new CommandDefinition("INSERT INTO schema_data_steps (version, owed_at) VALUES (16, 0)", cancellationToken: Ct));
        }
        Assert.Empty((await rankings.ListAsync(RankingAdmin, inputs[0], Ct)).Lines);

        // Act
        var applied = await db.MigrateAsync(Ct);

        // Assert: no script again, the owed step done once and no longer owed.
        Assert.Empty(applied);
        for (var i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(live[i], (await rankings.ListAsync(RankingAdmin, inputs[i], Ct)).Lines);
        }
        await using (var c = await db.OpenConnectionAsync(Ct))
        {
            Assert.Equal(0, await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM schema_data_steps", cancellationToken: Ct)));
        }
    }

    private static readonly Principal RankingAdmin = new(CredentialRole.Admin, "", "test");

    // Twelve disputes of two merchants in three counties, written live (a third of them settled
    // and rated), opened minutesApart apart up to now; the rankings of RebuildPrefixes over them.
    private async Task<(MerchantRankings Rankings, RankingInput[] Inputs, List<IReadOnlyList<MerchantRanking>> Live)> LiveRankingsAsync(
        ScratchDatabase db, int minutesApart)
    {
        var now = Samples.Now();
        var merchants = new[] { Samples.Unique("m"), Samples.Unique("m") };
        string[] regions = ["740101", "740102", "741201"];
        for (var i = 0; i < 12; i++)
        {
            var opened = Samples.OpenAt(now.AddMinutes(-minutesApart * (11 - i)), Samples.Unique("ch"), Samples.Unique("c"), merchants[i % 2], regions[i % 3]);
            Assert.Equal(CreateOutcome.Created, (await db.Disputes.CreateAsync(opened, Samples.OpenRequest(opened), Ct)).Outcome);
            if (i % 3 == 0)
            {
                var at = opened.State.CreatedAt.AddMinutes(30);
                Assert.NotNull((await db.Disputes.MutateAsync(opened.State.DisputeId, Samples.Request(Samples.Unique("req")), d =>
                    DisputeRules.AcceptDemand(d, new Actor(ActorRole.Merchant, d.MerchantId), new AcceptDemandCommand(Samples.Unique("r"), d.DisputeId, ""), at), Ct))?.Applied);
                Assert.NotNull((await db.Disputes.MutateAsync(opened.State.DisputeId, Samples.Request(Samples.Unique("req")), d =>
                    DisputeRules.Rate(d, Consumer(d), new RateResolutionCommand(Samples.Unique("r"), d.DisputeId, 4, ""), at.AddMinutes(1)), Ct))?.Applied);
            }
        }
        var rankings = new MerchantRankings(db.Reporting, new RankingPolicy(1));
        var first = ReportingCalendar.Format(ReportingCalendar.DayOf(now.AddMinutes(-minutesApart * 11)));
        var day = ReportingCalendar.Format(ReportingCalendar.DayOf(now));
        var inputs = RebuildPrefixes.Select(p => new RankingInput(p, first, day, 0, 100)).ToArray();
        var live = new List<IReadOnlyList<MerchantRanking>>();
        foreach (var input in inputs)
        {
            live.Add((await rankings.ListAsync(RankingAdmin, input, Ct)).Lines);
        }
        return (rankings, inputs, live);
    }

    private static readonly string[] RebuildPrefixes = ["", "74", "7401", "740102"];

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
