using System.Diagnostics;
using ResolutionGateway.Tools.ReportBench.Cli;
using ResolutionGateway.Tools.ReportBench.Data;

namespace ResolutionGateway.Tools.ReportBench.Generate;

/// <summary>
/// reportbench rebuild-rankings: rebuilds the ranking rollup of an already generated bench database
/// from its per-merchant report rollups (the data step of migration 0016, the last phase of
/// generate), and times it: what a large database costs when it takes migration 0016.
/// </summary>
internal static class RebuildRankingsCommand
{
    public const string Spec = "mysql=";

    public static async Task<int> RunAsync(Args args, CancellationToken ct)
    {
        var db = BenchDatabase.From(args.Required("mysql"));
        var watch = Stopwatch.StartNew();
        var rows = await new Loader(db).RebuildRankingRollupsAsync(ct);
        Console.WriteLine($"reportbench rebuild-rankings: {rows:N0} ranking rollup rows rebuilt from the per-merchant rollups of {db.Name} in {watch.Elapsed.TotalSeconds:0.0} s");
        return 0;
    }
}
