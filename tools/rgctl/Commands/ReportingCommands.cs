using System.Text;
using Google.Protobuf;
using Grpc.Core;
using ResolutionGateway.Contracts.V1;
using ResolutionGateway.Tools.Rgctl.Cli;
using ResolutionGateway.Tools.Rgctl.Output;

namespace ResolutionGateway.Tools.Rgctl.Commands;

/// <summary>stats (GetResolutionStats) and export (ExportOutcomes).</summary>
internal static class ReportingCommands
{
    private const string DefaultChart = "resolution_rate";
    private const int DefaultExportLimit = 10_000;

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// One JSON object per line: no indentation; proto JSON names, enums by name; every field, defaults
    /// included (a warehouse load should see an unrated 0 or a false flag, not a missing column).
    /// </summary>
    private static readonly JsonFormatter JsonLines = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public static async Task<int> Rankings(string[] argv)
    {
        var args = ArgReader.Parse("rankings", argv, "from= to= region= order-by= limit= public json");
        args.AllowPositionals(0);
        var request = new ListMerchantRankingsRequest
        {
            FromDate = args.Require("from"),
            ToDate = args.Require("to"),
            RegionPrefix = args.Get("region") ?? string.Empty,
            OrderBy = args.GetEnum<RankingOrder>("order-by") ?? RankingOrder.Unspecified,
            Limit = args.GetInt32("limit") ?? 0,
        };

        using var connection = Connection.Open(args);
        var client = args.Has("public") ? connection.AnonymousReporting() : connection.Reporting();
        var response = await client.ListMerchantRankingsAsync(request);
        if (args.Has("json"))
        {
            Printer.PrintJson(response);
            return 0;
        }

        var region = response.EffectiveRegionPrefix.Length == 0 ? "all regions" : "region " + response.EffectiveRegionPrefix;
        Console.WriteLine($"{request.FromDate} .. {request.ToDate}, {region}, by {EnumNames.Name(request.OrderBy == RankingOrder.Unspecified ? RankingOrder.NegotiationSettlementRate : request.OrderBy)}; " +
            $"merchants with at least {response.MinimumDisputes} disputes");
        if (response.Rankings.Count == 0)
        {
            Console.WriteLine("(no merchants)");
            return 0;
        }

        Console.WriteLine($"{"rank",4}  {"merchant",-24} {"received",8} {"median 1st resp",15} {"on time",7} {"settled",7} {"overdue",7} {"satisf.",7}");
        foreach (var l in response.Rankings)
        {
            var median = l.FirstResponded == 0 ? "-" : TimeSpan.FromSeconds(l.FirstResponseMedianSeconds).ToString(@"d\.hh\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture);
            var satisfaction = l.Rated == 0 ? "-" : l.AverageSatisfaction.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
            Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{l.Rank,4}  {l.MerchantId,-24} {l.DisputesReceived,8} {median,15} {l.OnTimeFirstResponseRate,7:P0} {l.NegotiationSettlementRate,7:P0} {l.Overdue,7} {satisfaction,7}"));
        }

        return 0;
    }

    public static async Task<int> Stats(string[] argv)
    {
        var args = ArgReader.Parse(
            "stats",
            argv,
            "from= to= basis= region= channel= merchant= category= group-by= region-level= chart= csv= json");
        args.AllowPositionals(0);
        var filter = Filter(args);
        filter.FromDate = args.Require("from");
        filter.ToDate = args.Require("to");
        filter.Basis = args.GetEnum<PeriodBasis>("basis") ?? PeriodBasis.Unspecified;
        var request = new GetResolutionStatsRequest { Filter = filter, RegionLevel = args.GetInt32("region-level") ?? 0 };
        request.GroupBy.AddRange(args.GetAll("group-by")
            .SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(s => EnumNames.Parse<GroupBy>("group-by", s, args.Command)));

        var chartName = args.Get("chart") ?? DefaultChart;
        var chart = StatsFigures.Find(chartName)
            ?? throw new UsageException($"invalid --chart '{chartName}'; valid figures: {string.Join(", ", StatsFigures.Names)}", args.Command);
        var csv = args.Get("csv");
        if (csv is { Length: 0 })
        {
            throw new UsageException("--csv needs a file name, or - for stdout", args.Command);
        }

        if (csv == "-" && args.Has("json"))
        {
            throw new UsageException("--csv - and --json both write to stdout; choose one", args.Command);
        }

        using var connection = Connection.Open(args);
        var response = await connection.Reporting().GetResolutionStatsAsync(request);
        var dimensions = request.GroupBy.ToList();

        if (csv == "-")
        {
            StatsPrinter.WriteCsv(Console.Out, dimensions, response);
            return 0;
        }

        if (csv is not null)
        {
            var lines = WriteFile(csv, w => StatsPrinter.WriteCsv(w, dimensions, response));
            Console.Error.WriteLine($"wrote {csv}: header and {lines} rows (the last one TOTAL)");
        }

        if (args.Has("json"))
        {
            Printer.PrintJson(response);
            return 0;
        }

        Console.WriteLine(StatsPrinter.Selection(response.EffectiveFilter));
        Console.WriteLine();
        StatsPrinter.PrintTable(Console.Out, dimensions, response);
        if (dimensions.Count > 0 && response.Rows.Count > 0)
        {
            Console.WriteLine();
            StatsPrinter.PrintChart(Console.Out, dimensions, response, chart);
        }

        return 0;
    }

    public static async Task<int> Export(string[] argv)
    {
        var args = ArgReader.Parse("export", argv, "after= limit= from= to= region= channel= merchant= category= out=");
        args.AllowPositionals(0);
        var filter = Filter(args);
        filter.FromDate = args.Get("from") ?? string.Empty;
        filter.ToDate = args.Get("to") ?? string.Empty;
        var request = new ExportOutcomesRequest
        {
            AfterCursor = args.Get("after") ?? string.Empty,
            Filter = filter,
            Limit = args.GetInt32("limit") ?? 0,
        };
        var outPath = args.Get("out");
        if (outPath is { Length: 0 })
        {
            throw new UsageException("--out needs a file name, or - for stdout", args.Command);
        }

        var toStdout = outPath is null or "-";
        var target = toStdout ? "stdout" : outPath!;

        using var connection = Connection.Open(args);
        var client = connection.Reporting();
        await using var writer = toStdout
            ? new StreamWriter(Console.OpenStandardOutput(), Utf8NoBom, 1 << 16)
            : OpenFile(outPath!);

        var written = 0L;
        var cursor = request.AfterCursor;
        try
        {
            using var call = client.ExportOutcomes(request);
            await foreach (var item in call.ResponseStream.ReadAllAsync())
            {
                await writer.WriteAsync(JsonLines.Format(item));
                await writer.WriteAsync('\n');
                written++;
                cursor = item.Cursor;
            }
        }
        catch (RpcException)
        {
            await writer.FlushAsync();
            if (written > 0)
            {
                Console.Error.WriteLine($"wrote {Records(written)} to {target} before the call failed; last cursor: {cursor}");
                Console.Error.WriteLine($"resume with: rgctl export --after {cursor} (and the same filter options)");
            }

            throw;
        }

        await writer.FlushAsync();
        var limit = request.Limit == 0 ? DefaultExportLimit : request.Limit;
        if (written == 0)
        {
            Console.Error.WriteLine(cursor.Length == 0
                ? "no records (nothing closed matches the filter yet)"
                : $"no records after cursor {cursor}; try again later with the same --after");
            return 0;
        }

        Console.Error.WriteLine($"wrote {Records(written)} to {target}; last cursor: {cursor}");
        Console.Error.WriteLine(written >= limit
            ? $"--limit {limit} reached, more may follow: rgctl export --after {cursor} (and the same filter options)"
            : $"that is every record committed so far; continue later with: rgctl export --after {cursor} (and the same filter options)");
        return 0;
    }

    /// <summary>The options stats and export share: region, channel, merchant, category.</summary>
    private static ReportFilter Filter(ArgReader args) => new()
    {
        RegionPrefix = args.Get("region") ?? string.Empty,
        ChannelId = args.Get("channel") ?? string.Empty,
        MerchantId = args.Get("merchant") ?? string.Empty,
        Category = args.GetEnum<Category>("category") ?? Category.Unspecified,
    };

    private static string Records(long n) => n == 1 ? "1 record" : $"{n} records";

    private static StreamWriter OpenFile(string path)
    {
        try
        {
            return new StreamWriter(path, append: false, Utf8NoBom, 1 << 16);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot write {path}: {ex.Message}");
        }
    }

    private static int WriteFile(string path, Func<TextWriter, int> write)
    {
        using var writer = OpenFile(path);
        try
        {
            return write(writer);
        }
        catch (IOException ex)
        {
            throw new UsageException($"cannot write {path}: {ex.Message}");
        }
    }
}
