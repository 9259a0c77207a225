// reportbench — the reporting benchmark of issue 5 (a tool, not a timed test).
//
//   reportbench generate --mysql CS [--disputes 1000000] [--seed 42] [--from 2025-11-01] [--to 2026-10-31]
//                        [--merchants 5000] [--rollup-connections 2] [--dry-run]
//       Drops and recreates the database named in CS (its name must contain "bench"), applies the
//       service's migrations (MySqlDatabase.InitializeAsync) and loads a synthetic history: channels,
//       Zipf-sized merchants and their stores across the six-city alliance and Hubei, and disputes
//       played through Core's DisputeRules (categories, settlement and resolution rates in the field's
//       proportions), written with the service's own row builders (DisputeSql.RowParameters,
//       ReportingSql.OutcomeParameters, ReportingSql.UpsertRollupsAsync) many rows per statement.
//       --dry-run generates and prints the statistics without a database.
//
//   reportbench rebuild-rankings --mysql CS
//       Rebuilds the ranking rollup of a generated database from its per-merchant rollups (migration
//       0016's data step, generate's last phase) and prints the time it took.
//
//   reportbench bench --mysql CS [--month 2026-10] [--iterations 200] [--raw-iterations 10] [--grpc]
//                     [--gateway-dll PATH] [--out tools/reportbench/results/latest.json]
//       Verifies that GetResolutionStats from the rollups equals the same figures from a GROUP BY over
//       the raw dispute table (the month by region, levels 6 and 4, and a few other shapes), then
//       times both at the store level, interleaved after a warm-up, and with --grpc also end to end
//       through a gateway started as a child process on a free port. Prints a Markdown table and
//       writes a JSON result file.
//
// Example (MariaDB from tools/servers/rg-servers.sh):
//   eval "$(tools/servers/rg-servers.sh start)"
//   CS="${RG_MYSQL/Database=resolution/Database=rg_reportbench}"
//   dotnet build -c Release tools/reportbench && dotnet build -c Release src/ResolutionGateway
//   dotnet tools/reportbench/bin/Release/net10.0/reportbench.dll generate --mysql "$CS"
//   dotnet tools/reportbench/bin/Release/net10.0/reportbench.dll bench --mysql "$CS" --grpc

using ResolutionGateway.Tools.ReportBench.Bench;
using ResolutionGateway.Tools.ReportBench.Cli;
using ResolutionGateway.Tools.ReportBench.Generate;

namespace ResolutionGateway.Tools.ReportBench;

internal static class Program
{
    private const string Usage = """
        usage:
          reportbench generate --mysql CS [--disputes 1000000] [--seed 42] [--from 2025-11-01] [--to 2026-10-31]
                               [--merchants 5000] [--rollup-connections 2] [--dry-run]
          reportbench rebuild-rankings --mysql CS
          reportbench bench --mysql CS [--month 2026-10] [--iterations 200] [--raw-iterations 10] [--grpc]
                            [--gateway-dll PATH] [--out tools/reportbench/results/latest.json]

        CS is a MySqlConnector connection string whose Database contains "bench", e.g.
          "Server=127.0.0.1;Port=33306;User ID=rg;Password=rg;Database=rg_reportbench"
        generate drops and recreates that database, applies the migrations and loads the history.
        rebuild-rankings rebuilds its ranking rollup from the per-merchant rollups, timed.
        bench verifies rollups against the raw GROUP BY and times GetResolutionStats for a month by region.
        """;

    private static async Task<int> Main(string[] argv)
    {
        if (argv.Length == 0 || argv[0] is "help" or "--help" or "-h")
        {
            Console.WriteLine(Usage);
            return argv.Length == 0 ? 2 : 0;
        }
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        try
        {
            var rest = argv[1..];
            if (rest.Contains("--help") || rest.Contains("-h"))
            {
                Console.WriteLine(Usage);
                return 0;
            }
            return argv[0] switch
            {
                "generate" => await GenerateCommand.RunAsync(Args.Parse(rest, GenerateCommand.Spec), cts.Token),
                "rebuild-rankings" => await RebuildRankingsCommand.RunAsync(Args.Parse(rest, RebuildRankingsCommand.Spec), cts.Token),
                "bench" => await BenchCommand.RunAsync(Args.Parse(rest, BenchCommand.Spec), cts.Token),
                _ => throw new UsageException($"unknown command '{argv[0]}'"),
            };
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine(Usage);
            return 2;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            Console.Error.WriteLine("cancelled");
            return 130;
        }
    }
}
