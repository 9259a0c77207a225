using Google.Protobuf.Reflection;
using ResolutionGateway.Core.Reporting;
using ResolutionGateway.Grpc;
using V1 = ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.IntegrationTests;

/// <summary>
/// resolution.v1.StatsRow against Core's tables: every figure field is filled from exactly one
/// reported measure or derived figure (Figures.Reported), and every one of those has its field.
/// </summary>
public sealed class ReportingFiguresTests
{
    // Every field but the group keys is a figure.
    private static readonly FieldDescriptor[] FigureFields =
        [.. V1.StatsRow.Descriptor.Fields.InFieldNumberOrder().Where(f => f.FieldNumber != V1.StatsRow.KeysFieldNumber)];

    [Fact]
    public void Reported_EveryStatsRowFigureField_CoveredByExactlyOneFigure()
    {
        var figures = Figures.Reported.Select(f => f.Name).Order(StringComparer.Ordinal);
        var fields = FigureFields.Select(f => f.Name).Order(StringComparer.Ordinal);

        // Field names are unique, so equal sorted lists mean one figure per field and no figure without one.
        Assert.Equal(fields, figures);
    }

    [Fact]
    public void Reported_FigureTypes_MatchTheirFieldTypes()
    {
        foreach (var figure in Figures.Reported)
        {
            var field = V1.StatsRow.Descriptor.FindFieldByName(figure.Name);
            var expected = figure switch
            {
                Figure<long> => FieldType.Int64,
                Figure<double> => FieldType.Double,
                _ => throw new InvalidOperationException($"{figure.Name}: {figure.GetType()}"),
            };
            Assert.True(field is { IsRepeated: false } && field.FieldType == expected, $"{figure.Name}: {field?.FieldType} field, {expected} figure");
        }
    }

    [Fact]
    public void ToProto_DistinctSums_EveryFigureFieldHoldsItsFigure()
    {
        // Distinct sums, so a field filled from the wrong measure shows; ratios and percentiles non-zero.
        var sums = Enumerable.Range(0, Measures.Count).Select(i => 10L + i).ToArray();
        var row = new StatsRow([], sums);

        var proto = ReportingGrpcService.ToProto(row);

        foreach (var figure in Figures.Reported)
        {
            Assert.Equal(figure.ValueOf(row), V1.StatsRow.Descriptor.FindFieldByName(figure.Name).Accessor.GetValue(proto));
        }
        Assert.Equal(sums[Measures.StillOpen.Index], proto.Open);
        Assert.Equal(sums[Measures.AgreedCompensationFen.Index], proto.AgreedCompensationFen);
        Assert.Equal(sums[Measures.FirstResponded.Index], proto.FirstResponded);
        Assert.Equal(sums[Measures.RatingSum.Index] / (double)sums[Measures.Rated.Index], proto.AverageSatisfaction);
        Assert.Equal(Figures.TimeToCloseP90Seconds.Of(row), proto.TimeToCloseP90Seconds);
        Assert.All(FigureFields, f => Assert.NotEqual(0.0, Convert.ToDouble(f.Accessor.GetValue(proto), System.Globalization.CultureInfo.InvariantCulture)));
    }
}
