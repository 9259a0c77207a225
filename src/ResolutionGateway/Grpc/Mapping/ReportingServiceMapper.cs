using ResolutionGateway.Core.Reporting;
using ResolutionGateway.Core.UseCases;
using V1 = ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.Grpc.Mapping;

/// <summary>
/// Maps the messages of resolution/v1/reporting_service.proto: filters and exported outcomes.
/// The statistics row (one field per measure) is mapped beside the measures' declaration in
/// ReportingGrpcService while the measures are being restructured.
/// </summary>
public static class ReportingServiceMapper
{
    public static ReportFilterInput ToInput(V1.ReportFilter? f) => f is null
        ? new ReportFilterInput("", "", 0, "", "", "", 0)
        : new ReportFilterInput(f.FromDate, f.ToDate, (int)f.Basis, f.RegionPrefix, f.ChannelId, f.MerchantId, (int)f.Category);

    public static RankingInput ToInput(V1.ListMerchantRankingsRequest r) => new(r.RegionPrefix, r.FromDate, r.ToDate, (int)r.OrderBy, r.Limit);

    public static V1.ListMerchantRankingsResponse ToProto(RankingResult r)
    {
        var response = new V1.ListMerchantRankingsResponse { MinimumDisputes = r.MinimumDisputes, EffectiveRegionPrefix = r.EffectiveFilter.RegionPrefix };
        response.Rankings.AddRange(r.Lines.Select(l => new V1.MerchantRanking
        {
            Rank = l.Rank,
            MerchantId = l.MerchantId,
            DisputesReceived = l.DisputesReceived,
            FirstResponded = l.FirstResponded,
            FirstResponseMedianSeconds = l.FirstResponseMedianSeconds,
            OnTimeFirstResponseRate = l.OnTimeFirstResponseRate,
            Concluded = l.Concluded,
            NegotiationSettlementRate = l.NegotiationSettlementRate,
            Overdue = l.Overdue,
            Rated = l.Rated,
            AverageSatisfaction = l.AverageSatisfaction,
        }));
        return response;
    }

    public static V1.ReportFilter ToProto(StatsFilter f) => new()
    {
        FromDate = ReportingCalendar.Format(f.FromDay),
        ToDate = ReportingCalendar.Format(f.ToDay),
        Basis = (V1.PeriodBasis)f.Basis,
        RegionPrefix = f.RegionPrefix,
        ChannelId = f.ChannelId,
        MerchantId = f.MerchantId,
        Category = (V1.Category)f.Category,
    };

    public static V1.OutcomeRecord ToProto(OutcomeRecord o) => new()
    {
        DisputeId = o.DisputeId,
        Revision = o.Revision,
        ChannelId = o.ChannelId,
        ChannelOrderId = o.ChannelOrderId,
        MerchantId = o.MerchantId,
        StoreId = o.StoreId,
        RegionCode = o.RegionCode,
        Category = (V1.Category)o.Category,
        OrderAmount = TypesMapper.ToProto(o.OrderAmount),
        DemandRemedy = (V1.Remedy)o.DemandRemedy,
        DemandAmount = TypesMapper.ToProto(o.DemandAmount),
        Outcome = (V1.Outcome)o.Outcome,
        SettlementRemedy = (V1.Remedy)o.SettlementRemedy,
        SettlementAmount = TypesMapper.ToProto(o.SettlementAmount),
        MerchantEnrolled = o.MerchantEnrolled,
        EscalationReason = (V1.EscalationReason)o.EscalationReason,
        CreateTime = TypesMapper.ToProto(o.CreatedAt),
        FirstResponseTime = TypesMapper.ToProto(o.FirstResponseAt),
        EscalateTime = TypesMapper.ToProto(o.EscalatedAt),
        CloseTime = TypesMapper.ToProto(o.ClosedAt),
        FirstResponseDueTime = TypesMapper.ToProto(o.FirstResponseDueAt),
        NegotiationDueTime = TypesMapper.ToProto(o.NegotiationDueAt),
        FirstResponseOnTime = o.FirstResponseOnTime,
        FirstResponseLate = o.FirstResponseLate,
        ClosedOnTime = o.ClosedOnTime,
        SatisfactionRating = o.SatisfactionRating,
        PolicyRegionPrefix = o.PolicyRegionPrefix,
    };
}
