using Grpc.Core;
using ResolutionGateway.Contracts.V1;
using static ResolutionGateway.Grpc.GatewayInterceptor;
using static ResolutionGateway.Grpc.Mapping.DisputeServiceMapper;
using static ResolutionGateway.Grpc.Mapping.SettlementMapper;

namespace ResolutionGateway.Grpc;

// Settlement execution and reopening (RecordSettlementExecution, ConfirmSettlement, ReopenDispute).
public sealed partial class DisputeGrpcService
{
    public override async Task<RecordSettlementExecutionResponse> RecordSettlementExecution(RecordSettlementExecutionRequest request, ServerCallContext context)
    {
        var p = PrincipalOf(context);
        var change = await commands.RecordSettlementExecutionAsync(p, ToCommand(request), context.CancellationToken);
        return new RecordSettlementExecutionResponse { Dispute = ToProto(change.State, p) };
    }

    public override async Task<ConfirmSettlementResponse> ConfirmSettlement(ConfirmSettlementRequest request, ServerCallContext context)
    {
        var p = PrincipalOf(context);
        var change = await commands.ConfirmSettlementAsync(p, ToCommand(request), context.CancellationToken);
        return new ConfirmSettlementResponse { Dispute = ToProto(change.State, p) };
    }

    public override async Task<ReopenDisputeResponse> ReopenDispute(ReopenDisputeRequest request, ServerCallContext context)
    {
        var p = PrincipalOf(context);
        var change = await commands.ReopenAsync(p, ToCommand(request), context.CancellationToken);
        return new ReopenDisputeResponse { Dispute = ToProto(change.State, p) };
    }
}
