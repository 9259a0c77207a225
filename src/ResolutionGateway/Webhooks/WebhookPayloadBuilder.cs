using System.Text;
using Google.Protobuf;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.Webhooks;
using ResolutionGateway.Grpc.Mapping;
using D = ResolutionGateway.Core.Disputes;

namespace ResolutionGateway.Webhooks;

/// <summary>
/// Webhook bodies: the contract's WebhookEvent in the proto3 JSON mapping, rendered for the
/// endpoint's owner (a merchant gets the consumer's mobile masked, as in its API views).
/// </summary>
public sealed class WebhookPayloadBuilder : IWebhookPayloadBuilder
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default);

    /// <inheritdoc />
    public byte[] Build(WebhookEndpoint endpoint, D.DisputeEvent e, D.Dispute after, IReadOnlyList<D.DisputeEvent> trail)
    {
        var viewer = endpoint.OwnerKind switch
        {
            WebhookOwnerKind.Merchant => new Principal(CredentialRole.Merchant, endpoint.OwnerId, ""),
            WebhookOwnerKind.Channel => new Principal(CredentialRole.Channel, endpoint.OwnerId, ""),
            _ => new Principal(CredentialRole.Regulator, endpoint.OwnerId, ""),
        };
        return Encoding.UTF8.GetBytes(Formatter.Format(WebhookMapper.ToProto(endpoint, e, after, trail, viewer)));
    }
}
