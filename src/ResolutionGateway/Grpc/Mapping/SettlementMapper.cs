using Google.Protobuf.WellKnownTypes;
using ResolutionGateway.Core.UseCases;
using D = ResolutionGateway.Core.Disputes;
using V1 = ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.Grpc.Mapping;

/// <summary>Maps the settlement execution and reopening requests, fields and events of resolution/v1/dispute_service.proto.</summary>
public static class SettlementMapper
{
    public static RecordSettlementExecutionCommand ToCommand(V1.RecordSettlementExecutionRequest r) =>
        new(r.RequestId, r.DisputeId, r.Reference, TypesMapper.ToDomain(r.Amount), TypesMapper.ToTime(r.ExecuteTime, "execute_time"), r.Note);

    public static ConfirmSettlementCommand ToCommand(V1.ConfirmSettlementRequest r) =>
        new(r.RequestId, r.DisputeId, (D.SettlementReceipt)r.Receipt, r.Note);

    public static ReopenDisputeCommand ToCommand(V1.ReopenDisputeRequest r) => new(r.RequestId, r.DisputeId, (D.ReopenReason)r.Reason, r.Note);

    /// <summary>Sets the settlement and reopening fields of the dispute's view.</summary>
    public static void SetFields(V1.Dispute p, D.Dispute d)
    {
        p.ExecutionDueTime = TypesMapper.ToProto(d.ExecutionDueAt);
        p.ExecutionWarningTime = TypesMapper.ToProto(d.ExecutionWarnAt);
        p.SettlementExecution = d.Execution is { } x
            ? new V1.SettlementExecution
            {
                Reference = x.Reference,
                Amount = TypesMapper.ToProto(x.Amount),
                ExecuteTime = Timestamp.FromDateTimeOffset(x.ExecutedAt),
                RecordTime = Timestamp.FromDateTimeOffset(x.RecordedAt),
            }
            : null;
        p.SettlementReceipt = (V1.SettlementReceipt)d.Receipt;
        p.SettlementReceiptTime = TypesMapper.ToProto(d.ReceiptAt);
        p.ReopenDueTime = TypesMapper.ToProto(d.ReopenUntil);
        p.ReopenCount = d.ReopenCount;
        p.ReopenTime = TypesMapper.ToProto(d.ReopenedAt);
        p.ReopenReason = (V1.ReopenReason)d.ReopenReason;
    }

    /// <summary>Sets the detail of a settlement event; false for kinds it does not know.</summary>
    public static bool SetDetail(V1.DisputeEvent p, D.EventDetail detail)
    {
        switch (detail)
        {
            case D.SettlementExecutionRecorded x:
                p.SettlementExecutionRecorded = new V1.SettlementExecutionRecorded
                {
                    Reference = x.Reference,
                    Amount = TypesMapper.ToProto(x.Amount),
                    ExecuteTime = Timestamp.FromDateTimeOffset(x.ExecutedAt),
                    Note = x.Note,
                };
                return true;
            case D.SettlementConfirmed c:
                p.SettlementConfirmed = new V1.SettlementConfirmed { Receipt = (V1.SettlementReceipt)c.Receipt, Note = c.Note };
                return true;
            case D.DisputeReopened r:
                p.Reopened = new V1.DisputeReopened
                {
                    Reason = (V1.ReopenReason)r.Reason,
                    Note = r.Note,
                    AcceptDueTime = Timestamp.FromDateTimeOffset(r.AcceptDueAt),
                };
                return true;
            default:
                return false;
        }
    }
}
