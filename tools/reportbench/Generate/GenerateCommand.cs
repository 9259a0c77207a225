using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Reporting;
using ResolutionGateway.Infrastructure.MySql;
using ResolutionGateway.Infrastructure.Persistence;
using ResolutionGateway.Tools.ReportBench.Cli;
using ResolutionGateway.Tools.ReportBench.Data;

namespace ResolutionGateway.Tools.ReportBench.Generate;

/// <summary>reportbench generate: (re)creates the bench database and loads a synthetic history.</summary>
internal static class GenerateCommand
{
    public const string Spec = "mysql= disputes= seed= from= to= merchants= rollup-connections= dry-run";

    public static async Task<int> RunAsync(Args args, CancellationToken ct)
    {
        var dryRun = args.Has("dry-run");
        var db = dryRun && args.Get("mysql") is null ? null : BenchDatabase.From(args.Required("mysql"));
        var disputes = args.Int("disputes", 1_000_000, 1, 50_000_000);
        var seed = args.Int("seed", 42, 0, int.MaxValue);
        var fromDate = args.Date("from", new DateOnly(2025, 11, 1));
        var toDate = args.Date("to", new DateOnly(2026, 10, 31));
        var merchantCount = args.Int("merchants", 5000, 50, 1_000_000);
        var rollupConnections = args.Int("rollup-connections", 2, 1, 16);
        if (toDate < fromDate)
        {
            throw new UsageException("--to must not be before --from");
        }
        var total = Stopwatch.StartNew();
        var fromDay = ReportingCalendar.FromDate(fromDate);
        var toDay = ReportingCalendar.FromDate(toDate);
        var rangeStart = DateTimeOffset.FromUnixTimeMilliseconds(ReportingCalendar.StartUnixMs(fromDay));
        var world = new World(seed, merchantCount, rangeStart);
        var history = new History(seed, disputes, fromDay, toDay, world);
        Console.WriteLine($"reportbench generate: {disputes:N0} disputes opened {fromDate:yyyy-MM-dd} … {toDate:yyyy-MM-dd} (Beijing), seed {seed}, " +
            $"{world.Merchants.Count:N0} merchants, {Geography.Counties.Count} counties, {World.Channels.Count} channels" +
            (db is null ? " (dry run: nothing written)" : $", database {db.Name}"));

        Loader? loader = null;
        if (db is not null)
        {
            var phase = Stopwatch.StartNew();
            await db.RecreateAsync(ct);
            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
            await using (var dataSource = new MySqlOptions { ConnectionString = db.ConnectionString }.CreateDataSource())
            {
                var applied = await new MySqlDatabase(dataSource, loggers.CreateLogger<MySqlDatabase>(), TimeProvider.System).InitializeAsync(ct);
                Console.WriteLine($"  schema: database recreated, {applied.Count} migrations applied ({string.Join(", ", applied.Select(m => $"{m.Version:0000}_{m.Name}"))}) in {phase.Elapsed.TotalSeconds:0.0} s");
            }
            loader = new Loader(db);
            phase.Restart();
            await loader.WriteDirectoryAsync(world, rangeStart, ct);
            Console.WriteLine($"  directory: {World.Channels.Count} channels, {world.Merchants.Count(m => m.Enrolled):N0} enrolled merchants, " +
                $"{world.Merchants.Where(m => m.Enrolled).Sum(m => m.Stores.Count):N0} stores in {phase.Elapsed.TotalSeconds:0.0} s");
        }

        var load = Stopwatch.StartNew();
        var tally = new Tally();
        var rollups = new Dictionary<RollupKey, long[]>(4_000_000);
        var disputeBatches = System.Threading.Channels.Channel.CreateBounded<object?[][]>(new BoundedChannelOptions(16) { SingleReader = true, SingleWriter = true });
        var outcomeBatches = System.Threading.Channels.Channel.CreateBounded<object?[][]>(new BoundedChannelOptions(16) { SingleReader = true, SingleWriter = true });
        var disputeWriter = loader is null ? Discard(disputeBatches.Reader) : Task.Run(() => loader.DrainAsync(disputeBatches.Reader, Loader.Disputes, ct), ct);
        var outcomeWriter = loader is null ? Discard(outcomeBatches.Reader) : Task.Run(() => loader.DrainAsync(outcomeBatches.Reader, Loader.Outcomes, ct), ct);
        // Outcome records go to the feed in event-time order: a record is final once no later
        // dispute can precede it, i.e. once its time is before the next day's first opening.
        var pendingOutcomes = new PriorityQueue<(PendingOutcome Outcome, object?[] Row), (long, string, long)>();
        var heads = new long[Core.Events.FeedCursor.Partitions];
        var disputeRows = new List<object?[]>(Loader.RowsPerStatement);
        var outcomeRows = new List<object?[]>(Loader.RowsPerStatement);
        var stillOpen = new List<Dispute>();

        // Days are simulated and serialised in parallel (each its own seeded generator), consumed in order.
        var window = new Queue<Task<(DayBatch Batch, object?[][] Rows, (PendingOutcome, object?[])[] Outcomes)>>();
        var nextDay = fromDay;
        void Schedule()
        {
            while (window.Count < Environment.ProcessorCount + 1 && nextDay <= toDay)
            {
                var day = nextDay++;
                window.Enqueue(Task.Run(() =>
                {
                    var batch = history.Make(day);
                    var rows = batch.Disputes.Select(s => Loader.Disputes.Values(ChangeWriter.RowParameters(s.Final))).ToArray();
                    var outcomes = batch.Disputes.SelectMany(s => s.Outcomes).Select(o => (o, Loader.OutcomeRow(o))).ToArray();
                    return (batch, rows, outcomes);
                }, ct));
            }
        }
        Schedule();
        var lastReport = Stopwatch.StartNew();
        while (window.Count > 0)
        {
            var (batch, rows, outcomes) = await window.Dequeue();
            Schedule();
            foreach (var s in batch.Disputes)
            {
                Rollups.AddContribution(rollups, s.Final, +1);
                tally.Add(s);
                if (!s.Final.Status.IsClosed())
                {
                    stillOpen.Add(s.Final);
                }
            }
            foreach (var row in rows)
            {
                disputeRows.Add(row);
                if (disputeRows.Count == Loader.RowsPerStatement)
                {
                    await disputeBatches.Writer.WriteAsync([.. disputeRows], ct);
                    disputeRows.Clear();
                }
            }
            foreach (var (o, row) in outcomes)
            {
                pendingOutcomes.Enqueue((o, row), (o.At.UtcTicks, o.Record.DisputeId, o.Record.Revision));
            }
            var final = DateTimeOffset.FromUnixTimeMilliseconds(ReportingCalendar.StartUnixMs(batch.Day + 1)).UtcTicks;
            while (pendingOutcomes.TryPeek(out _, out var key) && key.Item1 < final)
            {
                await EmitOutcome(pendingOutcomes.Dequeue());
            }
            if (lastReport.Elapsed.TotalSeconds >= 15)
            {
                lastReport.Restart();
                Console.WriteLine($"  … {ReportingCalendar.Format(batch.Day)}: {tally.Disputes:N0} disputes generated, {load.Elapsed.TotalSeconds:0} s");
            }
        }
        while (pendingOutcomes.Count > 0)
        {
            await EmitOutcome(pendingOutcomes.Dequeue());
        }
        if (disputeRows.Count > 0)
        {
            await disputeBatches.Writer.WriteAsync([.. disputeRows], ct);
        }
        if (outcomeRows.Count > 0)
        {
            await outcomeBatches.Writer.WriteAsync([.. outcomeRows], ct);
        }
        disputeBatches.Writer.Complete();
        outcomeBatches.Writer.Complete();
        var disputesWritten = await disputeWriter;
        var outcomesWritten = await outcomeWriter;
        var disputeSeconds = load.Elapsed.TotalSeconds;
        Console.WriteLine($"  disputes: {disputesWritten:N0} rows, outcome records: {outcomesWritten:N0} rows in {disputeSeconds:0.0} s " +
            $"({disputesWritten / Math.Max(0.001, disputeSeconds):N0} disputes/s)");

        var phaseRollups = Stopwatch.StartNew();
        var sorted = rollups.Select(r => new RollupChange(r.Key, r.Value)).ToArray();
        Array.Sort(sorted, (a, b) => CompareKeys(a.Key, b.Key));
        var sortSeconds = phaseRollups.Elapsed.TotalSeconds;
        var timers = 0;
        if (loader is not null)
        {
            long done = 0;
            var report = Stopwatch.StartNew();
            await loader.WriteRollupsAsync(sorted, rollupConnections, n =>
            {
                var written = Interlocked.Add(ref done, n);
                if (report.Elapsed.TotalSeconds >= 15)
                {
                    report.Restart();
                    Console.WriteLine($"  … rollups {written:N0} / {sorted.Length:N0}, {phaseRollups.Elapsed.TotalSeconds:0} s");
                }
            }, ct);
            timers = await loader.WriteTimersAsync(stillOpen, ct);
            await loader.WriteFeedHeadsAsync(heads, ct);
            var phaseRanking = Stopwatch.StartNew();
            var rankingRows = await loader.RebuildRankingRollupsAsync(ct);
            Console.WriteLine($"  ranking rollup: {rankingRows:N0} rows rebuilt from the per-merchant rollups in {phaseRanking.Elapsed.TotalSeconds:0.0} s");
        }
        Console.WriteLine($"  rollups: {sorted.Length:N0} rows (sorted in {sortSeconds:0.0} s) written in {phaseRollups.Elapsed.TotalSeconds:0.0} s; " +
            $"{timers:N0} deadline timers; feed heads set (max position {heads.Max():N0})");
        Console.WriteLine($"  load time: {load.Elapsed.TotalSeconds:0.0} s (disputes + outcomes {disputeSeconds:0.0} s, rollups {phaseRollups.Elapsed.TotalSeconds:0.0} s); " +
            $"total with schema and directory {total.Elapsed.TotalSeconds:0.0} s");
        Console.WriteLine();
        tally.Print(world, rollups, outcomesWritten);
        return 0;

        async Task EmitOutcome((PendingOutcome Outcome, object?[] Row) item)
        {
            item.Row[Loader.OutcomePositionIndex] = ++heads[item.Outcome.Partition];
            outcomeRows.Add(item.Row);
            if (outcomeRows.Count == Loader.RowsPerStatement)
            {
                await outcomeBatches.Writer.WriteAsync([.. outcomeRows], ct);
                outcomeRows.Clear();
            }
        }
    }

    // RollupKey.Order (the primary-key order) without its enum boxing: same fields, same order, ordinal strings.
    private static int CompareKeys(RollupKey x, RollupKey y)
    {
        var c = ((int)x.Cuboid).CompareTo((int)y.Cuboid);
        if (c == 0) { c = ((int)x.Basis).CompareTo((int)y.Basis); }
        if (c == 0) { c = ((int)x.Grain).CompareTo((int)y.Grain); }
        if (c == 0) { c = x.PeriodDay.CompareTo(y.PeriodDay); }
        if (c == 0) { c = string.CompareOrdinal(x.RegionCode, y.RegionCode); }
        if (c == 0) { c = string.CompareOrdinal(x.ChannelId, y.ChannelId); }
        if (c == 0) { c = ((int)x.Category).CompareTo((int)y.Category); }
        if (c == 0) { c = string.CompareOrdinal(x.MerchantId, y.MerchantId); }
        return c;
    }

    private static async Task<long> Discard(ChannelReader<object?[][]> reader)
    {
        long n = 0;
        await foreach (var batch in reader.ReadAllAsync())
        {
            n += batch.Length;
        }
        return n;
    }

    /// <summary>What the generator made, for the summary.</summary>
    private sealed class Tally
    {
        private readonly Dictionary<DisputeStatus, long> _status = [];
        private readonly Dictionary<EscalationReason, long> _reasons = [];
        private readonly Dictionary<string, long> _cities = new(StringComparer.Ordinal);

        public long Disputes { get; private set; }

        public void Add(SimulatedDispute s)
        {
            var d = s.Final;
            Disputes++;
            _status[d.Status] = _status.GetValueOrDefault(d.Status) + 1;
            _reasons[d.EscalationReason] = _reasons.GetValueOrDefault(d.EscalationReason) + 1;
            var city = d.RegionCode[..4];
            _cities[city] = _cities.GetValueOrDefault(city) + 1;
        }

        public void Print(World world, Dictionary<RollupKey, long[]> rollups, long outcomeRecords)
        {
            var inv = CultureInfo.InvariantCulture;
            // The whole history's figures, from its month rows (merchant cuboid collapsed), as the service would report them.
            var monthRows = rollups.Where(r => r.Key is { Cuboid: RollupCuboid.AllMerchants, Basis: PeriodBasis.Opened, Grain: RollupGrain.Month }).ToArray();
            var total = StatsRow.Total(monthRows.Select(r => new StatsRow([], r.Value)));
            string Pct(double x) => (100 * x).ToString("0.0", inv) + "%";
            string Share(long n) => Pct(n / (double)Math.Max(1, Disputes));
            Console.WriteLine("Generated history");
            Console.WriteLine($"  disputes {Disputes:N0}: " + string.Join(", ", _status.OrderBy(s => s.Key).Select(s => $"{s.Key} {s.Value:N0}")));
            Console.WriteLine($"  outcome records {outcomeRecords:N0} (one per closing, one more per rating); rollup rows {rollups.Count:N0} " +
                $"(by cuboid/grain: {string.Join(", ", rollups.Keys.GroupBy(k => (k.Cuboid, k.Grain)).OrderBy(g => g.Key).Select(g => $"{g.Key.Cuboid}/{g.Key.Grain} {g.Count():N0}"))})");
            var enrolled = world.Merchants.Where(m => m.Enrolled).ToArray();
            Console.WriteLine($"  merchants {world.Merchants.Count:N0} ({enrolled.Length:N0} enrolled), stores {world.Merchants.Sum(m => m.Stores.Count):N0} " +
                $"({enrolled.Sum(m => m.Stores.Count):N0} registered), counties {rollups.Keys.Select(k => k.RegionCode).Distinct().Count()}");
            var byMerchant = rollups.Where(r => r.Key is { Cuboid: RollupCuboid.ByMerchant, Basis: PeriodBasis.Opened, Grain: RollupGrain.Month })
                .GroupBy(r => r.Key.MerchantId).Select(g => g.Sum(r => r.Value[Measures.Opened.Index])).OrderByDescending(n => n).ToArray();
            Console.WriteLine($"  merchant sizes: top 1 {Share(byMerchant[0])}, top 10 {Share(byMerchant.Take(10).Sum())}, top 40 {Share(byMerchant.Take(40).Sum())}, " +
                $"median merchant {byMerchant[byMerchant.Length / 2]:N0} disputes");
            Console.WriteLine("  categories (target → realised): " + string.Join(", ", Simulator.CategoryShares.Select(c =>
                $"{c.Category} {Pct(c.Share)} → {Share(monthRows.Where(r => r.Key.Category == c.Category).Sum(r => r.Value[Measures.Opened.Index]))}")));
            Console.WriteLine("  channels: " + string.Join(", ", World.Channels.Select(ch =>
                $"{ch.Id} {Share(monthRows.Where(r => r.Key.ChannelId == ch.Id).Sum(r => r.Value[Measures.Opened.Index]))}")));
            Console.WriteLine("  cities: " + string.Join(", ", _cities.OrderByDescending(c => c.Value)
                .Select(c => $"{Geography.Cities.First(x => x.Prefix == c.Key).Name} {Share(c.Value)}")));
            var (closed, withdrawn) = (Figures.Closed.Of(total), total[Measures.Withdrawn]);
            Console.WriteLine($"  closed {closed:N0}, concluded {Figures.Concluded.Of(total):N0}, withdrawn {withdrawn:N0} ({Pct(withdrawn / (double)closed)} of closed), still open {total[Measures.StillOpen]:N0}");
            Console.WriteLine($"  negotiation settlement rate {Pct(Figures.NegotiationSettlementRate.Of(total))} (target 85%), resolution rate {Pct(Figures.ResolutionRate.Of(total))} (target 94%), " +
                $"mediation success {Pct(Figures.MediationSuccessRate.Of(total))}");
            Console.WriteLine($"  escalated {Pct(Figures.EscalationRate.Of(total))} of opened: " + string.Join(", ", _reasons.Where(r => r.Key != EscalationReason.Unspecified)
                .OrderBy(r => r.Key).Select(r => $"{r.Key} {Share(r.Value)}")));
            Console.WriteLine($"  first response on time {Pct(Figures.OnTimeFirstResponseRate.Of(total))}, answered same day {Pct(Figures.SameDayAnswerRate.Of(total))} of routed, " +
                $"first response p50 {Figures.FirstResponseP50Seconds.Of(total) / 60.0:0} min / p90 {Figures.FirstResponseP90Seconds.Of(total) / 3600.0:0.0} h, " +
                $"time to close p50 {Figures.TimeToCloseP50Seconds.Of(total) / 3600.0:0.0} h / p90 {Figures.TimeToCloseP90Seconds.Of(total) / 86400.0:0.0} d, closed on time {Pct(Figures.OnTimeCompletionRate.Of(total))}");
            Console.WriteLine($"  rated {Pct(total[Measures.Rated] / (double)closed)} of closed, average {Figures.AverageSatisfaction.Of(total):0.00}; " +
                $"agreed ¥{total[Measures.AgreedFen] / 100.0:N0} in {total[Measures.SettlementsWithAmount]:N0} settlements (refunds ¥{total[Measures.AgreedRefundFen] / 100.0:N0}, compensation ¥{total[Measures.AgreedCompensationFen] / 100.0:N0})");
        }
    }
}
