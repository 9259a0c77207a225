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
            case PermissionDeniedException pd:
                return Rich(Code.PermissionDenied, pd.Message, null);
            case UnauthenticatedException ua:
                return Rich(Code.Unauthenticated, ua.Message, null);
            case ServiceUnavailableException su:
                logger.LogWarning(su.Cause, "{Method} unavailable: {Reason}", context.Method, su.Message);
                return Rich(Code.Unavailable, su.Message, null);
            case OperationCanceledException when context.CancellationToken.IsCancellationRequested:
                return new RpcException(new global::Grpc.Core.Status(StatusCode.Cancelled, "call cancelled"));
            default:
                // Exception messages may carry request data; they go to the log (not the client) and
                // stores never put personal data into exception messages.
                logger.LogError(e, "{Method} failed unexpectedly", context.Method);
                return Rich(Code.Internal, "internal error", null);
        }
    }

    private static RpcException Rich(Code code, string message, Google.Protobuf.IMessage? detail)
    {
        var status = new Status { Code = (int)code, Message = message };
        if (detail is not null)
        {
            status.Details.Add(Any.Pack(detail));
        }
        return status.ToRpcException();
    }
}
