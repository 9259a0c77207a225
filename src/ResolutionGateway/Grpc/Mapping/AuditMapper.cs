using ResolutionGateway.Contracts.V1;
using ResolutionGateway.Core.UseCases;
using D = ResolutionGateway.Core.Audit;

namespace ResolutionGateway.Grpc.Mapping;

/// <summary>Maps the audit log (ListAuditEvents) between the proto and the domain.</summary>
public static class AuditMapper
{
    public static D.AuditFilter ToFilter(ListAuditEventsRequest r) => new(
        r.KeyId.Length == 0 ? null : r.KeyId,
        r.DisputeId.Length == 0 ? null : r.DisputeId,
        TypesMapper.ToTime(r.StartTime, "start_time"),
        TypesMapper.ToTime(r.EndTime, "end_time"));

    public static ListAuditEventsResponse ToResponse(AuditQueries.AuditPage page)
    {
        var response = new ListAuditEventsResponse { NextPageToken = page.NextPageToken };
        response.Events.AddRange(page.Entries.Select(e => new AuditEvent
        {
            AuditId = e.AuditId,
            OccurTime = TypesMapper.ToProto(e.OccurredAt),
            KeyId = e.KeyId,
            Role = (CredentialRole)e.Role,
            Rpc = e.Rpc,
            DisputeId = e.DisputeId,
            ObjectId = e.ObjectId,
            Kind = (AuditKind)e.Kind,
        }));
        return response;
    }
}
