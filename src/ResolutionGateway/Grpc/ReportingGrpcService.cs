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
public sealed class ReportingGrpcService(ReportingQueries queries, MerchantRankings rankings) : ReportingService.ReportingServiceBase
{
    private static readonly EnumDescriptor CategoryEnum = TypesReflection.Descriptor.EnumTypes.Single(e => e.Name == "Category");

    // Every figure field of StatsRow, found by its proto name from Core's table (Figures.Reported),
    // so a new measure or derived figure needs no line here.
    private static readonly Action<Contracts.V1.StatsRow, R.StatsRow>[] FigureSetters = [.. Figures.Reported.Select(SetterOf)];

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

    public override async Task<ListMerchantRankingsResponse> ListMerchantRankings(ListMerchantRankingsRequest request, ServerCallContext context)
    {
        var p = PrincipalOf(context);
        var result = await rankings.ListAsync(p, ToInput(request), context.CancellationToken);
        return ReportingServiceMapper.ToProto(result);
    }

    /// <summary>A row of figures as resolution.v1.StatsRow (public for the test that every field is mapped).</summary>
    public static Contracts.V1.StatsRow ToProto(R.StatsRow r)
    {
        var row = new Contracts.V1.StatsRow();
        foreach (var set in FigureSetters)
        {
            set(row, r);
        }
        row.Keys.AddRange(r.Keys.Select(k => new GroupKey
        {
            Dimension = (GroupBy)k.Dimension,
            Value = k.Dimension == GroupDimension.Category ? CategoryEnum.FindValueByNumber(int.Parse(k.Value)).Name : k.Value,
        }));
        return row;
    }

    // Sets the figure's field through its generated property: the field's reflection accessor
    // (FieldDescriptor.Accessor) would box every value, 35 per row of a 10,000-row ranking.
    private static Action<Contracts.V1.StatsRow, R.StatsRow> SetterOf(Figure figure)
    {
        var field = Contracts.V1.StatsRow.Descriptor.FindFieldByName(figure.Name)
            ?? throw new InvalidOperationException($"resolution.v1.StatsRow has no field {figure.Name}");
        var setter = typeof(Contracts.V1.StatsRow).GetProperty(field.PropertyName)!.SetMethod!;
        return figure switch
        {
            Figure<long> f => Bind(f, setter.CreateDelegate<Action<Contracts.V1.StatsRow, long>>()),
            Figure<double> f => Bind(f, setter.CreateDelegate<Action<Contracts.V1.StatsRow, double>>()),
            _ => throw new InvalidOperationException($"{figure.Name}: {figure.GetType()} (long and double figures only)"),
        };
    }

    private static Action<Contracts.V1.StatsRow, R.StatsRow> Bind<T>(Figure<T> figure, Action<Contracts.V1.StatsRow, T> set) where T : struct =>
        (row, r) => set(row, figure.Of(r));
}
