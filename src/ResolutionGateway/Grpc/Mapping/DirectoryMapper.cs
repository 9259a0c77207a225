using ResolutionGateway.Core.Directory;
using V1 = ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.Grpc.Mapping;

/// <summary>Maps the directory listings and the store import of resolution/v1/admin_service.proto.</summary>
public static class DirectoryMapper
{
    public static V1.ListChannelsResponse ToResponse(DirectoryPage<ChannelRecord> page)
    {
        var response = new V1.ListChannelsResponse { NextPageToken = page.NextPageToken };
        response.Channels.AddRange(page.Items.Select(AdminServiceMapper.ToProto));
        return response;
    }

    public static V1.ListMerchantsResponse ToResponse(DirectoryPage<MerchantRecord> page)
    {
        var response = new V1.ListMerchantsResponse { NextPageToken = page.NextPageToken };
        response.Merchants.AddRange(page.Items.Select(AdminServiceMapper.ToProto));
        return response;
    }

    public static V1.ListStoresResponse ToResponse(DirectoryPage<StoreRecord> page)
    {
        var response = new V1.ListStoresResponse { NextPageToken = page.NextPageToken };
        response.Stores.AddRange(page.Items.Select(AdminServiceMapper.ToProto));
        return response;
    }

    /// <summary>One message of the import stream as the use case takes it.</summary>
    public static (string RequestId, IReadOnlyList<(StoreRecord Store, bool? Enabled)> Rows) ToImportChunk(V1.ImportStoresRequest m) =>
        (m.RequestId, m.Stores.Select(s => (AdminServiceMapper.ToRecord(s), AdminServiceMapper.EnabledOf(s))).ToArray());

    public static V1.ImportStoresResponse ToResponse(StoreImportResult r)
    {
        var response = new V1.ImportStoresResponse
        {
            Created = r.Created,
            Updated = r.Updated,
            Unchanged = r.Unchanged,
            Refused = r.Refused,
            Replayed = r.Replayed,
        };
        foreach (var row in r.RefusedRows)
        {
            var refused = new V1.RefusedStoreRow { RowNumber = row.RowNumber, MerchantId = row.MerchantId, StoreId = row.StoreId };
            refused.Violations.AddRange(row.Violations.Select(v => new V1.RefusedStoreRow.Types.Violation { Field = v.Field, Description = v.Description }));
            response.RefusedRows.Add(refused);
        }
        return response;
    }
}
