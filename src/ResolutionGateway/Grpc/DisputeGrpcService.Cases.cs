using Grpc.Core;
using ResolutionGateway.Contracts.V1;
using static ResolutionGateway.Grpc.GatewayInterceptor;
using static ResolutionGateway.Grpc.Mapping.CaseMapper;
using static ResolutionGateway.Grpc.Mapping.DisputeServiceMapper;

namespace ResolutionGateway.Grpc;

// The regulator's case handling (AcceptCase, RefuseCase, AssignCase, TransferCase, AddCaseNote, ListCaseNotes).
public sealed partial class DisputeGrpcService
{
    public override async Task<AcceptCaseResponse> AcceptCase(AcceptCaseRequest request, ServerCallContext context)
    {
        var p = PrincipalOf(context);
        var change = await commands.AcceptCaseAsync(p, ToCommand(request), context.CancellationToken);
        return new AcceptCaseResponse { Dispute = ToProto(change.State, p) };
    }

    public override async Task<RefuseCaseResponse> RefuseCase(RefuseCaseRequest request, ServerCallContext context)
    {
        var p = PrincipalOf(context);
        var change = await commands.RefuseCaseAsync(p, ToCommand(request), context.CancellationToken);
        return new RefuseCaseResponse { Dispute = ToProto(change.State, p) };
    }

    public override async Task<AssignCaseResponse> AssignCase(AssignCaseRequest request, ServerCallContext context)
    {
        var p = PrincipalOf(context);
        var change = await commands.AssignCaseAsync(p, ToCommand(request), context.CancellationToken);
        return new AssignCaseResponse { Dispute = ToProto(change.State, p) };
    }

    public override async Task<TransferCaseResponse> TransferCase(TransferCaseRequest request, ServerCallContext context)
    {
        var p = PrincipalOf(context);
        var change = await commands.TransferCaseAsync(p, ToCommand(request), context.CancellationToken);
        return new TransferCaseResponse { Dispute = ToProto(change.State, p) };
    }

    public override async Task<AddCaseNoteResponse> AddCaseNote(AddCaseNoteRequest request, ServerCallContext context)
    {
        var p = PrincipalOf(context);
        return new AddCaseNoteResponse { Note = ToProto(await caseNotes.AddAsync(p, ToCommand(request), context.CancellationToken)) };
    }

    public override async Task<ListCaseNotesResponse> ListCaseNotes(ListCaseNotesRequest request, ServerCallContext context)
    {
        var p = PrincipalOf(context);
        var response = new ListCaseNotesResponse();
        response.Notes.AddRange((await caseNotes.ListAsync(p, request.DisputeId, context.CancellationToken)).Select(n => ToProto(n)));
        return response;
    }
}
