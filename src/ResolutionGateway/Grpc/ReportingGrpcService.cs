using Google.Protobuf.Reflection;
using Grpc.Core;
using ResolutionGateway.Contracts.V1;
using ResolutionGateway.Core.Reporting;
using ResolutionGateway.Core.UseCases;
using ResolutionGateway.Grpc.Mapping;
using static ResolutionGateway.Grpc.GatewayInterceptor;
using static ResolutionGateway.Grpc.Mapping.ReportingServiceMapper;
using R = ResolutionGateway.Core.Reporting;

namespace ResolutionGateway.Grpc;

/// <summary>resolution.v1.ReportingService: map the request, call the use case, map the result.</summary>
public sealed class ReportingGrpcService(ReportingQueries queries) : ReportingService.ReportingServiceBase
{
    private static readonly EnumDescriptor CategoryEnum = TypesReflection.Descriptor.EnumTypes.Single(e => e.Name == "Category");

    public override async Task<GetResolutionStatsResponse> GetResolutionStats(GetResolutionStatsRequest request, ServerCallContext context)
    {
        var p = PrincipalOf(context);
        var result = await queries.GetStatsAsync(p, ToInput(request.Filter), request.GroupBy.Select(g => (int)g).ToArray(),
            request.RegionLevel, context.CancellationToken);
        var response = new GetResolutionStatsResponse { Total = ToProto(result.Total), EffectiveFilter = ReportingServiceMapper.ToProto(result.EffectiveFilter) };
        response.Rows.AddRange(result.Rows.Select(ToProto));
        response.HistogramBoundsSeconds.AddRange(DurationHistogram.Bounds);
        return response;
    }

    public override async Task ExportOutcomes(ExportOutcomesRequest request, IServerStreamWriter<ExportOutcomesResponse> responseStream, ServerCallContext context)
    {
        var p = PrincipalOf(context);
        await foreach (var item in queries.ExportAsync(p, request.AfterCursor, ToInput(request.Filter), request.Limit, context.CancellationToken))
        {
            await responseStream.WriteAsync(new ExportOutcomesResponse { Outcome = ReportingServiceMapper.ToProto(item.Outcome), Cursor = item.Cursor }, context.CancellationToken);
        }
    }

    private static Contracts.V1.StatsRow ToProto(R.StatsRow r)
    {
        var row = new Contracts.V1.StatsRow
        {
            Opened = r.Opened,
            Open = r.Open,
            ResolvedByNegotiation = r.ResolvedByNegotiation,
            ResolvedByMediation = r.ResolvedByMediation,
            Unresolved = r.Unresolved,
            Withdrawn = r.Withdrawn,
            Escalated = r.Escalated,
            AutoEscalated = r.AutoEscalated,
            Closed = r.Closed,
            Concluded = r.Concluded,
            RoutedToMerchant = r.RoutedToMerchant,
            FirstResponseOnTime = r.FirstResponseOnTime,
            FirstResponseLate = r.FirstResponseLate,
            AnsweredSameDay = r.AnsweredSameDay,
            ClosedOnTime = r.ClosedOnTime,
            Rated = r.Rated,
            NegotiationSettlementRate = r.NegotiationSettlementRate,
            ResolutionRate = r.ResolutionRate,
            MediationSuccessRate = r.MediationSuccessRate,
            OnTimeFirstResponseRate = r.OnTimeFirstResponseRate,
            OnTimeCompletionRate = r.OnTimeCompletionRate,
            SameDayAnswerRate = r.SameDayAnswerRate,
            EscalationRate = r.EscalationRate,
            FirstResponseP50Seconds = r.FirstResponseP50Seconds,
            FirstResponseP90Seconds = r.FirstResponseP90Seconds,
            TimeToCloseP50Seconds = r.TimeToCloseP50Seconds,
            TimeToCloseP90Seconds = r.TimeToCloseP90Seconds,
            AgreedAmountFen = r.AgreedAmountFen,
            AgreedRefundFen = r.AgreedRefundFen,
            AgreedCompensationFen = r.AgreedCompensationFen,
            SettlementsWithAmount = r.SettlementsWithAmount,
            SettlementsOtherCurrency = r.SettlementsOtherCurrency,
            AverageSatisfaction = r.AverageSatisfaction,
            FirstResponded = r.FirstResponded,
        };
        row.Keys.AddRange(r.Keys.Select(k => new GroupKey
        {
            Dimension = (GroupBy)k.Dimension,
            Value = k.Dimension == GroupDimension.Category ? CategoryEnum.FindValueByNumber(int.Parse(k.Value)).Name : k.Value,
        }));
        return row;
    }
}
