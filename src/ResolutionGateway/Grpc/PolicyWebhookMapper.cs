using System.Globalization;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using ResolutionGateway.Core.Policies;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.UseCases;
using ResolutionGateway.Core.Webhooks;
using D = ResolutionGateway.Core.Disputes;
using V1 = ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.Grpc;

/// <summary>Maps policies, calendars and webhook records between resolution.v1 and the domain.</summary>
public static class PolicyWebhookMapper
{
    /// <summary>A policy request as the use case takes it.</summary>
    public static RegionPolicyInput ToInput(V1.RegionPolicy? p) => p is null
        ? new RegionPolicyInput("", null, null, 0, 0, 0, "")
        : new RegionPolicyInput(p.RegionPrefix, ToRule(p.FirstResponse), ToRule(p.Negotiation), p.NegotiationLimitDays,
            p.PurchaseWindowDays, p.WarningLeadHours, p.CalendarId);

    private static DeadlineRule? ToRule(V1.DeadlineRule? r) => r?.RuleCase switch
    {
        V1.DeadlineRule.RuleOneofCase.Hours => DeadlineRule.Hours(r.Hours),
        V1.DeadlineRule.RuleOneofCase.Days => DeadlineRule.Days(r.Days),
        V1.DeadlineRule.RuleOneofCase.WorkingDays => DeadlineRule.WorkingDays(r.WorkingDays),
        _ => null,
    };

    /// <summary>A policy as the contract shows it.</summary>
    public static V1.RegionPolicy ToProto(RegionPolicy p) => new()
    {
        RegionPrefix = p.RegionPrefix,
        FirstResponse = ToProto(p.FirstResponse),
        Negotiation = ToProto(p.Negotiation),
        NegotiationLimitDays = (int)p.NegotiationLimit.TotalDays,
        PurchaseWindowDays = (int)p.PurchaseWindow.TotalDays,
        WarningLeadHours = (int)p.WarningLead.TotalHours,
        CalendarId = p.CalendarId,
        Source = (V1.PolicySource)p.Source,
        UpdateTime = ProtoMapper.ToProto(p.UpdatedAt),
    };

    private static V1.DeadlineRule ToProto(DeadlineRule r) => r.Unit switch
    {
        DeadlineUnit.Hours => new V1.DeadlineRule { Hours = r.Amount },
        DeadlineUnit.Days => new V1.DeadlineRule { Days = r.Amount },
        _ => new V1.DeadlineRule { WorkingDays = r.Amount },
    };

    /// <summary>A calendar request as the use case takes it.</summary>
    public static WorkingCalendarInput ToInput(V1.WorkingCalendar? c) => c is null
        ? new WorkingCalendarInput("", "", 0, [], [])
        : new WorkingCalendarInput(c.CalendarId, c.DisplayName, c.UtcOffsetMinutes, [.. c.Holidays], [.. c.MakeUpWorkdays]);

    /// <summary>A calendar as the contract shows it.</summary>
    public static V1.WorkingCalendar ToProto(WorkingCalendar c)
    {
        var p = new V1.WorkingCalendar
        {
            CalendarId = c.CalendarId,
            DisplayName = c.DisplayName,
            UtcOffsetMinutes = (int)c.UtcOffset.TotalMinutes,
            Source = (V1.PolicySource)c.Source,
            UpdateTime = ProtoMapper.ToProto(c.UpdatedAt),
        };
        p.Holidays.AddRange(c.Holidays.Order().Select(Date));
        p.MakeUpWorkdays.AddRange(c.MakeUpWorkdays.Order().Select(Date));
        return p;
    }

    private static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

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
        PreviousSecretExpireTime = ProtoMapper.ToProto(e.PreviousSecretExpiry(now)),
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
        FirstAttemptTime = ProtoMapper.ToProto(d.FirstAttemptAt),
        NextAttemptTime = d.Status == WebhookDeliveryStatus.Pending ? ProtoMapper.ToProto(d.NextAttemptAt) : null,
        DeliverTime = ProtoMapper.ToProto(d.DeliveredAt),
        LastHttpStatus = d.LastHttpStatus,
        LastError = d.LastError,
        DeadLetterReason = d.DeadLetterReason,
    };
}

/// <summary>
/// Webhook bodies: the contract's WebhookEvent in the proto3 JSON mapping, rendered for the
/// endpoint's owner (a merchant gets the consumer's mobile masked, as in its API views).
/// </summary>
public sealed class ProtoWebhookPayloadBuilder : IWebhookPayloadBuilder
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
        var message = new V1.WebhookEvent
        {
            EventId = WebhookDelivery.EventIdOf(e.DisputeId, e.Seq),
            EventType = "dispute." + e.Detail.Type,
            EndpointId = endpoint.EndpointId,
            Audience = (V1.WebhookOwnerKind)endpoint.OwnerKind,
            Event = ProtoMapper.ToProto(e, viewer),
            Dispute = ProtoMapper.ToProto(after, viewer),
        };
        message.Trail.AddRange(trail.Select(t => ProtoMapper.ToProto(t, viewer)));
        return Encoding.UTF8.GetBytes(Formatter.Format(message));
    }
}
