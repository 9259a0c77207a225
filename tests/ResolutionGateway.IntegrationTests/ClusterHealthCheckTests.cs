using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ResolutionGateway.IntegrationTests;

/// <summary>
/// tools/cluster/grpc-health-check.sh, the command HAProxy runs to check each gateway of the cluster,
/// against the real gateway: it must pass on SERVING and fail when nothing answers.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ClusterHealthCheckTests(GatewayFixture gw)
{
    [Fact]
    public async Task GrpcHealthCheck_ServingGateway_ExitsZero()
    {
        var port = new Uri(gw.Address).Port;

        var exit = await RunCheckAsync(port);

        Assert.Equal(0, exit);
    }

    [Fact]
    public async Task GrpcHealthCheck_NothingListening_ExitsNonZero()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var exit = await RunCheckAsync(port);

        Assert.NotEqual(0, exit);
    }

    // HAProxy's external-check arguments: proxy address and port, then the server's.
    private static async Task<int> RunCheckAsync(int port)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(RepoRoot(), "tools", "cluster", "grpc-health-check.sh"));
        foreach (var a in new[] { "127.0.0.1", "0", "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        await p.WaitForExitAsync();
        return p.ExitCode;
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ResolutionGateway.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
