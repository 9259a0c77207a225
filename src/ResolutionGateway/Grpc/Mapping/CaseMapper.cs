using Google.Protobuf.WellKnownTypes;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Core.UseCases;
using D = ResolutionGateway.Core.Disputes;
using V1 = ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.Grpc.Mapping;

/// <summary>Maps the regulator's case-handling requests and events of resolution/v1/dispute_service.proto.</summary>
public static class CaseMapper
{
    public static AcceptCaseCommand ToCommand(V1.AcceptCaseRequest r) => new(r.RequestId, r.DisputeId, r.Note);

    public static RefuseCaseCommand ToCommand(V1.RefuseCaseRequest r) => new(r.RequestId, r.DisputeId, (D.RefusalReason)r.Reason, r.Note);

    public static AssignCaseCommand ToCommand(V1.AssignCaseRequest r) => new(r.RequestId, r.DisputeId, r.Officer, r.Note);

    public static TransferCaseCommand ToCommand(V1.TransferCaseRequest r) => new(r.RequestId, r.DisputeId, r.RegionPrefix, r.Note);

    public static AddCaseNoteCommand ToCommand(V1.AddCaseNoteRequest r) => new(r.RequestId, r.DisputeId, r.Text);

    public static V1.CaseNote ToProto(CaseNote n) => new()
    {
        NoteId = n.NoteId,
        DisputeId = n.DisputeId,
        AuthorRegionPrefix = n.Author,
        Text = n.Text,
        CreateTime = Timestamp.FromDateTimeOffset(n.CreatedAt),
    };

    /// <summary>Sets the detail of a case event; leaves <paramref name="p"/> without one for kinds it does not know.</summary>
    public static void SetDetail(V1.DisputeEvent p, D.EventDetail detail)
    {
        switch (detail)
        {
            case D.CaseAccepted a:
                p.CaseAccepted = new V1.CaseAccepted { Note = a.Note, MediationDueTime = Timestamp.FromDateTimeOffset(a.MediationDueAt) };
                break;
            case D.CaseRefused r:
                p.CaseRefused = new V1.CaseRefused { Reason = (V1.RefusalReason)r.Reason, Note = r.Note };
                break;
            case D.CaseAssigned a:
                p.CaseAssigned = new V1.CaseAssigned { Officer = a.Officer, Note = a.Note };
                break;
            case D.CaseTransferred t:
                p.CaseTransferred = new V1.CaseTransferred
                {
                    FromRegionPrefix = t.FromPrefix,
                    ToRegionPrefix = t.ToPrefix,
                    Note = t.Note,
                    AcceptDueTime = TypesMapper.ToProto(t.AcceptDueAt),
                };
                break;
            case D.DeadlineOverdue o:
                p.DeadlineOverdue = new V1.DeadlineOverdue { Deadline = (V1.DeadlineKind)o.Deadline, DueTime = Timestamp.FromDateTimeOffset(o.DueAt) };
                break;
        }
    }
}
