using System.Globalization;
using Grpc.Core;
using Grpc.Health.V1;
using ResolutionGateway.Tools.Rgctl.Cli;
using ResolutionGateway.Tools.Rgctl.Output;

namespace ResolutionGateway.Tools.Rgctl.Commands;

/// <summary>status: one screen for a node, from its health service and its Prometheus endpoint.</summary>
internal static class StatusCommand
{
    /// <summary>The scrape URL of the default Metrics:Url.</summary>
    public const string DefaultMetricsUrl = "http://127.0.0.1:9464/metrics";

    private const int ExitNeedsAttention = 3;

    public static async Task<int> Run(string[] argv)
    {
        var args = ArgReader.Parse("status", argv, "metrics=");
        args.AllowPositionals(0);
        var metricsUrl = args.Get("metrics") is { Length: > 0 } m ? m
            : Environment.GetEnvironmentVariable("RG_METRICS_URL") is { Length: > 0 } e ? e
            : DefaultMetricsUrl;
        using var connection = Connection.Open(args);

        var readiness = await ReadinessAsync(connection);
        PrometheusText metrics;
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) })
        {
            try
            {
                metrics = PrometheusText.Parse(await http.GetStringAsync(metricsUrl));
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                Console.Error.WriteLine($"error: could not read the metrics endpoint {metricsUrl}: {ex.Message}");
                return 1;
            }
        }

        var streams = metrics.Sum("rg_watch_streams") ?? 0;
        var pending = metrics.Sum("rg_webhook_queue_depth") ?? 0;
        var oldest = metrics.Sum("rg_webhook_oldest_pending_age_seconds") ?? 0;
        var dead = metrics.Sum("rg_webhook_dead_letters") ?? 0;
        var lag = metrics.Sum("rg_deadline_lag_seconds") ?? 0;
        var breaker = metrics.Sum("rg_db_breaker_open") ?? 0;
        var opened = metrics.Sum("rg_disputes_opened_total") ?? 0;
        var closed = metrics.Sum("rg_disputes_closed_total") ?? 0;
        var attention = readiness != "SERVING" || dead > 0 || lag > 60 || breaker > 0;

        Row("node", connection.Url);
        Row("metrics", metricsUrl);
        Row("readiness", readiness);
        Row("watch streams", Count(streams));
        Row("webhook backlog", pending == 0 ? "0 pending" : $"{Count(pending)} pending, oldest {Duration(oldest)}");
        Row("dead letters", Count(dead) + (dead > 0 ? "  (redeliver: RedeliverWebhookDeliveries)" : ""));
        Row("deadline lag", Duration(lag) + (lag > 60 ? "  (over 60 s: is a deadline worker running?)" : ""));
        Row("db breaker", breaker > 0 ? "OPEN (answering UNAVAILABLE)" : "closed");
        Row("disputes", $"{Count(opened)} opened, {Count(closed)} closed on this node since it started");
        Console.WriteLine(attention ? "status: NEEDS ATTENTION" : "status: ok");
        return attention ? ExitNeedsAttention : 0;
    }

    private static async Task<string> ReadinessAsync(Connection connection)
    {
        try
        {
            var r = await connection.Health().CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(5));
            return r.Status.ToString().ToUpperInvariant();
        }
        catch (RpcException ex)
        {
            return $"unreachable ({ex.StatusCode})";
        }
    }

    private static void Row(string name, string value) => Console.WriteLine($"{name,-16} {value}");

    private static string Count(double v) => v.ToString("0", CultureInfo.InvariantCulture);

    private static string Duration(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Round(seconds));
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours} h {t.Minutes} min"
            : t.TotalMinutes >= 1 ? $"{t.Minutes} min {t.Seconds} s"
            : $"{t.Seconds} s";
    }
}
