using Grpc.Core;
using ResolutionGateway.Contracts.V1;
using static ResolutionGateway.Grpc.GatewayInterceptor;
using static ResolutionGateway.Grpc.Mapping.DirectoryMapper;

namespace ResolutionGateway.Grpc;

/// <summary>The directory at scale: listings and the store import.</summary>
public sealed partial class AdminGrpcService
{
    public override async Task<ListChannelsResponse> ListChannels(ListChannelsRequest request, ServerCallContext context) =>
        ToResponse(await directory.ListChannelsAsync(PrincipalOf(context), request.PageSize, request.PageToken, context.CancellationToken));

    public override async Task<ListMerchantsResponse> ListMerchants(ListMerchantsRequest request, ServerCallContext context) =>
        ToResponse(await directory.ListMerchantsAsync(PrincipalOf(context), request.RegionPrefix, request.HasEnabled ? request.Enabled : null,
            request.PageSize, request.PageToken, context.CancellationToken));

    public override async Task<ListStoresResponse> ListStores(ListStoresRequest request, ServerCallContext context) =>
        ToResponse(await directory.ListStoresAsync(PrincipalOf(context), request.MerchantId, request.RegionPrefix,
            request.HasEnabled ? request.Enabled : null, request.PageSize, request.PageToken, context.CancellationToken));

    public override async Task<ImportStoresResponse> ImportStores(IAsyncStreamReader<ImportStoresRequest> requestStream, ServerCallContext context) =>
        ToResponse(await directory.ImportStoresAsync(PrincipalOf(context),
            requestStream.ReadAllAsync(context.CancellationToken).Select(ToImportChunk), context.CancellationToken));
}
