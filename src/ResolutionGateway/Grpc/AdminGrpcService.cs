using Grpc.Core;
using ResolutionGateway.Contracts.V1;
using ResolutionGateway.Core.UseCases;
using static ResolutionGateway.Grpc.GatewayInterceptor;
using static ResolutionGateway.Grpc.ProtoMapper;

namespace ResolutionGateway.Grpc;

/// <summary>resolution.v1.AdminService: map, delegate, map back.</summary>
public sealed class AdminGrpcService(AdminCommands admin) : AdminService.AdminServiceBase
{
    public override async Task<RegisterChannelResponse> RegisterChannel(RegisterChannelRequest request, ServerCallContext context) =>
        new() { Channel = ToProto(await admin.RegisterChannelAsync(PrincipalOf(context), request.ChannelId, request.DisplayName, context.CancellationToken)) };

    public override async Task<EnrollMerchantResponse> EnrollMerchant(EnrollMerchantRequest request, ServerCallContext context) =>
        new() { Merchant = ToProto(await admin.EnrollMerchantAsync(PrincipalOf(context), request.MerchantId, request.DisplayName, context.CancellationToken)) };

    public override async Task<UpsertStoreResponse> UpsertStore(UpsertStoreRequest request, ServerCallContext context) =>
        new() { Store = ToProto(await admin.UpsertStoreAsync(PrincipalOf(context), ToRecord(request.Store), context.CancellationToken)) };

    public override async Task<CreateApiKeyResponse> CreateApiKey(CreateApiKeyRequest request, ServerCallContext context)
    {
        var (key, token) = await admin.CreateApiKeyAsync(PrincipalOf(context), (Core.Security.CredentialRole)request.Role, request.Scope,
            request.Description, context.CancellationToken);
        return new CreateApiKeyResponse { Key = ToProto(key), Token = token };
    }

    public override async Task<RevokeApiKeyResponse> RevokeApiKey(RevokeApiKeyRequest request, ServerCallContext context) =>
        new() { Key = ToProto(await admin.RevokeApiKeyAsync(PrincipalOf(context), request.KeyId, context.CancellationToken)) };

    public override async Task<ListApiKeysResponse> ListApiKeys(ListApiKeysRequest request, ServerCallContext context)
    {
        var response = new ListApiKeysResponse();
        response.Keys.AddRange((await admin.ListApiKeysAsync(PrincipalOf(context), request.IncludeRevoked, context.CancellationToken)).Select(ToProto));
        return response;
    }
}
