using Grpc.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ResolutionGateway.Hosting;

/// <summary>
/// Graceful drain on SIGTERM (any host stop): from the moment the host starts stopping, health
/// checks answer NOT_SERVING, new calls are refused with UNAVAILABLE, calls already running finish
/// (Kestrel waits for them up to the host's ShutdownTimeout), and streams end with UNAVAILABLE so
/// their clients resume from their cursor on another node.
/// </summary>
public sealed class NodeDrain(IHostApplicationLifetime lifetime)
{
    /// <summary>Cancelled when the host starts stopping.</summary>
    public CancellationToken Stopping => lifetime.ApplicationStopping;

    /// <summary>True once the host is stopping.</summary>
    public bool IsDraining => lifetime.ApplicationStopping.IsCancellationRequested;
}

/// <summary>A call refused or a stream ended because this node is stopping: UNAVAILABLE with RetryInfo, not an error.</summary>
public sealed class NodeDrainingException() : Exception("the node is shutting down: retry on another node (streams: resume from your cursor)");

/// <summary>Unhealthy while the node drains, so "" and "liveness" both answer NOT_SERVING and balancers stop sending calls.</summary>
public sealed class DrainHealthCheck(NodeDrain drain) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(drain.IsDraining ? HealthCheckResult.Unhealthy("draining") : HealthCheckResult.Healthy());
}

/// <summary>
/// The call's context with a cancellation token that also fires when the node starts draining, so a
/// stream's loop (which watches context.CancellationToken) ends; everything else is the call's own.
/// </summary>
internal sealed class DrainingCallContext(ServerCallContext inner, CancellationToken token) : ServerCallContext
{
    protected override string MethodCore => inner.Method;
    protected override string HostCore => inner.Host;
    protected override string PeerCore => inner.Peer;
    protected override DateTime DeadlineCore => inner.Deadline;
    protected override Metadata RequestHeadersCore => inner.RequestHeaders;
    protected override CancellationToken CancellationTokenCore => token;
    protected override Metadata ResponseTrailersCore => inner.ResponseTrailers;
    protected override global::Grpc.Core.Status StatusCore { get => inner.Status; set => inner.Status = value; }
    protected override WriteOptions? WriteOptionsCore { get => inner.WriteOptions; set => inner.WriteOptions = value; }
    protected override AuthContext AuthContextCore => inner.AuthContext;
    protected override IDictionary<object, object> UserStateCore => inner.UserState;
    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => inner.CreatePropagationToken(options);
    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => inner.WriteResponseHeadersAsync(responseHeaders);
}
