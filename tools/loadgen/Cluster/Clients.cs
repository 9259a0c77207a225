using Grpc.Core;
using Grpc.Net.Client;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.Tools.LoadGen.Cluster;

/// <summary>
/// A few HTTP/2 connections to one node, each carrying many concurrent calls: one GrpcChannel per
/// connection (each with its own handler, so its own socket). Calls are spread over them by an
/// index. A channel opens a further connection only when one reaches the server's stream limit
/// (Kestrel: 100 concurrent streams), which the watchers scenario needs.
/// </summary>
public sealed class Connections : IDisposable
{
    private readonly GrpcChannel[] _channels;

    public Connections(string url, int count)
    {
        _channels = Enumerable.Range(0, count).Select(_ => GrpcChannel.ForAddress(url, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                KeepAlivePingDelay = TimeSpan.FromSeconds(60),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
            },
            MaxReceiveMessageSize = 16 * 1024 * 1024,
        })).ToArray();
    }

    public GrpcChannel this[long index] => _channels[(int)(index % _channels.Length)];

    public DisputeService.DisputeServiceClient Disputes(long index) => new(this[index]);

    public void Dispose()
    {
        foreach (var c in _channels)
        {
            c.Dispose();
        }
    }
}

/// <summary>Bearer metadata for an API key.</summary>
public static class Bearer
{
    public static Metadata Of(string token) => new() { { "authorization", "Bearer " + token } };
}
