using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using Grpc.Core;
using MySqlConnector;
using ResolutionGateway.Contracts.V1;
using ResolutionGateway.Core.Reporting;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.UseCases;
using Microsoft.Extensions.Logging.Abstractions;
using ResolutionGateway.Infrastructure.MySql;
using ResolutionGateway.Infrastructure.Repositories;
using ResolutionGateway.Infrastructure.Persistence;
using ResolutionGateway.Reporting.Baseline;
using ResolutionGateway.Tools.ReportBench.Cli;
using ResolutionGateway.Tools.ReportBench.Data;
using CorePeriodBasis = ResolutionGateway.Core.Reporting.PeriodBasis;
using CoreStatsRow = ResolutionGateway.Core.Reporting.StatsRow;

namespace ResolutionGateway.Tools.ReportBench.Bench;

/// <summary>reportbench bench: verify the rollups against the raw GROUP BY, then time both (and the gRPC path).</summary>
internal static class BenchCommand
{
    public const string Spec = "mysql= month= iterations= raw-iterations= grpc gateway-dll= out=";

    private const int WarmUp = 20;
    private const int ShapeRollupRuns = 5;
    private const int RankingRuns = 50;
    private const int RankingMinimum = 10;

    // The province of the regional ranking timing (Zhejiang: the most disputes in the history).
    private const string RankingRegion = "33";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static readonly Principal Caller = new(Core.Security.CredentialRole.Admin, "", "bench");

    /// <summary>A statistics request as the use case takes it.</summary>
    private sealed record Shape(string Name, ReportFilterInput Filter, int[] GroupBy, int RegionLevel);

    /// <summary>The two ways to answer it: the use case on the rollups, and the raw GROUP BY baseline.</summary>
    private sealed record StatsSources(ReportingQueries Rollups, RawReporting Raw);

    public static async Task<int> RunAsync(Args args, CancellationToken ct)
    {
        var db = BenchDatabase.From(args.Required("mysql"));
        var month = args.Month("month", new DateOnly(2026, 10, 1));
        var iterations = args.Int("iterations", 200, 1, 100_000);
        var rawIterations = args.Int("raw-iterations", 10, 1, 1000);
        var withGrpc = args.Has("grpc");
        var outPath = args.Get("out") ?? DefaultOut();
        var dll = args.Get("gateway-dll") ?? Gateway.DefaultDll() ?? "src/ResolutionGateway/bin/Release/net10.0/ResolutionGateway.dll";
        if (withGrpc && !File.Exists(dll))
        {
            throw new UsageException($"gateway not built: {dll} (dotnet build -c Release src/ResolutionGateway, or --gateway-dll)");
        }

        await using var dataSource = new MySqlOptions { ConnectionString = db.ConnectionString }.CreateDataSource();
        var store = new ReportingRepository(new MySqlDatabase(dataSource, NullLogger<MySqlDatabase>.Instance, TimeProvider.System));
        var queries = new StatsSources(new ReportingQueries(store), new RawReporting(async t => await dataSource.OpenConnectionAsync(t), SqlDialect.MySql));
        var rankings = new MerchantRankings(store, new RankingPolicy(RankingMinimum));
        var (from, to) = (month, month.AddMonths(1).AddDays(-1));
        var monthFilter = new ReportFilterInput(Day(from), Day(to), (int)CorePeriodBasis.Opened, "", "", "", 0);
        var main = new Shape($"{month:yyyy-MM}, basis OPENED, by region (level 6)", monthFilter, [(int)GroupDimension.Region], 6);
        var main4 = main with { Name = $"{month:yyyy-MM}, basis OPENED, by region (level 4)", RegionLevel = 4 };

        Console.WriteLine($"reportbench bench: database {db.Name}, month {month:yyyy-MM}, {iterations} rollup iterations, {rawIterations} raw iterations" +
            (withGrpc ? ", gRPC on" : ""));
        var size = await HistorySizeAsync(db, ct);
        PrintSize(size);

        await using var conn = await db.OpenAsync(ct);
        var topMerchant = await conn.QuerySingleOrDefaultAsync<string>(new CommandDefinition("""
            SELECT merchant_id FROM report_rollups WHERE cuboid = 2 AND basis = 1 AND grain = 2 AND period_day = @Day
            GROUP BY merchant_id ORDER BY SUM(opened) DESC, merchant_id LIMIT 1
            """, new { Day = ReportingCalendar.FromDate(month) }, cancellationToken: ct)) ?? "";
        var yearFrom = month.AddMonths(-11);
        Shape[] shapes =
        [
            new($"12 months {yearFrom:yyyy-MM} … {month:yyyy-MM} by month", monthFilter with { FromDate = Day(yearFrom) }, [(int)GroupDimension.Month], 0),
            new($"{month:yyyy-MM} scorecard of merchant {topMerchant} (no grouping)", monthFilter with { MerchantId = topMerchant }, [], 0),
            new($"{month:yyyy-MM} region 33 by category", monthFilter with { RegionPrefix = "33" }, [(int)GroupDimension.Category], 0),
            new($"{month:yyyy-MM}, basis CLOSED, by channel", monthFilter with { Basis = (int)CorePeriodBasis.Closed }, [(int)GroupDimension.Channel], 0),
            new($"{month:yyyy-MM} by day", monthFilter, [(int)GroupDimension.Day], 0),
            new($"{month:yyyy-MM} by merchant (ranking)", monthFilter, [(int)GroupDimension.Merchant], 0),
        ];

        // 1. Verification: the rollup answer must equal the raw GROUP BY answer, sum by sum.
        Console.WriteLine();
        Console.WriteLine("Verification (rollups vs raw GROUP BY, every measure of every row and the total)");
        var verification = new List<VerificationResult>();
        StatsResult? mainResult = null;
        foreach (var shape in new[] { main, main4 }.Concat(shapes))
        {
            var rollup = await Stats(queries, shape, raw: false, ct);
            var raw = await Stats(queries, shape, raw: true, ct);
            mainResult ??= rollup;
            var diffs = Compare(rollup, raw);
            verification.Add(new VerificationResult(shape.Name, rollup.Rows.Count, raw.Rows.Count, rollup.Total[Measures.Opened], raw.Total[Measures.Opened], diffs.Count == 0, diffs.Take(50).ToArray()));
            Console.WriteLine($"  {(diffs.Count == 0 ? "EQUAL   " : "MISMATCH")} {shape.Name}: {rollup.Rows.Count} rows, {rollup.Total[Measures.Opened]:N0} disputes" +
                (diffs.Count == 0 ? "" : $" — {diffs.Count} differences:"));
            foreach (var d in diffs.Take(20))
            {
                Console.WriteLine("      " + d);
            }
        }
        if (!verification[0].Equal || !verification[1].Equal)
        {
            Console.Error.WriteLine("FAILED: the rollups do not answer the benchmark query like the raw GROUP BY; not timing a wrong answer.");
            return 3;
        }

        // 1b. The merchant ranking (ListMerchantRankings) from the rollups against the same ranking
        // built from the raw GROUP BY by merchant: every line, in the same order.
        var rankingInput = new RankingInput("", Day(from), Day(to), 0, MerchantRankings.MaxLimit);
        var ranked = await rankings.ListAsync(Caller, rankingInput, ct);
        var rawByMerchant = await Stats(queries, shapes[^1], raw: true, ct);
        var rawRanked = Core.Reporting.MerchantRanking.Order(rawByMerchant.Rows.Select(r => Core.Reporting.MerchantRanking.From(r.Keys[0].Value, r))
            .Where(l => l.DisputesReceived >= RankingMinimum), Core.Reporting.RankingOrder.Unspecified).Take(MerchantRankings.MaxLimit).ToArray();
        var rankingEqual = ranked.Lines.SequenceEqual(rawRanked);
        verification.Add(new VerificationResult($"{month:yyyy-MM} merchant ranking (ListMerchantRankings, top {MerchantRankings.MaxLimit}, minimum {RankingMinimum})",
            ranked.Lines.Count, rawRanked.Length, ranked.Lines.Sum(l => l.DisputesReceived), rawRanked.Sum(l => l.DisputesReceived), rankingEqual,
            rankingEqual ? [] : [$"first lines: rollups {string.Join(", ", ranked.Lines.Take(3))}; raw {string.Join(", ", rawRanked.Take(3))}"]));
        Console.WriteLine($"  {(rankingEqual ? "EQUAL   " : "MISMATCH")} {verification[^1].Shape}: {ranked.Lines.Count} merchants");

        // 1c. The ranking rollup (today's ListMerchantRankings) against the per-merchant rollups it
        // replaced (LegacyRankingAsync), for the whole country and one province, every order.
        RankingInput[] rankingShapes = [rankingInput, rankingInput with { RegionPrefix = RankingRegion }];
        foreach (var shape in rankingShapes)
        {
            var differing = new List<string>();
            var lines = 0;
            foreach (var order in Enum.GetValues<Core.Reporting.RankingOrder>())
            {
                var input = shape with { OrderBy = (int)order };
                var current = (await rankings.ListAsync(Caller, input, ct)).Lines;
                var legacy = await LegacyRankingAsync(store, input, ct);
                lines += current.Count;
                if (!current.SequenceEqual(legacy))
                {
                    differing.Add($"{order}: ranking rollup {string.Join(", ", current.Take(2))}; per-merchant rollups {string.Join(", ", legacy.Take(2))}");
                }
            }
            verification.Add(new VerificationResult($"{month:yyyy-MM} ranking of {RegionName(shape)}, ranking rollup vs per-merchant rollups, every order_by",
                lines, lines, 0, 0, differing.Count == 0, [.. differing]));
            Console.WriteLine($"  {(differing.Count == 0 ? "EQUAL   " : "MISMATCH")} {verification[^1].Shape}: {lines} lines");
        }

        // 2. What the two queries read (the store's own SQL on one session; handler counters before/after).
        var diagnostics = await DiagnoseAsync(db, main, ct);
        PrintDiagnostics(diagnostics);

        // 3. Timings, interleaved: rollups, gRPC, and now and then the raw GROUP BY.
        var rollupMs = new List<double>();
        var sqlMs = new List<double>();
        await using var sqlConnection = await db.OpenAsync(ct);
        var mainSelection = RollupSelection.For(ReportingQueries.ValidateStats(Caller, main.Filter, main.GroupBy, main.RegionLevel));
        var rawMs = new List<double>();
        var grpcMs = new List<double>();
        var shapeTimings = new List<ShapeTiming>();
        var rankingMs = new List<double>();
        var rankingGrpcMs = new List<double>();
        var rankingTimings = new List<RankingTiming>();
        string? grpcCheck = null;
        var gateway = withGrpc ? await Gateway.StartAsync(db, dll, ct) : null;
        try
        {
            var request = ToRequest(main);
            if (gateway is not null)
            {
                Console.WriteLine();
                Console.WriteLine($"Gateway started (pid {gateway.ProcessId}, {gateway.Url}, MySQL store {db.Name}, analyst key)");
                var response = await gateway.Reporting.GetResolutionStatsAsync(request, gateway.AnalystHeaders, cancellationToken: ct);
                grpcCheck = CompareGrpc(mainResult!, response);
                Console.WriteLine($"  gRPC answer vs store answer: {grpcCheck}");
            }
            Console.WriteLine();
            Console.WriteLine($"Warm-up: {WarmUp} rollup{(gateway is null ? "" : " + gRPC")} calls, 2 raw calls");
            for (var i = 0; i < WarmUp; i++)
            {
                await Stats(queries, main, raw: false, ct);
                if (gateway is not null)
                {
                    await gateway.Reporting.GetResolutionStatsAsync(request, gateway.AnalystHeaders, cancellationToken: ct);
                }
            }
            for (var i = 0; i < 2; i++)
            {
                await Stats(queries, main, raw: true, ct);
            }
            Console.WriteLine($"Measuring: {iterations} × (rollup{(gateway is null ? "" : ", gRPC")}), raw every {Math.Max(1, iterations / rawIterations)} iterations");
            var every = Math.Max(1, iterations / rawIterations);
            for (var i = 0; i < iterations; i++)
            {
                // Alternate which goes first, so neither always runs right after the other.
                if (i % 2 == 0)
                {
                    rollupMs.Add((await Clock.TimeAsync(() => Stats(queries, main, raw: false, ct))).Ms);
                }
                if (gateway is not null)
                {
                    grpcMs.Add((await Clock.TimeAsync(() => gateway.Reporting.GetResolutionStatsAsync(request, gateway.AnalystHeaders, cancellationToken: ct).ResponseAsync)).Ms);
                }
                if (i % 2 == 1)
                {
                    rollupMs.Add((await Clock.TimeAsync(() => Stats(queries, main, raw: false, ct))).Ms);
                }
                sqlMs.Add((await Clock.TimeAsync(() => ReportingSql.SumRollupsAsync(sqlConnection, mainSelection, ct))).Ms);
                if (rawMs.Count < rawIterations && i % every == every / 2)
                {
                    rawMs.Add((await Clock.TimeAsync(() => Stats(queries, main, raw: true, ct))).Ms);
                }
            }
            while (rawMs.Count < rawIterations)
            {
                rawMs.Add((await Clock.TimeAsync(() => Stats(queries, main, raw: true, ct))).Ms);
            }

            // 4. Other shapes, once each for information (rollup: median of a few; raw: one run).
            Console.WriteLine("Other shapes");
            foreach (var shape in shapes)
            {
                var runs = new List<double>();
                StatsResult? answer = null;
                for (var i = 0; i < ShapeRollupRuns; i++)
                {
                    var (r, ms) = await Clock.TimeAsync(() => Stats(queries, shape, raw: false, ct));
                    answer = r;
                    runs.Add(ms);
                }
                var raw = (await Clock.TimeAsync(() => Stats(queries, shape, raw: true, ct))).Ms;
                double? grpc = null;
                string? grpcError = null;
                if (gateway is not null)
                {
                    var req = ToRequest(shape);
                    try
                    {
                        await gateway.Reporting.GetResolutionStatsAsync(req, gateway.AnalystHeaders, cancellationToken: ct);
                        grpc = (await Clock.TimeAsync(() => gateway.Reporting.GetResolutionStatsAsync(req, gateway.AnalystHeaders, cancellationToken: ct).ResponseAsync)).Ms;
                    }
                    catch (RpcException e)
                    {
                        grpcError = $"{e.StatusCode}: {e.Status.Detail}";
                        Console.WriteLine($"  gRPC FAILED for {shape.Name}: {grpcError}; gateway log:");
                        foreach (var line in gateway.Log().Split('\n').TakeLast(25))
                        {
                            Console.WriteLine("    " + line);
                        }
                    }
                }
                var rollupMedian = Summary.Of(shape.Name, runs).MedianMs;
                shapeTimings.Add(new ShapeTiming(shape.Name, answer!.Rows.Count, answer.Total[Measures.Opened], rollupMedian, raw, grpc, raw / rollupMedian,
                    verification.First(v => v.Shape == shape.Name).Equal, grpcError));
                Console.WriteLine($"  {shape.Name}: rollup {rollupMedian:0.0} ms, raw {raw:0.0} ms");
            }
            // 5. The merchant ranking: the use case (store), and end to end over gRPC; then the
            // ranking rollup against the per-merchant rollups it replaced, interleaved, per shape.
            Console.WriteLine("Merchant ranking (ListMerchantRankings)");
            var rankingRequest = new ListMerchantRankingsRequest { FromDate = rankingInput.FromDate, ToDate = rankingInput.ToDate, Limit = 100 };
            for (var i = 0; i < WarmUp; i++)
            {
                await rankings.ListAsync(Caller, rankingInput with { Limit = 100 }, ct);
            }
            for (var i = 0; i < RankingRuns; i++)
            {
                rankingMs.Add((await Clock.TimeAsync(() => rankings.ListAsync(Caller, rankingInput with { Limit = 100 }, ct))).Ms);
                if (gateway is not null)
                {
                    rankingGrpcMs.Add((await Clock.TimeAsync(() => gateway.Reporting.ListMerchantRankingsAsync(rankingRequest, gateway.AnalystHeaders, cancellationToken: ct).ResponseAsync)).Ms);
                }
            }
            foreach (var shape in rankingShapes)
            {
                var input = shape with { Limit = 100 };
                var (current, legacy) = (new List<double>(), new List<double>());
                await LegacyRankingAsync(store, input, ct);
                for (var i = 0; i < RankingRuns; i++)
                {
                    // Alternate which goes first, so neither always runs right after the other.
                    if (i % 2 == 0)
                    {
                        current.Add((await Clock.TimeAsync(() => rankings.ListAsync(Caller, input, ct))).Ms);
                    }
                    legacy.Add((await Clock.TimeAsync(() => LegacyRankingAsync(store, input, ct))).Ms);
                    if (i % 2 == 1)
                    {
                        current.Add((await Clock.TimeAsync(() => rankings.ListAsync(Caller, input, ct))).Ms);
                    }
                }
                var timing = new RankingTiming(RegionName(shape), Summary.Of($"ranking rollup ({RegionName(shape)})", current),
                    Summary.Of($"per-merchant rollups ({RegionName(shape)})", legacy));
                rankingTimings.Add(timing with { LegacyOverCurrent = timing.Legacy.MedianMs / timing.Current.MedianMs });
                Console.WriteLine($"  {RegionName(shape)}: ranking rollup {timing.Current.MedianMs:0.00} ms, per-merchant rollups {timing.Legacy.MedianMs:0.00} ms (medians of {RankingRuns})");
            }
        }
        finally
        {
            if (gateway is not null)
            {
                await gateway.DisposeAsync();
                Console.WriteLine("Gateway stopped (keys revoked)");
            }
        }

        var a0 = Summary.Of("(a0) SQL only: ReportingSql.SumRollupsAsync on an open connection", sqlMs);
        var a = Summary.Of("(a) store: ReportingQueries.GetStatsAsync (rollups)", rollupMs);
        var b = Summary.Of("(b) baseline: RawReporting.GetStatsAsync (raw GROUP BY)", rawMs);
        var c = gateway is null ? null : Summary.Of("(c) gRPC: ReportingService.GetResolutionStats (end to end)", grpcMs);
        var rankingStore = Summary.Of($"(d) store: MerchantRankings.ListAsync ({month:yyyy-MM}, all regions, top 100)", rankingMs);
        var rankingGrpc = gateway is null ? null : Summary.Of($"(e) gRPC: ReportingService.ListMerchantRankings ({month:yyyy-MM}, all regions, top 100)", rankingGrpcMs);
        var rawOverRollup = b.MedianMs / a.MedianMs;
        var rawOverGrpc = c is null ? (double?)null : b.MedianMs / c.MedianMs;
        var result = new BenchResult(
            DateTimeOffset.UtcNow, db.Name, $"{month:yyyy-MM}", main.Name, mainResult!.Total[Measures.Opened], mainResult.Rows.Count, size,
            verification, diagnostics, grpcCheck, [.. new[] { a0, a, b, c, rankingStore, rankingGrpc }.OfType<Summary>()],
            rawOverRollup, rawOverGrpc, a.MedianMs <= 20, c is null ? null : c.MedianMs <= 20, rawOverRollup >= 50, rawOverGrpc is null ? null : rawOverGrpc >= 50,
            shapeTimings, rankingTimings);
        PrintResult(result);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
        await File.WriteAllTextAsync(outPath, JsonSerializer.Serialize(result, JsonOptions), ct);
        Console.WriteLine();
        Console.WriteLine($"Result written to {outPath}");
        return verification.All(v => v.Equal) ? 0 : 3;
    }

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", Inv);

    private static string RegionName(RankingInput input) => input.RegionPrefix.Length == 0 ? "the whole country" : $"region {input.RegionPrefix}";

    // ListMerchantRankings as it was before the ranking rollup: the per-merchant report rollups
    // (one row per merchant, county, channel, category and period) grouped by merchant. The
    // baseline of the ranking timings, kept in this tool only.
    private static async Task<IReadOnlyList<Core.Reporting.MerchantRanking>> LegacyRankingAsync(ReportingRepository store, RankingInput input, CancellationToken ct)
    {
        var query = ReportingQueries.ValidateStats(Caller,
            new ReportFilterInput(input.FromDate, input.ToDate, (int)CorePeriodBasis.Opened, input.RegionPrefix, "", "", 0), [(int)GroupDimension.Merchant], 0);
        var stats = StatsResult.From(query, await store.SumRollupsAsync(RollupSelection.For(query), ct));
        var lines = stats.Rows.Select(r => Core.Reporting.MerchantRanking.From(r.Keys[0].Value, r)).Where(l => l.DisputesReceived >= RankingMinimum);
        return Core.Reporting.MerchantRanking.Order(lines, (Core.Reporting.RankingOrder)input.OrderBy).Take(input.Limit).ToArray();
    }

    private static string DefaultOut() =>
        Path.Combine(Gateway.RepoRoot() ?? Directory.GetCurrentDirectory(), "tools", "reportbench", "results", "latest.json");

    private static Task<StatsResult> Stats(StatsSources queries, Shape s, bool raw, CancellationToken ct) => raw
        ? queries.Raw.GetStatsAsync(Caller, s.Filter, s.GroupBy, s.RegionLevel, ct)
        : queries.Rollups.GetStatsAsync(Caller, s.Filter, s.GroupBy, s.RegionLevel, ct);

    private static GetResolutionStatsRequest ToRequest(Shape s)
    {
        var request = new GetResolutionStatsRequest
        {
            Filter = new ReportFilter
            {
                FromDate = s.Filter.FromDate,
                ToDate = s.Filter.ToDate,
                Basis = (Contracts.V1.PeriodBasis)s.Filter.Basis,
                RegionPrefix = s.Filter.RegionPrefix,
                ChannelId = s.Filter.ChannelId,
                MerchantId = s.Filter.MerchantId,
                Category = (Category)s.Filter.Category,
            },
            RegionLevel = s.RegionLevel,
        };
        request.GroupBy.AddRange(s.GroupBy.Select(g => (GroupBy)g));
        return request;
    }

    private static string RowKey(CoreStatsRow r) => r.Keys.Count == 0 ? "(total)" : string.Join(", ", r.Keys.Select(k => $"{k.Dimension}={k.Value}"));

    // Every measure of every group, and the total; a group present on one side only is a difference too.
    private static List<string> Compare(StatsResult rollup, StatsResult raw)
    {
        var diffs = new List<string>();
        var a = rollup.Rows.ToDictionary(RowKey, StringComparer.Ordinal);
        var b = raw.Rows.ToDictionary(RowKey, StringComparer.Ordinal);
        foreach (var key in a.Keys.Union(b.Keys).Order(StringComparer.Ordinal))
        {
            if (!a.TryGetValue(key, out var x))
            {
                diffs.Add($"{key}: only in the raw answer (opened {b[key][Measures.Opened]})");
            }
            else if (!b.TryGetValue(key, out var y))
            {
                diffs.Add($"{key}: only in the rollup answer (opened {x[Measures.Opened]})");
            }
            else
            {
                CompareSums(key, x.Sums, y.Sums, diffs);
            }
        }
        CompareSums("(total)", rollup.Total.Sums, raw.Total.Sums, diffs);
        if (diffs.Count == 0 && !rollup.Rows.Select(RowKey).SequenceEqual(raw.Rows.Select(RowKey), StringComparer.Ordinal))
        {
            diffs.Add("same groups in a different order");
        }
        return diffs;
    }

    private static void CompareSums(string key, IReadOnlyList<long> rollup, IReadOnlyList<long> raw, List<string> diffs)
    {
        for (var i = 0; i < Measures.Count; i++)
        {
            if (rollup[i] != raw[i])
            {
                diffs.Add($"{key}: {Measures.Columns[i]} rollup {rollup[i]} ≠ raw {raw[i]}");
            }
        }
    }

    // The gRPC answer against the store-level one: same groups in the same order, every figure equal.
    private static string CompareGrpc(StatsResult store, GetResolutionStatsResponse response)
    {
        if (response.Rows.Count != store.Rows.Count)
        {
            return $"MISMATCH: {response.Rows.Count} rows over gRPC, {store.Rows.Count} from the store";
        }
        for (var i = 0; i < store.Rows.Count; i++)
        {
            var (s, g) = (store.Rows[i], response.Rows[i]);
            if (g.Keys.Count != 1 || g.Keys[0].Value != s.Keys[0].Value)
            {
                return $"MISMATCH at row {i} ({RowKey(s)}): keys";
            }
            if (DifferentFigure(s, g) is { } figure)
            {
                return $"MISMATCH at row {i} ({RowKey(s)}): {figure}";
            }
        }
        return DifferentFigure(store.Total, response.Total) is null
            ? $"equal ({response.Rows.Count} rows, {response.Total.Opened:N0} disputes, negotiation settlement rate {response.Total.NegotiationSettlementRate:P1}, resolution rate {response.Total.ResolutionRate:P1})"
            : "MISMATCH in the total";
    }

    // The first figure of resolution.v1.StatsRow whose gRPC value differs from the store's, or null.
    private static string? DifferentFigure(CoreStatsRow store, Contracts.V1.StatsRow grpc) => Figures.Reported
        .Where(f => !Equals(f.ValueOf(store), Contracts.V1.StatsRow.Descriptor.FindFieldByName(f.Name)?.Accessor.GetValue(grpc)))
        .Select(f => f.Name)
        .FirstOrDefault();

    // ---- history size ----

    private static async Task<HistorySize> HistorySizeAsync(BenchDatabase db, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        async Task<long> Count(string table) => await c.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM {table}", cancellationToken: ct));
        var disputes = await Count("disputes");
        var rollups = await Count("report_rollups");
        var outcomes = await Count("dispute_outcomes");
        var tables = (await c.QueryAsync<TableSize>(new CommandDefinition("""
            SELECT TABLE_NAME AS Name, CAST(TABLE_ROWS AS SIGNED) AS EstimatedRows, CAST(DATA_LENGTH AS SIGNED) AS DataBytes, CAST(INDEX_LENGTH AS SIGNED) AS IndexBytes
            FROM information_schema.TABLES WHERE TABLE_SCHEMA = @Db ORDER BY DATA_LENGTH + INDEX_LENGTH DESC
            """, new { Db = db.Name }, cancellationToken: ct))).ToArray();
        var bufferPool = await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT @@innodb_buffer_pool_size", cancellationToken: ct));
        var version = await c.ExecuteScalarAsync<string>(new CommandDefinition("SELECT VERSION()", cancellationToken: ct)) ?? "";
        return new HistorySize(disputes, rollups, outcomes, tables, bufferPool, version);
    }

    private static void PrintSize(HistorySize s)
    {
        Console.WriteLine($"  server {s.ServerVersion}, innodb_buffer_pool_size {s.BufferPoolBytes / 1048576.0:N0} MiB");
        Console.WriteLine($"  rows: disputes {s.Disputes:N0}, report_rollups {s.Rollups:N0}, dispute_outcomes {s.Outcomes:N0}");
        Console.WriteLine("  | table | rows (estimate) | data MiB | index MiB |");
        Console.WriteLine("  | --- | ---: | ---: | ---: |");
        foreach (var t in s.Tables.Where(t => t.DataBytes + t.IndexBytes > 1_000_000))
        {
            Console.WriteLine($"  | {t.Name} | {t.EstimatedRows:N0} | {t.DataBytes / 1048576.0:N1} | {t.IndexBytes / 1048576.0:N1} |");
        }
    }

    // ---- diagnostics ----

    private static async Task<Diagnostics> DiagnoseAsync(BenchDatabase db, Shape main, CancellationToken ct)
    {
        var q = ReportingQueries.ValidateStats(Caller, main.Filter, main.GroupBy, main.RegionLevel);
        var selection = RollupSelection.For(q);
        await using var c = await db.OpenAsync(ct);
        var selected = 0L;
        foreach (var r in selection.Ranges)
        {
            selected += await c.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM report_rollups WHERE cuboid = @Cuboid AND basis = @Basis AND grain = @Grain AND period_day BETWEEN @From AND @To",
                new { Cuboid = (int)selection.Cuboid, Basis = (int)q.Filter.Basis, Grain = (int)r.Grain, From = r.FromDay, To = r.ToDay }, cancellationToken: ct));
        }
        var plan = string.Join("; ", selection.Ranges.Select(r => $"{r.Grain} rows {ReportingCalendar.Format(r.FromDay)} … {ReportingCalendar.Format(r.ToDay)}"));
        var rollupCounters = await CountersAsync(c, () => ReportingSql.SumRollupsAsync(c, selection, ct), ct);
        var rawCounters = await CountersAsync(c, () => RawReporting.SumAsync(c, SqlDialect.MySql, q, ct), ct);
        // Hand-written equivalents of the two statements (same FROM / WHERE / GROUP BY) for the plans.
        var range = selection.Ranges.Single();
        var rollupSql = $"SELECT SUBSTR(region_code, 1, 6), {string.Join(", ", Measures.Columns.Select(m => $"SUM({m})"))} FROM report_rollups " +
            $"WHERE cuboid = {(int)selection.Cuboid} AND basis = 1 AND ((grain = {(int)range.Grain} AND period_day BETWEEN {range.FromDay} AND {range.ToDay})) GROUP BY 1";
        var rawSql = $"SELECT SUBSTR(region_code, 1, 6), COUNT(*), SUM(satisfaction) FROM disputes " +
            $"WHERE created_at >= {ReportingCalendar.StartUnixMs(q.Filter.FromDay)} AND created_at < {ReportingCalendar.StartUnixMs(q.Filter.ToDay + 1)} GROUP BY 1";
        return new Diagnostics(plan, $"cuboid {selection.Cuboid}", selected, rollupCounters, rawCounters,
            await AnalyzeAsync(c, rollupSql, ct), await AnalyzeAsync(c, rawSql, ct));
    }

    private static async Task<Dictionary<string, long>> CountersAsync(MySqlConnection c, Func<Task<IReadOnlyList<MeasureRow>>> run, CancellationToken ct)
    {
        const string sql = """
            SHOW SESSION STATUS WHERE Variable_name LIKE 'Handler_read%' OR Variable_name IN ('Rows_read', 'Created_tmp_tables', 'Created_tmp_disk_tables', 'Sort_rows')
            """;
        async Task<Dictionary<string, long>> Read() => (await c.QueryAsync<(string Name, string Value)>(new CommandDefinition(sql, cancellationToken: ct)))
            .ToDictionary(r => r.Name, r => long.Parse(r.Value, Inv), StringComparer.Ordinal);
        var before = await Read();
        await run();
        var after = await Read();
        // SHOW STATUS itself reads a few rows; the second read's own cost is measured and removed.
        var baseline = await Read();
        var delta = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, value) in after)
        {
            var own = baseline[name] - value;
            var d = value - before.GetValueOrDefault(name) - own;
            if (d != 0)
            {
                delta[name] = d;
            }
        }
        return delta;
    }

    private static async Task<string[]> AnalyzeAsync(MySqlConnection c, string sql, CancellationToken ct)
    {
        var rows = await c.QueryAsync(new CommandDefinition("ANALYZE " + sql, cancellationToken: ct));
        return rows.Cast<IDictionary<string, object>>()
            .Select(r => string.Join(", ", PlanColumns.Where(r.ContainsKey).Select(k => $"{k}={Convert.ToString(r[k], Inv)}")))
            .ToArray();
    }

    private static readonly string[] PlanColumns = ["table", "type", "key", "rows", "r_rows", "filtered", "r_filtered", "Extra"];

    private static void PrintDiagnostics(Diagnostics d)
    {
        Console.WriteLine();
        Console.WriteLine("What the benchmark query reads");
        Console.WriteLine($"  rollup plan (RollupSelection.For): {d.RollupCuboid}, {d.RollupRanges}: {d.RollupRowsSelected:N0} rollup rows");
        Console.WriteLine("  rollup SUM, session counters: " + string.Join(", ", d.RollupCounters.Select(kv => $"{kv.Key} {kv.Value:N0}")));
        Console.WriteLine("  raw GROUP BY, session counters: " + string.Join(", ", d.RawCounters.Select(kv => $"{kv.Key} {kv.Value:N0}")));
        Console.WriteLine("  ANALYZE rollup-equivalent: " + string.Join(" | ", d.RollupPlan));
        Console.WriteLine("  ANALYZE raw-equivalent:    " + string.Join(" | ", d.RawPlan));
    }

    private static void PrintResult(BenchResult r)
    {
        string F(double x) => x.ToString("0.00", Inv);
        Console.WriteLine();
        Console.WriteLine($"## GetResolutionStats, {r.Query}: {r.MonthDisputes:N0} disputes in {r.Rows} rows");
        Console.WriteLine();
        Console.WriteLine("| measurement | n | median ms | p90 ms | min ms | mean ms | max ms |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var s in r.Measurements)
        {
            Console.WriteLine($"| {s.Name} | {s.Count} | {F(s.MedianMs)} | {F(s.P90Ms)} | {F(s.MinMs)} | {F(s.MeanMs)} | {F(s.MaxMs)} |");
        }
        Console.WriteLine();
        Console.WriteLine($"- raw / rollup (store level, medians): **{r.RawOverRollup:0.0}×** (target ≥ 50×: {(r.RatioTargetMetStore ? "met" : "MISSED")})");
        if (r.RawOverGrpc is { } g)
        {
            Console.WriteLine($"- raw / gRPC (medians): **{g:0.0}×** (target ≥ 50×: {(r.RatioTargetMetGrpc == true ? "met" : "MISSED")})");
        }
        Console.WriteLine($"- rollup median ≤ 20 ms: store level {(r.LatencyTargetMetStore ? "met" : "MISSED")}" +
            (r.LatencyTargetMetGrpc is { } l ? $", end to end over gRPC {(l ? "met" : "MISSED")}" : ""));
        Console.WriteLine();
        Console.WriteLine("| other shape (once, for information) | rows | disputes | rollup ms (median of 5) | raw ms (1 run) | gRPC ms (1 run) | raw / rollup | verified |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var s in r.Shapes)
        {
            Console.WriteLine($"| {s.Shape} | {s.Rows} | {s.Disputes:N0} | {F(s.RollupMs)} | {F(s.RawMs)} | {(s.GrpcMs is { } x ? F(x) : s.GrpcError is null ? "–" : "FAILED (" + s.GrpcError + ")")} | {s.RawOverRollup:0.0}× | {(s.Verified ? "equal" : "MISMATCH")} |");
        }
        Console.WriteLine();
        Console.WriteLine($"| ListMerchantRankings, {r.Month}, top 100 ({RankingRuns} calls each, interleaved) | ranking rollup median | p90 | per-merchant rollups median | p90 | ratio |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var t in r.Rankings)
        {
            Console.WriteLine($"| {t.Region} | {F(t.Current.MedianMs)} ms | {F(t.Current.P90Ms)} ms | {F(t.Legacy.MedianMs)} ms | {F(t.Legacy.P90Ms)} ms | {t.LegacyOverCurrent:0.0}× |");
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private sealed record VerificationResult(string Shape, int RollupRows, int RawRows, long RollupOpened, long RawOpened, bool Equal, string[] Differences);

    private sealed record ShapeTiming(string Shape, int Rows, long Disputes, double RollupMs, double RawMs, double? GrpcMs, double RawOverRollup, bool Verified, string? GrpcError);

    private sealed record TableSize(string Name, long EstimatedRows, long DataBytes, long IndexBytes);

    private sealed record HistorySize(long Disputes, long Rollups, long Outcomes, TableSize[] Tables, long BufferPoolBytes, string ServerVersion);

    private sealed record Diagnostics(
        string RollupRanges, string RollupCuboid, long RollupRowsSelected, Dictionary<string, long> RollupCounters, Dictionary<string, long> RawCounters,
        string[] RollupPlan, string[] RawPlan);

    private sealed record BenchResult(
        DateTimeOffset RunAt, string Database, string Month, string Query, long MonthDisputes, int Rows, HistorySize History,
        IReadOnlyList<VerificationResult> Verification, Diagnostics Diagnostics, string? GrpcCheck, IReadOnlyList<Summary> Measurements,
        double RawOverRollup, double? RawOverGrpc, bool LatencyTargetMetStore, bool? LatencyTargetMetGrpc, bool RatioTargetMetStore, bool? RatioTargetMetGrpc,
        IReadOnlyList<ShapeTiming> Shapes, IReadOnlyList<RankingTiming> Rankings);

    /// <summary>A ranking shape timed both ways in the same run (top 100, the month, basis opened).</summary>
    private sealed record RankingTiming(string Region, Summary Current, Summary Legacy, double LegacyOverCurrent = 0);
}
