using Google.Protobuf.WellKnownTypes;
using ResolutionGateway.Core.Security;
using V1 = ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.Grpc.Mapping;

/// <summary>Maps KeyQuota of admin_service.proto (SetKeyQuota).</summary>
public static class KeyQuotaMapper
{
    /// <summary>The limits of a request's quota; an absent quota reads as all zero.</summary>
    public static QuotaLimits ToDomain(V1.KeyQuota? q) => new(q?.RequestsPerSecond ?? 0, q?.Burst ?? 0, q?.Streams ?? 0);

    /// <summary>An override, or absent.</summary>
    public static V1.KeyQuota? ToProto(KeyQuota? q) => q is null ? null : new V1.KeyQuota
    {
        KeyId = q.KeyId,
        RequestsPerSecond = q.Limits.RequestsPerSecond,
        Burst = q.Limits.Burst,
        Streams = q.Limits.Streams,
        UpdateTime = Timestamp.FromDateTimeOffset(q.UpdatedAt),
    };
}
