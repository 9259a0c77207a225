using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.IntegrationTests;

/// <summary>The gateway (and rgctl) as separate processes, as an operator runs them.</summary>
internal static class GatewayProcess
{
    /// <summary>
    /// Starts the built gateway with <paramref name="args"/>; every line it prints goes to <paramref name="lines"/>.
    /// The HTTP/JSON and metrics listeners take free ports unless <paramref name="args"/> name theirs, so a
    /// gateway running on the default ports (8080, 9464) never stops a test's from starting.
    /// </summary>
    internal static Process Start(ConcurrentQueue<string> lines, params string[] args) =>
        Start(lines, new Dictionary<string, string>(), args);

    /// <summary>As <see cref="Start(ConcurrentQueue{string}, string[])"/>, with environment variables set for the process.</summary>
    internal static Process Start(ConcurrentQueue<string> lines, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var all = args.ToList();
        foreach (var (key, value) in new[] { ("--Kestrel:Endpoints:Http:Url=", "http://127.0.0.1:0"), ("--Metrics:Url=", "http://127.0.0.1:0") })
        {
            if (!all.Any(a => a.StartsWith(key, StringComparison.Ordinal)))
            {
                all.Add(key + value);
            }
        }
        return Run(lines, environment, Built(Path.Combine("src", "ResolutionGateway"), "ResolutionGateway.dll"), [.. all]);
    }

    /// <summary>A built dll of this repository, in the configuration the tests were built in.</summary>
    internal static string Built(string projectDir, string dllName)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var repo = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(TestServers.Script)))!;
        var dll = Path.Combine(repo, projectDir, "bin", configuration, "net10.0", dllName);
        Assert.True(File.Exists(dll), $"not built: {dll}");
        return dll;
    }

    /// <summary>Runs a dll with dotnet; every line it prints goes to <paramref name="lines"/>.</summary>
    internal static Process Run(ConcurrentQueue<string> lines, string dll, params string[] args) =>
        Run(lines, new Dictionary<string, string>(), dll, args);

    private static Process Run(ConcurrentQueue<string> lines, IReadOnlyDictionary<string, string> environment, string dll, string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        info.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        var p = Process.Start(info)!;
        p.OutputDataReceived += (_, e) => Add(lines, e.Data);
        p.ErrorDataReceived += (_, e) => Add(lines, e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    internal static void Add(ConcurrentQueue<string> lines, string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }

    internal static async Task<CallInvoker> ConnectAsync(int port, string keyFile)
    {
        await WaitAsync(() => File.Exists(keyFile), "the admin key file is written");
        var invoker = Invoker(port, (await File.ReadAllTextAsync(keyFile)).Trim());
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await new AdminService.AdminServiceClient(invoker).ListApiKeysAsync(new ListApiKeysRequest());
                return invoker;
            }
            catch (RpcException) when (clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(200);
            }
        }
    }

    internal static CallInvoker Invoker(int port, string token) =>
        GrpcChannel.ForAddress($"http://127.0.0.1:{port}").Intercept(m =>
        {
            m.Add("authorization", "Bearer " + token);
            return m;
        });

    internal static async Task WaitAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "timed out waiting until " + what);
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// A loopback port free right now (bound to port 0, read back, released): the one helper every
    /// test that starts a server of its own uses. Another process may take it before the server binds
    /// it; the fixtures that start gateways retry on AddressInUse.
    /// </summary>
    internal static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
