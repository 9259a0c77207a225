using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.UseCases;
using ResolutionGateway.Hosting;
using ResolutionGateway.Quotas;

namespace ResolutionGateway.Grpc;

/// <summary>
/// Cross-cutting concerns of every call, in one place: authentication (bearer API key), the key's
/// quota (<see cref="QuotaGate"/>), mapping of failures to status codes, and a log line with method,
/// status and duration. Requests and
/// responses are never logged: they hold personal data (mobile numbers).
/// </summary>
public sealed class GatewayInterceptor(
    Authenticator authenticator, QuotaGate quotas, NodeDrain drain, IOptionsMonitor<RankingsOptions> rankings, ILogger<GatewayInterceptor> logger) : Interceptor
{
    private const string RankingsMethod = "/resolution.v1.ReportingService/ListMerchantRankings";

    internal const string PrincipalKey = "rg.principal";

    /// <summary>The authenticated caller of this call.</summary>
    public static Principal PrincipalOf(ServerCallContext context) =>
        context.UserState.TryGetValue(PrincipalKey, out var p) && p is Principal principal
            ? principal
            : throw new InvalidOperationException("call was not authenticated by GatewayInterceptor");

    /// <inheritdoc />
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var started = Stopwatch.GetTimestamp();
        var status = StatusCode.OK;
        try
        {
            // Draining: calls already running finish, new ones go to another node; health checks
            // still answer (NOT_SERVING), so balancers learn it.
            if (drain.IsDraining && !IsHealthOrReflection(context))
            {
                throw new NodeDrainingException();
            }
            using var lease = await AuthenticateAsync(context, stream: false);
            return await continuation(request, context);
        }
        catch (Exception e)
        {
            var rpc = ErrorMapper.ToRpcException(e, context, logger);
            status = rpc.StatusCode;
            throw rpc;
        }
        finally
        {
            Log(context, status, started);
        }
    }

    /// <inheritdoc />
    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var started = Stopwatch.GetTimestamp();
        var status = StatusCode.OK;
        try
        {
            if (drain.IsDraining && !IsHealthOrReflection(context))
            {
                throw new NodeDrainingException();
            }
            using var lease = await AuthenticateAsync(context, stream: true);
            using var draining = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, drain.Stopping);
            // grpc-dotnet finds the HttpContext of a replaced call context (to activate the service) in
            // UserState under "__HttpContext"; the wrapper shares this context's UserState.
            context.UserState["__HttpContext"] = context.GetHttpContext();
            await continuation(request, responseStream, new DrainingCallContext(context, draining.Token));
            if (drain.IsDraining)
            {
                throw new NodeDrainingException();
            }
        }
        catch (Exception e)
        {
            // A stream ended by the drain (whatever its loop threw) tells its client to resume elsewhere;
            // while draining this wins over the call's own cancellation, which Kestrel's shutdown may
            // fire too (a client that did cancel never reads the status anyway).
            if (e is not RpcException && drain.IsDraining)
            {
                e = new NodeDrainingException();
            }
            var rpc = ErrorMapper.ToRpcException(e, context, logger);
            status = rpc.StatusCode;
            throw rpc;
        }
        finally
        {
            Log(context, status, started);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Client streams (ImportStores) are bounded uploads that end with one answer: admitted as one
    /// call of the key's rate, not as a watch stream's slot.
    /// </remarks>
    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var started = Stopwatch.GetTimestamp();
        var status = StatusCode.OK;
        try
        {
            if (drain.IsDraining)
            {
                throw new NodeDrainingException();
            }
            using var lease = await AuthenticateAsync(context, stream: false);
            return await continuation(requestStream, context);
        }
        catch (Exception e)
        {
            var rpc = ErrorMapper.ToRpcException(e, context, logger);
            status = rpc.StatusCode;
            throw rpc;
        }
        finally
        {
            Log(context, status, started);
        }
    }

    // Authenticates and admits the call within its key's quota; the lease (a stream's slot) is
    // given back when the call ends.
    private async Task<IDisposable?> AuthenticateAsync(ServerCallContext context, bool stream)
    {
        if (IsHealthOrReflection(context))
        {
            return null;
        }
        var header = context.RequestHeaders.GetValue("authorization");
        var token = header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
        // A published ranking (Rankings:Public) needs no key; one sent is still checked.
        var principal = token is null && header is null && context.Method == RankingsMethod && rankings.CurrentValue.Public
            ? MerchantRankings.Public
            : await authenticator.AuthenticateAsync(token, context.CancellationToken);
        context.UserState[PrincipalKey] = principal;
        return await quotas.EnterAsync(principal, stream, context.CancellationToken);
    }

    // Health checks and reflection are for load balancers and tools: no credential, no quota.
    private static bool IsHealthOrReflection(ServerCallContext context) => context.Method.StartsWith("/grpc.", StringComparison.Ordinal);

    private void Log(ServerCallContext context, StatusCode status, long started)
    {
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var level = status is StatusCode.Internal or StatusCode.Unknown or StatusCode.DataLoss ? LogLevel.Error : LogLevel.Debug;
        logger.Log(level, "{Method} {Status} in {ElapsedMs:0.0} ms", context.Method, status, elapsed);
    }
}
