using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using ResolutionGateway.Core.Errors;
using Status = Google.Rpc.Status;

namespace ResolutionGateway.Grpc;

/// <summary>The one place where failures become gRPC status codes, with google.rpc details.</summary>
public static class ErrorMapper
{
    private const string Domain = "resolution.v1";

    /// <summary>The RpcException to send for <paramref name="e"/>; unexpected failures are logged and hidden.</summary>
    public static RpcException ToRpcException(Exception e, ServerCallContext context, ILogger logger)
    {
        switch (e)
        {
            case RpcException rpc:
                return rpc;
            case ValidationException v:
                var badRequest = new BadRequest();
                badRequest.FieldViolations.AddRange(v.Violations.Select(x => new BadRequest.Types.FieldViolation { Field = x.Field, Description = x.Description }));
                return Rich(Code.InvalidArgument, v.Message, badRequest);
            case NotFoundException nf:
                return Rich(Code.NotFound, nf.Message, new ResourceInfo { ResourceType = nf.ResourceType, ResourceName = nf.ResourceName });
            case AlreadyExistsException ae:
                var info = new ErrorInfo { Reason = ae.Reason, Domain = Domain };
                info.Metadata.Add(ae.Metadata.ToDictionary());
                return Rich(Code.AlreadyExists, ae.Message, info);
            case PreconditionFailedException pf:
                var failure = new PreconditionFailure();
                failure.Violations.Add(new PreconditionFailure.Types.Violation { Type = pf.Type, Subject = pf.Subject, Description = pf.Message });
                return Rich(Code.FailedPrecondition, pf.Message, failure);
            case QuotaExceededException qe:
                var quotaFailure = new QuotaFailure();
                quotaFailure.Violations.Add(new QuotaFailure.Types.Violation { Subject = qe.Subject, Description = qe.Description });
                return Rich(Code.ResourceExhausted, qe.Message, new RetryInfo { RetryDelay = Duration.FromTimeSpan(qe.RetryAfter) }, quotaFailure);
            case OverloadedException ol:
                return Rich(Code.Unavailable, ol.Message, new RetryInfo { RetryDelay = Duration.FromTimeSpan(ol.RetryAfter) });
            case ResolutionGateway.Hosting.NodeDrainingException nd:
                return Rich(Code.Unavailable, nd.Message, new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(100)) });
            case PermissionDeniedException pd:
                return Rich(Code.PermissionDenied, pd.Message, null);
            case UnauthenticatedException ua:
                return Rich(Code.Unauthenticated, ua.Message, null);
            case ServiceUnavailableException su:
                logger.LogWarning(su.Cause, "{Method} unavailable: {Reason}", context.Method, su.Message);
                return Rich(Code.Unavailable, su.Message, null);
            // Whatever failed after the client cancelled (or its stream was ended: a write to a closed
            // stream throws InvalidOperationException or IOException, not OperationCanceledException)
            // is the cancellation itself, not a fault of the service: no error-level log.
            case Exception when context.CancellationToken.IsCancellationRequested:
                return new RpcException(new global::Grpc.Core.Status(StatusCode.Cancelled, "call cancelled"));
            default:
                // Exception messages may carry request data; they go to the log (not the client) and
                // stores never put personal data into exception messages.
                logger.LogError(e, "{Method} failed unexpectedly", context.Method);
                return Rich(Code.Internal, "internal error", null);
        }
    }

    /// <summary>
    /// A request whose bytes protobuf could not read (invalid UTF-8 in a string, a truncated or
    /// malformed encoding): INVALID_ARGUMENT, with a BadRequest naming <paramref name="field"/> (the
    /// path of the field where reading failed) when it is known. Thrown from the request
    /// deserializer, before any interceptor, so grpc-dotnet sends it as is and logs it at
    /// information level, never as an error.
    /// </summary>
    public static RpcException MalformedRequest(Google.Protobuf.InvalidProtocolBufferException e, string? field)
    {
        var description = e.Message.Contains("UTF-8", StringComparison.Ordinal) ? "not valid UTF-8" : "not a valid protobuf encoding";
        if (field is null)
        {
            return Rich(Code.InvalidArgument, "malformed request message: " + description, null);
        }
        var badRequest = new BadRequest();
        badRequest.FieldViolations.Add(new BadRequest.Types.FieldViolation { Field = field, Description = description });
        return Rich(Code.InvalidArgument, $"malformed request message: {field} is {description}", badRequest);
    }

    private static RpcException Rich(Code code, string message, Google.Protobuf.IMessage? detail, params Google.Protobuf.IMessage[] more)
    {
        var status = new Status { Code = (int)code, Message = message };
        if (detail is not null)
        {
            status.Details.Add(Any.Pack(detail));
        }
        status.Details.AddRange(more.Select(Any.Pack));
        return status.ToRpcException();
    }
}
