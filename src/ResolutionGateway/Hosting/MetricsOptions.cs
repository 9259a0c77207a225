using System.Net;

namespace ResolutionGateway.Hosting;

/// <summary>
/// Configuration section "Metrics": the Prometheus scrape listener. (Metrics:GaugeInterval, the
/// refresh of the database gauges, is read by AddInfrastructure, which runs the refresher.)
/// </summary>
public sealed class MetricsOptions
{
    /// <summary>Section name.</summary>
    public const string SectionName = "Metrics";

    /// <summary>The scrape path, fixed.</summary>
    public const string Path = "/metrics";

    /// <summary>
    /// Address of the scrape listener (HTTP/1.1, plaintext, its own port): http://host:port with an IP
    /// address or localhost; port 0 picks a free one. Empty turns the endpoint off.
    /// </summary>
    public string Url { get; set; } = "http://127.0.0.1:9464";

    /// <summary>The listener's address, or null when the endpoint is off; throws on a malformed URL.</summary>
    public IPEndPoint? EndPoint()
    {
        if (string.IsNullOrWhiteSpace(Url))
        {
            return null;
        }
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || uri.Scheme != "http" || uri.AbsolutePath is not ("/" or ""))
        {
            throw new InvalidOperationException($"Metrics:Url '{Url}' is not http://host:port (the path is always {Path}; empty turns metrics off)");
        }
        var address = uri.Host == "localhost" ? IPAddress.Loopback
            : IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) ? ip
            : throw new InvalidOperationException($"Metrics:Url '{Url}': the host must be an IP address or localhost");
        return new IPEndPoint(address, uri.Port);
    }
}
