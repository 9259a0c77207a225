using Google.Protobuf.WellKnownTypes;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.Webhooks;
using D = ResolutionGateway.Core.Disputes;
using V1 = ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.Grpc.Mapping;

/// <summary>Maps the messages of resolution/v1/webhook.proto: endpoints, deliveries and the event a webhook carries.</summary>
public static class WebhookMapper
{
    public static WebhookOwnerKind ToDomain(V1.WebhookOwnerKind kind) => (WebhookOwnerKind)kind;

    public static WebhookDeliveryStatus ToDomain(V1.WebhookDeliveryStatus status) => (WebhookDeliveryStatus)status;

    /// <summary>An endpoint as the contract shows it (never its secrets).</summary>
    public static V1.WebhookEndpoint ToProto(WebhookEndpoint e, DateTimeOffset now) => new()
    {
        EndpointId = e.EndpointId,
        OwnerKind = (V1.WebhookOwnerKind)e.OwnerKind,
        OwnerId = e.OwnerId,
        Url = e.Url,
        Description = e.Description,
        Enabled = e.Enabled,
        DisabledReason = e.DisabledReason,
        CreateTime = Timestamp.FromDateTimeOffset(e.CreatedAt),
        UpdateTime = Timestamp.FromDateTimeOffset(e.UpdatedAt),
        PreviousSecretExpireTime = TypesMapper.ToProto(e.PreviousSecretExpiry(now)),
    };

    /// <summary>A delivery as the contract shows it.</summary>
    public static V1.WebhookDelivery ToProto(WebhookDelivery d) => new()
    {
        EndpointId = d.EndpointId,
        DisputeId = d.DisputeId,
        Seq = d.Seq,
        EventId = d.EventId,
        EventType = "dispute." + d.EventType,
        Status = (V1.WebhookDeliveryStatus)d.Status,
        Attempts = d.Attempts,
        CreateTime = Timestamp.FromDateTimeOffset(d.CreatedAt),
        FirstAttemptTime = TypesMapper.ToProto(d.FirstAttemptAt),
        NextAttemptTime = d.Status == WebhookDeliveryStatus.Pending ? TypesMapper.ToProto(d.NextAttemptAt) : null,
        DeliverTime = TypesMapper.ToProto(d.DeliveredAt),
        LastHttpStatus = d.LastHttpStatus,
        LastError = d.LastError,
        DeadLetterReason = d.DeadLetterReason,
    };

    /// <summary>The event <paramref name="endpoint"/> receives, with the dispute and trail as <paramref name="viewer"/> may see them.</summary>
    public static V1.WebhookEvent ToProto(WebhookEndpoint endpoint, D.DisputeEvent e, D.Dispute after, IEnumerable<D.DisputeEvent> trail, Principal viewer)
    {
        var message = new V1.WebhookEvent
        {
            EventId = WebhookDelivery.EventIdOf(e.DisputeId, e.Seq),
            EventType = "dispute." + e.Detail.Type,
            EndpointId = endpoint.EndpointId,
            Audience = (V1.WebhookOwnerKind)endpoint.OwnerKind,
            Event = DisputeServiceMapper.ToProto(e, viewer),
            Dispute = DisputeServiceMapper.ToProto(after, viewer),
        };
        message.Trail.AddRange(trail.Select(t => DisputeServiceMapper.ToProto(t, viewer)));
        return message;
    }
}
