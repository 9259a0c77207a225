using Grpc.Core;
using Grpc.Core.Interceptors;
using ResolutionGateway.Infrastructure.Telemetry;

namespace ResolutionGateway.Grpc;

/// <summary>Keeps rg_watch_streams at the number of WatchDispute/WatchDisputes streams open on this node.</summary>
public sealed class WatchStreamInterceptor(GatewayMetrics metrics) : Interceptor
{
    /// <inheritdoc />
    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (!context.Method.Contains("/Watch", StringComparison.Ordinal))
        {
            await continuation(request, responseStream, context);
            return;
        }
        metrics.WatchStreams(+1);
        try
        {
            await continuation(request, responseStream, context);
        }
        finally
        {
            metrics.WatchStreams(-1);
        }
    }
}
