using Google.Protobuf.WellKnownTypes;
using ResolutionGateway.Core.Directory;
using ResolutionGateway.Core.Policies;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Core.UseCases;
using ResolutionGateway.Core.Webhooks;
using S = ResolutionGateway.Core.Security;
using V1 = ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.Grpc.Mapping;

/// <summary>
/// Maps the messages of resolution/v1/admin_service.proto: the directory (channels, merchants,
/// stores), API keys, and the list and resolve responses around policies and webhooks (whose own
/// messages <see cref="PolicyMapper"/> and <see cref="WebhookMapper"/> map).
/// </summary>
public static class AdminServiceMapper
{
    // ---- directory ----

    public static V1.Channel ToProto(ChannelRecord c) => new() { ChannelId = c.ChannelId, DisplayName = c.DisplayName, CreateTime = Timestamp.FromDateTimeOffset(c.CreatedAt) };

    public static V1.Merchant ToProto(MerchantRecord m) => new()
    {
        MerchantId = m.MerchantId,
        DisplayName = m.DisplayName,
        CreateTime = Timestamp.FromDateTimeOffset(m.CreatedAt),
        Enabled = m.Enabled,
    };

    public static V1.Store ToProto(StoreRecord s) => new()
    {
        MerchantId = s.MerchantId,
        StoreId = s.StoreId,
        DisplayName = s.DisplayName,
        Address = s.Address,
        RegionCode = s.RegionCode,
        Enabled = s.Enabled,
    };

    /// <summary>The store's enabled flag as sent; null when absent (keep the stored one).</summary>
    public static bool? EnabledOf(V1.Store? s) => s is { HasEnabled: true } ? s.Enabled : null;

    public static StoreRecord ToRecord(V1.Store? s) => s is null
        ? new StoreRecord("", "", "", "", "")
        : new StoreRecord(s.MerchantId, s.StoreId, s.DisplayName, s.Address, s.RegionCode);

    // ---- API keys ----

    public static S.CredentialRole ToDomain(V1.CredentialRole role) => (S.CredentialRole)role;

    public static V1.ApiKey ToProto(ApiKeyRecord k) => new()
    {
        KeyId = k.KeyId,
        Role = (V1.CredentialRole)k.Role,
        Scope = k.Scope,
        Description = k.Description,
        CreateTime = Timestamp.FromDateTimeOffset(k.CreatedAt),
        RevokeTime = TypesMapper.ToProto(k.RevokedAt),
        OfficerName = k.OfficerName,
    };

    public static V1.ListApiKeysResponse ToResponse(IEnumerable<ApiKeyRecord> keys)
    {
        var response = new V1.ListApiKeysResponse();
        response.Keys.AddRange(keys.Select(ToProto));
        return response;
    }

    // ---- policies and calendars ----

    public static V1.ListRegionPoliciesResponse ToResponse(IEnumerable<RegionPolicy> policies)
    {
        var response = new V1.ListRegionPoliciesResponse();
        response.Policies.AddRange(policies.Select(PolicyMapper.ToProto));
        return response;
    }

    public static V1.ResolveRegionPolicyResponse ToResponse(EffectivePolicy effective, DisputeDeadlines deadlines) => new()
    {
        Policy = PolicyMapper.ToProto(effective.Policy),
        Calendar = PolicyMapper.ToProto(effective.Calendar),
        FirstResponseDueTime = Timestamp.FromDateTimeOffset(deadlines.FirstResponseDue),
        FirstResponseWarningTime = TypesMapper.ToProto(deadlines.FirstResponseWarnAt),
        NegotiationDueTime = Timestamp.FromDateTimeOffset(deadlines.NegotiationDue),
        NegotiationWarningTime = TypesMapper.ToProto(deadlines.NegotiationWarnAt),
    };

    public static V1.ListWorkingCalendarsResponse ToResponse(IEnumerable<WorkingCalendar> calendars)
    {
        var response = new V1.ListWorkingCalendarsResponse();
        response.Calendars.AddRange(calendars.Select(PolicyMapper.ToProto));
        return response;
    }

    // ---- webhooks ----

    /// <summary>The endpoints as the contract shows them (never their secrets), secret expiries as of <paramref name="now"/>.</summary>
    public static V1.ListWebhookEndpointsResponse ToResponse(IEnumerable<WebhookEndpoint> endpoints, DateTimeOffset now)
    {
        var response = new V1.ListWebhookEndpointsResponse();
        response.Endpoints.AddRange(endpoints.Select(e => WebhookMapper.ToProto(e, now)));
        return response;
    }

    public static V1.ListWebhookDeliveriesResponse ToResponse(WebhookCommands.DeliveryPage page)
    {
        var response = new V1.ListWebhookDeliveriesResponse { NextPageToken = page.NextPageToken };
        response.Deliveries.AddRange(page.Deliveries.Select(WebhookMapper.ToProto));
        return response;
    }
}
