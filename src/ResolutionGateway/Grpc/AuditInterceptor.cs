using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Core.Interceptors;
using ResolutionGateway.Core.Audit;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Infrastructure.Audit;

namespace ResolutionGateway.Grpc;

/// <summary>
/// Records the audit log (<see cref="AuditLog"/>) for the calls that must be audited, after they
/// succeeded (a refused call showed and changed nothing): every AdminService call of an admin key
/// but GetCaller, and of a merchant key (its own webhook endpoints, the only AdminService calls it may make), recorded before the answer; and every read of disputes by a key that sees mobile
/// numbers unmasked (channel, regulator), queued. Runs inside <see cref="GatewayInterceptor"/>,
/// which authenticated the call and maps any failure here to its status.
/// </summary>
public sealed class AuditInterceptor(AuditLog audit) : Interceptor
{
    private const string AdminService = "/resolution.v1.AdminService/";
    private const string DisputeService = "/resolution.v1.DisputeService/";

    // The DisputeService reads that return consumers' mobile numbers (watch streams: on their first message).
    private static readonly HashSet<string> DisputeReads =
        [DisputeService + "GetDispute", DisputeService + "ListDisputes", DisputeService + "ListDisputeEvents",
         DisputeService + "WatchDispute", DisputeService + "WatchDisputes"];

    // Fields naming the object of an admin call, in the order they are looked for (in the request,
    // then in its message fields one level down, then likewise in the response: a created key's or
    // endpoint's id). Never a name, a mobile number or a secret.
    private static readonly string[] ObjectFields = ["endpoint_id", "key_id", "region_prefix", "calendar_id", "merchant_id", "channel_id", "owner_id"];

    /// <inheritdoc />
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var response = await continuation(request, context);
        if (Kind(context) is { } kind && context.UserState.ContainsKey(GatewayInterceptor.PrincipalKey))
        {
            var entry = Entry(context, kind, request as IMessage, response as IMessage);
            if (kind == AuditKind.AdminAction)
            {
                // Not the call's token: an action that happened is recorded even if the client left.
                await audit.RecordAsync(entry, CancellationToken.None);
            }
            else
            {
                audit.Enqueue(entry);
            }
        }
        return response;
    }

    /// <inheritdoc />
    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context,
        ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        // ImportStores: an admin action once the whole stream was taken, recorded before the answer.
        var response = await continuation(requestStream, context);
        if (Kind(context) is AuditKind.AdminAction)
        {
            await audit.RecordAsync(Entry(context, AuditKind.AdminAction, null, response as IMessage), CancellationToken.None);
        }
        return response;
    }

    /// <inheritdoc />
    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (Kind(context) is not AuditKind.PersonalDataRead)
        {
            return continuation(request, responseStream, context);
        }
        // A watch shows data from its first message on: recorded then, once.
        return continuation(request, new FirstWrite<TResponse>(responseStream,
            () => audit.Enqueue(Entry(context, AuditKind.PersonalDataRead, request as IMessage, null))), context);
    }

    private static AuditKind? Kind(ServerCallContext context)
    {
        if (!context.UserState.TryGetValue(GatewayInterceptor.PrincipalKey, out var value) || value is not Principal p)
        {
            return null;
        }
        if (context.Method.StartsWith(AdminService, StringComparison.Ordinal))
        {
            return p.Role is CredentialRole.Admin or CredentialRole.Merchant && context.Method != AdminService + "GetCaller" ? AuditKind.AdminAction : null;
        }
        return p.SeesFullMobile && DisputeReads.Contains(context.Method) ? AuditKind.PersonalDataRead : null;
    }

    private AuditEntry Entry(ServerCallContext context, AuditKind kind, IMessage? request, IMessage? response)
    {
        var disputeId = request is null ? "" : StringField(request, "dispute_id");
        var objectId = kind == AuditKind.AdminAction && disputeId.Length == 0 ? ObjectId(request) is { Length: > 0 } id ? id : ObjectId(response) : "";
        return audit.Entry(GatewayInterceptor.PrincipalOf(context), context.Method, Clip(disputeId, 64), Clip(objectId, 200), kind);
    }

    private static string ObjectId(IMessage? message, int depth = 0)
    {
        if (message is null)
        {
            return "";
        }
        foreach (var name in ObjectFields)
        {
            var value = StringField(message, name);
            if (value.Length == 0)
            {
                continue;
            }
            // A store is "merchant/store"; an erased consumer "channel/consumer_ref" (the channel's opaque reference).
            var second = name switch
            {
                "merchant_id" => StringField(message, "store_id"),
                "channel_id" => StringField(message, "consumer_ref"),
                _ => "",
            };
            return second.Length == 0 ? value : value + "/" + second;
        }
        if (depth > 0)
        {
            return "";
        }
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            if (field.FieldType == FieldType.Message && !field.IsRepeated && !field.IsMap
                && field.Accessor.GetValue(message) is IMessage nested && ObjectId(nested, 1) is { Length: > 0 } found)
            {
                return found;
            }
        }
        return "";
    }

    private static string StringField(IMessage message, string name) =>
        message.Descriptor.FindFieldByName(name) is { FieldType: FieldType.String, IsRepeated: false } f && f.Accessor.GetValue(message) is string s ? s : "";

    private static string Clip(string s, int max) => s.Length <= max ? s : s[..max];

    // Runs an action before the first message of a stream is written.
    private sealed class FirstWrite<T>(IServerStreamWriter<T> inner, Action first) : IServerStreamWriter<T>
    {
        private int _written;

        public WriteOptions? WriteOptions
        {
            get => inner.WriteOptions;
            set => inner.WriteOptions = value;
        }

        public Task WriteAsync(T message) => WriteAsync(message, CancellationToken.None);

        // The services write with the call's token; the interface's default of this overload refuses one.
        public Task WriteAsync(T message, CancellationToken cancellationToken)
        {
            if (Interlocked.Exchange(ref _written, 1) == 0)
            {
                first();
            }
            return inner.WriteAsync(message, cancellationToken);
        }
    }
}
