using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using ResolutionGateway.Contracts.V1;
using ResolutionGateway.Core.UseCases;
using static ResolutionGateway.Grpc.GatewayInterceptor;
using static ResolutionGateway.Grpc.Mapping.AdminServiceMapper;
using static ResolutionGateway.Grpc.Mapping.KeyQuotaMapper;
using static ResolutionGateway.Grpc.Mapping.PolicyMapper;
using static ResolutionGateway.Grpc.Mapping.WebhookMapper;

namespace ResolutionGateway.Grpc;

/// <summary>resolution.v1.AdminService: map, delegate, map back.</summary>
public sealed partial class AdminGrpcService(AdminCommands admin, PolicyCommands policies, WebhookCommands webhooks, QuotaCommands quotas, TimeProvider time,
    PersonalDataCommands personalData, AuditQueries audit, DirectoryCommands directory)
    : AdminService.AdminServiceBase
{
    public override async Task<RegisterChannelResponse> RegisterChannel(RegisterChannelRequest request, ServerCallContext context) =>
        new() { Channel = ToProto(await admin.RegisterChannelAsync(PrincipalOf(context), request.ChannelId, request.DisplayName, context.CancellationToken)) };

    public override async Task<EnrollMerchantResponse> EnrollMerchant(EnrollMerchantRequest request, ServerCallContext context) =>
        new() { Merchant = ToProto(await admin.EnrollMerchantAsync(PrincipalOf(context), request.MerchantId, request.DisplayName,
            request.HasEnabled ? request.Enabled : null, context.CancellationToken)) };

    public override async Task<UpsertStoreResponse> UpsertStore(UpsertStoreRequest request, ServerCallContext context) =>
        new() { Store = ToProto(await admin.UpsertStoreAsync(PrincipalOf(context), ToRecord(request.Store), EnabledOf(request.Store), context.CancellationToken)) };

    public override async Task<CreateApiKeyResponse> CreateApiKey(CreateApiKeyRequest request, ServerCallContext context)
    {
        var (key, token) = await admin.CreateApiKeyAsync(PrincipalOf(context), ToDomain(request.Role), request.Scope,
            request.Description, request.OfficerName, context.CancellationToken);
        return new CreateApiKeyResponse { Key = ToProto(key), Token = token };
    }

    public override async Task<RevokeApiKeyResponse> RevokeApiKey(RevokeApiKeyRequest request, ServerCallContext context) =>
        new() { Key = ToProto(await admin.RevokeApiKeyAsync(PrincipalOf(context), request.KeyId, context.CancellationToken)) };

    public override async Task<ListApiKeysResponse> ListApiKeys(ListApiKeysRequest request, ServerCallContext context) =>
        ToResponse(await admin.ListApiKeysAsync(PrincipalOf(context), request.IncludeRevoked, context.CancellationToken));

    public override async Task<SetRegionPolicyResponse> SetRegionPolicy(SetRegionPolicyRequest request, ServerCallContext context) =>
        new() { Policy = ToProto(await policies.SetPolicyAsync(PrincipalOf(context), ToInput(request.Policy), context.CancellationToken)) };

    public override async Task<DeleteRegionPolicyResponse> DeleteRegionPolicy(DeleteRegionPolicyRequest request, ServerCallContext context) =>
        new() { EffectivePolicy = ToProto(await policies.DeletePolicyAsync(PrincipalOf(context), request.RegionPrefix, context.CancellationToken)) };

    public override Task<ListRegionPoliciesResponse> ListRegionPolicies(ListRegionPoliciesRequest request, ServerCallContext context) =>
        Task.FromResult(ToResponse(policies.ListPolicies(PrincipalOf(context))));

    public override Task<ResolveRegionPolicyResponse> ResolveRegionPolicy(ResolveRegionPolicyRequest request, ServerCallContext context)
    {
        var (effective, deadlines) = policies.Resolve(PrincipalOf(context), request.RegionCode, Mapping.TypesMapper.ToTime(request.OpenTime, "open_time"));
        return Task.FromResult(ToResponse(effective, deadlines));
    }

    public override async Task<SetWorkingCalendarResponse> SetWorkingCalendar(SetWorkingCalendarRequest request, ServerCallContext context) =>
        new() { Calendar = ToProto(await policies.SetCalendarAsync(PrincipalOf(context), ToInput(request.Calendar), context.CancellationToken)) };

    public override Task<ListWorkingCalendarsResponse> ListWorkingCalendars(ListWorkingCalendarsRequest request, ServerCallContext context) =>
        Task.FromResult(ToResponse(policies.ListCalendars(PrincipalOf(context))));

    public override async Task<CreateWebhookEndpointResponse> CreateWebhookEndpoint(CreateWebhookEndpointRequest request, ServerCallContext context)
    {
        var (endpoint, secret) = await webhooks.CreateAsync(PrincipalOf(context), ToDomain(request.OwnerKind), request.OwnerId,
            request.Url, request.Description, context.CancellationToken);
        return new CreateWebhookEndpointResponse { Endpoint = ToProto(endpoint, time.GetUtcNow()), Secret = secret };
    }

    public override async Task<UpdateWebhookEndpointResponse> UpdateWebhookEndpoint(UpdateWebhookEndpointRequest request, ServerCallContext context)
    {
        var endpoint = await webhooks.UpdateAsync(PrincipalOf(context), request.EndpointId, request.Url,
            request.HasDescription ? request.Description : null, request.HasEnabled ? request.Enabled : null, context.CancellationToken);
        return new UpdateWebhookEndpointResponse { Endpoint = ToProto(endpoint, time.GetUtcNow()) };
    }

    public override async Task<DeleteWebhookEndpointResponse> DeleteWebhookEndpoint(DeleteWebhookEndpointRequest request, ServerCallContext context) =>
        new() { DeadLettered = await webhooks.DeleteAsync(PrincipalOf(context), request.EndpointId, context.CancellationToken) };

    public override async Task<ListWebhookEndpointsResponse> ListWebhookEndpoints(ListWebhookEndpointsRequest request, ServerCallContext context)
    {
        var endpoints = await webhooks.ListAsync(PrincipalOf(context), ToDomain(request.OwnerKind), request.OwnerId, context.CancellationToken);
        return ToResponse(endpoints, time.GetUtcNow());
    }

    public override async Task<RotateWebhookSecretResponse> RotateWebhookSecret(RotateWebhookSecretRequest request, ServerCallContext context)
    {
        var (endpoint, secret) = await webhooks.RotateSecretAsync(PrincipalOf(context), request.EndpointId, request.PreviousSecretTtlSeconds, context.CancellationToken);
        return new RotateWebhookSecretResponse { Endpoint = ToProto(endpoint, time.GetUtcNow()), Secret = secret };
    }

    public override async Task<ListWebhookDeliveriesResponse> ListWebhookDeliveries(ListWebhookDeliveriesRequest request, ServerCallContext context)
    {
        var page = await webhooks.ListDeliveriesAsync(PrincipalOf(context), request.EndpointId, ToDomain(request.Status),
            request.DisputeId, request.PageSize, request.PageToken, context.CancellationToken);
        return ToResponse(page);
    }

    public override async Task<RedeliverWebhookDeliveriesResponse> RedeliverWebhookDeliveries(RedeliverWebhookDeliveriesRequest request, ServerCallContext context) =>
        new() { Requeued = await webhooks.RedeliverAsync(PrincipalOf(context), request.EndpointId, request.DisputeId, request.Seq, context.CancellationToken) };

    public override Task<GetCallerResponse> GetCaller(GetCallerRequest request, ServerCallContext context)
    {
        var p = PrincipalOf(context);
        return Task.FromResult(new GetCallerResponse { KeyId = p.KeyId, Role = (CredentialRole)p.Role, Scope = p.Scope, OfficerName = p.OfficerName });
    }

    public override async Task<SetKeyQuotaResponse> SetKeyQuota(SetKeyQuotaRequest request, ServerCallContext context) =>
        new() { Quota = ToProto(await quotas.SetKeyQuotaAsync(PrincipalOf(context), request.Quota?.KeyId ?? "", ToDomain(request.Quota), context.CancellationToken)) };

    // Audited as every admin action is (AuditInterceptor): who, which consumer, when.
    public override async Task<EraseConsumerDataResponse> EraseConsumerData(EraseConsumerDataRequest request, ServerCallContext context) =>
        new() { EraseTime = Timestamp.FromDateTimeOffset(await personalData.EraseConsumerDataAsync(PrincipalOf(context), request.ChannelId, request.ConsumerRef, context.CancellationToken)) };

    public override async Task<ListAuditEventsResponse> ListAuditEvents(ListAuditEventsRequest request, ServerCallContext context) =>
        Mapping.AuditMapper.ToResponse(await audit.ListAsync(PrincipalOf(context), Mapping.AuditMapper.ToFilter(request), request.PageSize, request.PageToken, context.CancellationToken));
}
