using System.Reflection;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace ResolutionGateway.Grpc;

/// <summary>
/// Binds every gRPC service (ours, health, reflection) as grpc-dotnet's default binder does, but with
/// a request deserializer that turns a protobuf parse failure (invalid UTF-8 in a string field, a
/// truncated or malformed encoding) into INVALID_ARGUMENT naming the field. Without it the failure
/// happens inside grpc-dotnet, before any interceptor: the client got UNKNOWN and every such call
/// wrote a stack trace at error level. Replaces the default IServiceMethodProvider (see
/// <see cref="GuardedServiceMethodProviderExtensions"/>).
/// </summary>
public sealed class GuardedServiceMethodProvider<TService> : IServiceMethodProvider<TService> where TService : class
{
    /// <inheritdoc />
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        var bind = FindBindMethod(typeof(TService));
        if (bind is null)
        {
            return;
        }
        bind.Invoke(null, [new Binder(context), null]);
    }

    // The generated base class carries [BindServiceMethod(typeof(XService), "BindService")].
    private static MethodInfo? FindBindMethod(Type type)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (t.GetCustomAttribute<BindServiceMethodAttribute>(inherit: false) is { } attribute)
            {
                return attribute.BindType.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
                    .FirstOrDefault(m => m.Name == attribute.BindMethodName && m.GetParameters() is [var first, var second]
                        && first.ParameterType == typeof(ServiceBinderBase) && second.ParameterType.IsAssignableFrom(type));
            }
        }
        return null;
    }

    private sealed class Binder(ServiceMethodProviderContext<TService> context) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
            context.AddUnaryMethod(Guard(method), Metadata(method.Name, typeof(TRequest)),
                Invoker<UnaryServerMethod<TService, TRequest, TResponse>>(method.Name, typeof(TRequest), typeof(ServerCallContext)));

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddServerStreamingMethod(Guard(method), Metadata(method.Name, typeof(TRequest)),
                Invoker<ServerStreamingServerMethod<TService, TRequest, TResponse>>(method.Name, typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)));

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddClientStreamingMethod(Guard(method), Metadata(method.Name, typeof(IAsyncStreamReader<TRequest>)),
                Invoker<ClientStreamingServerMethod<TService, TRequest, TResponse>>(method.Name, typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext)));

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddDuplexStreamingMethod(Guard(method), Metadata(method.Name, typeof(IAsyncStreamReader<TRequest>)),
                Invoker<DuplexStreamingServerMethod<TService, TRequest, TResponse>>(method.Name, typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)));

        // An open-instance delegate over the service's override, as grpc-dotnet's own binder makes.
        private static TDelegate Invoker<TDelegate>(string name, params Type[] parameters) where TDelegate : Delegate =>
            (typeof(TService).GetMethod(name, BindingFlags.Public | BindingFlags.Instance, parameters)
                ?? throw new InvalidOperationException($"{typeof(TService).Name} has no method {name}")).CreateDelegate<TDelegate>();

        // Endpoint metadata: the service's and the method's attributes (authorization, CORS...), as the default binder gives.
        private static List<object> Metadata(string name, Type firstParameter)
        {
            var metadata = new List<object>(typeof(TService).GetCustomAttributes(inherit: true));
            var m = typeof(TService).GetMethods(BindingFlags.Public | BindingFlags.Instance)
                .FirstOrDefault(x => x.Name == name && x.GetParameters() is [var p, ..] && p.ParameterType == firstParameter);
            if (m is not null)
            {
                metadata.AddRange(m.GetCustomAttributes(inherit: true));
            }
            return metadata;
        }
    }

    private static Method<TRequest, TResponse> Guard<TRequest, TResponse>(Method<TRequest, TResponse> method)
    {
        var descriptor = typeof(TRequest).GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as MessageDescriptor;
        var inner = method.RequestMarshaller;
        var guarded = Marshallers.Create(inner.ContextualSerializer, context =>
        {
            try
            {
                return inner.ContextualDeserializer(context);
            }
            catch (InvalidProtocolBufferException e)
            {
                throw ErrorMapper.MalformedRequest(e, descriptor is null ? null : MalformedFieldLocator.Locate(descriptor, context.PayloadAsReadOnlySequence()));
            }
        });
        return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, guarded, method.ResponseMarshaller);
    }
}

/// <summary>Registration of <see cref="GuardedServiceMethodProvider{TService}"/>.</summary>
public static class GuardedServiceMethodProviderExtensions
{
    /// <summary>Replaces grpc-dotnet's default binder provider; call after AddGrpc.</summary>
    public static IServiceCollection AddGuardedRequestParsing(this IServiceCollection services)
    {
        // grpc-dotnet registers its BinderServiceMethodProvider<> (internal) as an open generic;
        // other providers (JSON transcoding) are left alone.
        var defaults = services.Where(d => d.ServiceType == typeof(IServiceMethodProvider<>)
            && d.ImplementationType?.Name.StartsWith("BinderServiceMethodProvider", StringComparison.Ordinal) == true).ToList();
        foreach (var d in defaults)
        {
            services.Remove(d);
        }
        services.AddSingleton(typeof(IServiceMethodProvider<>), typeof(GuardedServiceMethodProvider<>));
        return services;
    }
}
