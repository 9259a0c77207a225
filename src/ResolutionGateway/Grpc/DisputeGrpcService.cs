using Grpc.Core;
using ResolutionGateway.Contracts.V1;
using ResolutionGateway.Core.UseCases;
using static ResolutionGateway.Grpc.GatewayInterceptor;
using static ResolutionGateway.Grpc.Mapping.DisputeServiceMapper;
using static ResolutionGateway.Grpc.Mapping.TypesMapper;

namespace ResolutionGateway.Grpc;

/// <summary>resolution.v1.DisputeService: map the request, call the use case, map the result.</summary>
public sealed partial class DisputeGrpcService(DisputeCommands commands, DisputeQueries queries, CaseNotes caseNotes) : DisputeService.DisputeServiceBase
{
    public override async Task<OpenDisputeResponse> OpenDispute(OpenDisputeRequest request, ServerCallContext context)
    {
        var p = PrincipalOf(context);
        var change = await commands.OpenAsync(p, ToCommand(request), context.CancellationToken);
        return new OpenDisputeResponse { Dispute = ToProto(change.State, p) };
    }

    public override async Task<GetDisputeResponse> GetDispute(GetDisputeRequest request, ServerCallContext context)
    {
        var p = PrincipalOf(context);
        return new GetDisputeResponse { Dispute = ToProto(await queries.GetAsync(p, request.DisputeId, context.CancellationToken), p) };
    }

    public override async Task<ListDisputesResponse> ListDisputes(ListDisputesRequest request, ServerCallContext context)
    {
        var p = PrincipalOf(context);
        var page = await queries.ListAsync(p, ToInput(request), context.CancellationToken);
        return ToResponse(page, p);
    }

    public override async Task<ListDisputeEventsResponse> ListDisputeEvents(ListDisputeEventsRequest request, ServerCallContext context)
    {
        var p = PrincipalOf(context);
        var (events, hasMore) = await queries.ListEventsAsync(p, request.DisputeId, request.AfterSeq, request.PageSize, context.CancellationToken);
        return ToResponse(events, hasMore, p);
    }

    public override async Task<PostMessageResponse> PostMessage(PostMessageRequest request, ServerCallContext context)
    {
        var p = PrincipalOf(context);
        var change = await commands.PostMessageAsync(p, ToCommand(request), context.CancellationToken);
        return new PostMessageResponse { Dispute = ToProto(change.State, p), Event = ToProto(change.Events[^1], p) };
    }

    public override async Task<MakeOfferResponse> MakeOffer(MakeOfferRequest request, ServerCallContext context)
    {
        var p = PrincipalOf(context);
        var change = await commands.MakeOfferAsync(p, ToCommand(request), context.CancellationToken);
        return new MakeOfferResponse { Dispute = ToProto(change.State, p), Offer = ToProto(change.State.CurrentOffer) };
    }

    public override async Task<RespondToOfferResponse> RespondToOffer(RespondToOfferRequest request, ServerCallContext context)
    {
        var p = PrincipalOf(context);
        var change = await commands.RespondToOfferAsync(p, ToCommand(request), context.CancellationToken);
        return new RespondToOfferResponse { Dispute = ToProto(change.State, p) };
    }

    public override async Task<AcceptDemandResponse> AcceptDemand(AcceptDemandRequest request, ServerCallContext context)
    {
        var p = PrincipalOf(context);
        var change = await commands.AcceptDemandAsync(p, ToCommand(request), context.CancellationToken);
        return new AcceptDemandResponse { Dispute = ToProto(change.State, p) };
    }

    public override async Task<EscalateDisputeResponse> EscalateDispute(EscalateDisputeRequest request, ServerCallContext context)
    {
        var p = PrincipalOf(context);
        var change = await commands.EscalateAsync(p, ToCommand(request), context.CancellationToken);
        return new EscalateDisputeResponse { Dispute = ToProto(change.State, p) };
    }

    public override async Task<WithdrawDisputeResponse> WithdrawDispute(WithdrawDisputeRequest request, ServerCallContext context)
    {
        var p = PrincipalOf(context);
        var change = await commands.WithdrawAsync(p, ToCommand(request), context.CancellationToken);
        return new WithdrawDisputeResponse { Dispute = ToProto(change.State, p) };
    }

    public override async Task<RecordMediationOutcomeResponse> RecordMediationOutcome(RecordMediationOutcomeRequest request, ServerCallContext context)
    {
        var p = PrincipalOf(context);
        var change = await commands.RecordMediationOutcomeAsync(p, ToCommand(request), context.CancellationToken);
        return new RecordMediationOutcomeResponse { Dispute = ToProto(change.State, p) };
    }

    public override async Task<RateResolutionResponse> RateResolution(RateResolutionRequest request, ServerCallContext context)
    {
        var p = PrincipalOf(context);
        var change = await commands.RateAsync(p, ToCommand(request), context.CancellationToken);
        return new RateResolutionResponse { Dispute = ToProto(change.State, p) };
    }

    public override async Task WatchDispute(WatchDisputeRequest request, IServerStreamWriter<WatchDisputeResponse> responseStream, ServerCallContext context)
    {
        var p = PrincipalOf(context);
        await foreach (var item in queries.WatchDisputeAsync(p, request.DisputeId, request.AfterSeq, context.CancellationToken))
        {
            await responseStream.WriteAsync(ToWatchDisputeResponse(item, p), context.CancellationToken);
        }
    }

    public override async Task WatchDisputes(WatchDisputesRequest request, IServerStreamWriter<WatchDisputesResponse> responseStream, ServerCallContext context)
    {
        var p = PrincipalOf(context);
        await foreach (var item in queries.WatchAllAsync(p, request.AfterCursor, request.StartAtNow, context.CancellationToken))
        {
            await responseStream.WriteAsync(ToWatchDisputesResponse(item, p), context.CancellationToken);
        }
    }
}
