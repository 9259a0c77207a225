using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;

namespace ResolutionGateway.Tools.Rgctl.Output;

/// <summary>Prints a failed call as "error: CODE: detail" plus any google.rpc details, on stderr.</summary>
internal static class ErrorPrinter
{
    public static void Print(RpcException ex)
    {
        var err = Console.Error;
        err.WriteLine(string.IsNullOrEmpty(ex.Status.Detail) ? $"error: {ex.StatusCode}" : $"error: {ex.StatusCode}: {ex.Status.Detail}");
        if (ex.Status.DebugException is { } cause)
        {
            err.WriteLine($"  cause: {cause.Message}");
        }

        Google.Rpc.Status? status;
        try
        {
            status = ex.GetRpcStatus();
        }
        catch (InvalidProtocolBufferException)
        {
            err.WriteLine("  (the grpc-status-details-bin trailer could not be decoded)");
            return;
        }

        if (status is null)
        {
            return;
        }

        foreach (var detail in status.Details)
        {
            if (detail.TryUnpack<BadRequest>(out var badRequest))
            {
                foreach (var v in badRequest.FieldViolations)
                {
                    var reason = string.IsNullOrEmpty(v.Reason) ? string.Empty : $" [{v.Reason}]";
                    err.WriteLine($"  - {v.Field}: {v.Description}{reason}");
                }
            }
            else if (detail.TryUnpack<ErrorInfo>(out var info))
            {
                var metadata = string.Join(", ", info.Metadata.Select(kv => $"{kv.Key}={kv.Value}"));
                err.WriteLine($"  reason: {info.Reason}{(string.IsNullOrEmpty(info.Domain) ? string.Empty : $" ({info.Domain})")}" +
                    (metadata.Length == 0 ? string.Empty : $"; {metadata}"));
            }
            else if (detail.TryUnpack<PreconditionFailure>(out var precondition))
            {
                foreach (var v in precondition.Violations)
                {
                    err.WriteLine($"  - precondition {v.Type} {v.Subject}: {v.Description}");
                }
            }
            else if (detail.TryUnpack<ResourceInfo>(out var resource))
            {
                err.WriteLine($"  resource: {resource.ResourceType} {resource.ResourceName} {resource.Description}".TrimEnd());
            }
            else if (detail.TryUnpack<LocalizedMessage>(out var localized))
            {
                err.WriteLine($"  {localized.Locale}: {localized.Message}");
            }
            else
            {
                err.WriteLine($"  (detail {detail.TypeUrl})");
            }
        }
    }
}
