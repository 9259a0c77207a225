using ResolutionGateway.Core.Errors;
using ResolutionGateway.Core.Reporting;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Core.UseCases;

namespace ResolutionGateway.Core.Tests.Reporting;

public sealed class ReportingQueriesTests
{
    private static readonly Principal Admin = new(CredentialRole.Admin, "", "k1");

    private static ReportFilterInput October(string region = "", string merchant = "", string channel = "") =>
        new("2026-10-01", "2026-10-31", 0, region, channel, merchant, 0);

    /// <summary>Records what the use case asked for and answers with canned rows.</summary>
    private sealed class RecordingStore(params MeasureRow[] rows) : IReportingStore
    {
        public RollupSelection? Selection { get; private set; }

        public OutcomeFilter? ExportFilter { get; private set; }

        public Task<IReadOnlyList<MeasureRow>> SumRollupsAsync(RollupSelection selection, CancellationToken ct)
        {
            Selection = selection;
            return Task.FromResult<IReadOnlyList<MeasureRow>>(rows);
        }

        public Task<IReadOnlyList<MeasureRow>> SumRankingRollupsAsync(RankingSelection selection, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<MeasureRow>>(rows);

        public Task<IReadOnlyList<PositionedOutcome>> ReadOutcomesAsync(int partition, long afterPosition, OutcomeFilter filter, int limit, CancellationToken ct)
        {
            ExportFilter = filter;
            return Task.FromResult<IReadOnlyList<PositionedOutcome>>([]);
        }
    }

    private static long[] Vector(long opened, long negotiated, long mediated, long unresolved, long withdrawn)
    {
        var v = new long[Measures.Count];
        v[Measures.Opened.Index] = opened;
        v[Measures.ResolvedByNegotiation.Index] = negotiated;
        v[Measures.ResolvedByMediation.Index] = mediated;
        v[Measures.Unresolved.Index] = unresolved;
        v[Measures.Withdrawn.Index] = withdrawn;
        v[Measures.StillOpen.Index] = opened - negotiated - mediated - unresolved - withdrawn;
        return v;
    }

    [Fact]
    public async Task GetStatsAsync_MissingDates_InvalidArgumentNamingBoth()
    {
        var queries = new ReportingQueries(new RecordingStore());

        var e = await Assert.ThrowsAsync<ValidationException>(() =>
            queries.GetStatsAsync(Admin, new ReportFilterInput("", "2026-13-01", 0, "", "", "", 0), [], 0, default));

        Assert.Equal(["filter.from_date", "filter.to_date"], e.Violations.Select(v => v.Field));
    }

    [Theory]
    [InlineData("2026-10-31", "2026-10-01", 0, "", 0, 0, "filter.to_date")]
    [InlineData("2016-01-01", "2026-12-31", 0, "", 0, 0, "filter.to_date")]
    [InlineData("2026-10-01", "2026-10-31", 3, "", 0, 0, "filter.basis")]
    [InlineData("2026-10-01", "2026-10-31", 0, "3", 0, 0, "filter.region_prefix")]
    [InlineData("2026-10-01", "2026-10-31", 0, "33a1", 0, 0, "filter.region_prefix")]
    [InlineData("2026-10-01", "2026-10-31", 0, "", 99, 0, "filter.category")]
    [InlineData("2026-10-01", "2026-10-31", 0, "", 0, 5, "region_level")]
    public async Task GetStatsAsync_BadField_InvalidArgumentOnThatField(string from, string to, int basis, string region, int category, int level, string field)
    {
        var store = new RecordingStore();

        var e = await Assert.ThrowsAsync<ValidationException>(() => new ReportingQueries(store)
            .GetStatsAsync(Admin, new ReportFilterInput(from, to, basis, region, "", "", category), [], level, default));

        Assert.Equal([field], e.Violations.Select(v => v.Field));
        Assert.Null(store.Selection);
    }

    [Fact]
    public async Task GetStatsAsync_GroupByRepeatedOrUnknown_InvalidArgumentPerEntry()
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() => new ReportingQueries(new RecordingStore())
            .GetStatsAsync(Admin, October(), [1, 1, 0, 42], 0, default));

        Assert.Equal(["group_by[1]", "group_by[2]", "group_by[3]"], e.Violations.Select(v => v.Field));
    }

    [Theory]
    [InlineData("", "33")]
    [InlineData("3301", "3301")]
    [InlineData("330106", "330106")]
    public async Task GetStatsAsync_RegionScopedAnalyst_NarrowedToItsPrefix(string asked, string effective)
    {
        var store = new RecordingStore();

        var result = await new ReportingQueries(store).GetStatsAsync(new Principal(CredentialRole.Analyst, "33", "k"), October(asked), [], 0, default);

        Assert.Equal(effective, store.Selection!.Query.Filter.RegionPrefix);
        Assert.Equal(effective, result.EffectiveFilter.RegionPrefix);
    }

    [Theory]
    [InlineData(CredentialRole.Analyst, "33", "42")]
    [InlineData(CredentialRole.Analyst, "3301", "33")]
    [InlineData(CredentialRole.Regulator, "42", "4201x")]
    public async Task GetStatsAsync_RegionOutsideScope_PermissionDenied(CredentialRole role, string scope, string asked)
    {
        var store = new RecordingStore();

        await Assert.ThrowsAnyAsync<DomainException>(() =>
            new ReportingQueries(store).GetStatsAsync(new Principal(role, scope, "k"), October(asked), [], 0, default));

        Assert.Null(store.Selection);
    }

    [Fact]
    public async Task GetStatsAsync_RegionOutsideAnalystScope_IsPermissionDeniedNotValidation()
    {
        await Assert.ThrowsAsync<PermissionDeniedException>(() => new ReportingQueries(new RecordingStore())
            .GetStatsAsync(new Principal(CredentialRole.Analyst, "33", "k"), October("42"), [], 0, default));
    }

    [Fact]
    public async Task GetStatsAsync_UnscopedAnalyst_SeesEveryRegion()
    {
        var store = new RecordingStore();

        await new ReportingQueries(store).GetStatsAsync(new Principal(CredentialRole.Analyst, "", "k"), October(), [], 0, default);

        Assert.Equal("", store.Selection!.Query.Filter.RegionPrefix);
    }

    [Fact]
    public async Task GetStatsAsync_Merchant_FilteredToItselfAndDeniedOthers()
    {
        var store = new RecordingStore();
        var merchant = new Principal(CredentialRole.Merchant, "m1", "k");
        var queries = new ReportingQueries(store);

        await queries.GetStatsAsync(merchant, October(), [], 0, default);
        Assert.Equal("m1", store.Selection!.Query.Filter.MerchantId);
        Assert.Equal(RollupCuboid.ByMerchant, store.Selection.Cuboid);

        await Assert.ThrowsAsync<PermissionDeniedException>(() => queries.GetStatsAsync(merchant, October(merchant: "m2"), [], 0, default));
    }

    [Fact]
    public async Task GetStatsAsync_Channel_FilteredToItselfAndDeniedOthers()
    {
        var store = new RecordingStore();
        var channel = new Principal(CredentialRole.Channel, "alipay", "k");
        var queries = new ReportingQueries(store);

        await queries.GetStatsAsync(channel, October(), [], 0, default);
        Assert.Equal("alipay", store.Selection!.Query.Filter.ChannelId);

        await Assert.ThrowsAsync<PermissionDeniedException>(() => queries.GetStatsAsync(channel, October(channel: "wechat"), [], 0, default));
    }

    [Theory]
    [InlineData(CredentialRole.Merchant, "m1")]
    [InlineData(CredentialRole.Channel, "alipay")]
    public async Task ExportAsync_MerchantOrChannel_PermissionDenied(CredentialRole role, string scope)
    {
        var queries = new ReportingQueries(new RecordingStore());

        await Assert.ThrowsAsync<PermissionDeniedException>(async () =>
        {
            await foreach (var unused in queries.ExportAsync(new Principal(role, scope, "k"), "", October(), 0, default))
            {
            }
        });
    }

    [Fact]
    public async Task ExportAsync_BadCursorAndLimit_InvalidArgument()
    {
        var queries = new ReportingQueries(new RecordingStore());

        var e = await Assert.ThrowsAsync<ValidationException>(async () =>
        {
            await foreach (var unused in queries.ExportAsync(Admin, "not-a-cursor", October(), 100_001, default))
            {
            }
        });

        Assert.Equal(["after_cursor", "limit"], e.Violations.Select(v => v.Field));
    }

    [Fact]
    public async Task ExportAsync_RegulatorWithoutPrefix_FilteredToItsRegion()
    {
        var store = new RecordingStore();

        await foreach (var unused in new ReportingQueries(store).ExportAsync(new Principal(CredentialRole.Regulator, "42", "k"), "",
            new ReportFilterInput("", "", 0, "", "", "", 0), 0, default))
        {
        }

        Assert.Equal("42", store.ExportFilter!.RegionPrefix);
        Assert.Null(store.ExportFilter.FromDay);
    }

    [Fact]
    public async Task GetStatsAsync_Rows_OrderedByKeysWithTotalAndRates()
    {
        var store = new RecordingStore(
            new MeasureRow(["10", "42"], Vector(10, 8, 1, 1, 0)),
            new MeasureRow(["2", "42"], Vector(20, 17, 0, 3, 0)),
            new MeasureRow(["2", "33"], Vector(100, 80, 8, 2, 10)));

        var result = await new ReportingQueries(store).GetStatsAsync(Admin, October(), [(int)GroupDimension.Category, (int)GroupDimension.Region], 2, default);

        Assert.Equal(["2/33", "2/42", "10/42"], result.Rows.Select(r => $"{r.Keys[0].Value}/{r.Keys[1].Value}"));
        Assert.Equal(130, result.Total[Measures.Opened]);
        var hangzhou = result.Rows[0];
        Assert.Equal(90, Figures.Concluded.Of(hangzhou));
        Assert.Equal(100, Figures.Closed.Of(hangzhou));
        Assert.Equal(80 / 90.0, Figures.NegotiationSettlementRate.Of(hangzhou), 12);
        Assert.Equal(88 / 90.0, Figures.ResolutionRate.Of(hangzhou), 12);
        Assert.Equal(8 / 10.0, Figures.MediationSuccessRate.Of(hangzhou), 12);
        Assert.Equal(0, Figures.MediationSuccessRate.Of(result.Rows[1]));
        Assert.Equal(2, store.Selection!.Query.RegionLevel);
    }

    [Fact]
    public async Task GetStatsAsync_NothingMatches_EmptyRowsAndZeroTotal()
    {
        var result = await new ReportingQueries(new RecordingStore()).GetStatsAsync(Admin, October(), [], 0, default);

        Assert.Empty(result.Rows);
        Assert.Equal(0, result.Total[Measures.Opened]);
        Assert.Equal(0, Figures.ResolutionRate.Of(result.Total));
    }
}
