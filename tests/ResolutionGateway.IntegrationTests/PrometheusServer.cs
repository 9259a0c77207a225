using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace ResolutionGateway.IntegrationTests;

/// <summary>
/// A real Prometheus server (Debian's <c>prometheus</c> package, which tools/test.sh installs) on a
/// free loopback port with a data folder of its own, scraping the given targets every second.
/// Figures are read back through its HTTP query API, as an operator's dashboard would.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private static readonly string[] Binaries = ["/usr/bin/prometheus", "/usr/local/bin/prometheus"];

    private readonly Process _process;
    private readonly string _dir;
    private readonly HttpClient _http;
    private readonly List<string> _log = [];

    private PrometheusServer(Process process, string dir, int port)
    {
        _process = process;
        _dir = dir;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>Starts Prometheus scraping <paramref name="targets"/> (scrape URLs ending in /metrics) and waits until it is ready.</summary>
    public static async Task<PrometheusServer> StartAsync(params Uri[] targets)
    {
        var binary = Binaries.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("prometheus is not installed (tools/test.sh installs Debian's prometheus package)");
        var dir = Directory.CreateTempSubdirectory("rg-prometheus-").FullName;
        var config = Path.Combine(dir, "prometheus.yml");
        var list = string.Join(", ", targets.Select(t => $"'{t.Authority}'"));
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: gateway
                metrics_path: /metrics
                static_configs:
                  - targets: [{list}]
            """);
        var port = GatewayProcess.FreePort();
        var info = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[]
        {
            $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(dir, "data")}", $"--web.listen-address=127.0.0.1:{port}",
            "--log.level=warn",
        })
        {
            info.ArgumentList.Add(a);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start prometheus");
        var server = new PrometheusServer(process, dir, port);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        await server.WaitReadyAsync();
        return server;
    }

    /// <summary>The value of an instant query that yields one series, or null when it yields none.</summary>
    public async Task<double?> QueryAsync(string promql)
    {
        using var doc = JsonDocument.Parse(await _http.GetStringAsync("/api/v1/query?query=" + Uri.EscapeDataString(promql)));
        var result = doc.RootElement.GetProperty("data").GetProperty("result");
        if (result.GetArrayLength() == 0)
        {
            return null;
        }
        return double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Queries until <paramref name="condition"/> holds for the value (scrapes are every second, gauges
    /// refreshed on their own interval); fails with the last value seen after <paramref name="seconds"/>.
    /// </summary>
    public async Task<double> WaitForAsync(string promql, Func<double, bool> condition, string what, int seconds = 60)
    {
        var deadline = Stopwatch.StartNew();
        double? last = null;
        while (deadline.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            last = await QueryAsync(promql);
            if (last is { } v && condition(v))
            {
                return v;
            }
            await Task.Delay(250);
        }
        Assert.Fail($"Prometheus never showed {what}: {promql} was {last?.ToString(CultureInfo.InvariantCulture) ?? "absent"}. Log: {string.Join(" | ", Log())}");
        return 0;
    }

    /// <summary>What Prometheus printed.</summary>
    public IReadOnlyList<string> Log()
    {
        lock (_log)
        {
            return _log.ToArray();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.Add(line);
            }
        }
    }

    private async Task WaitReadyAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            Assert.False(_process.HasExited, "prometheus exited: " + string.Join(" | ", Log()));
            try
            {
                using var r = await _http.GetAsync("/-/ready");
                if (r.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }
        Assert.Fail("prometheus did not become ready: " + string.Join(" | ", Log()));
    }
}
