using ResolutionGateway.Core.Reporting;
using ResolutionGateway.Infrastructure.Persistence;
using ResolutionGateway.Reporting.Baseline;

namespace ResolutionGateway.Infrastructure.Tests.Storage;

/// <summary>The raw GROUP BY baseline restates every measure of the table, and nothing else.</summary>
public sealed class RawReportingSqlTests
{
    [Fact]
    public void ByName_EveryMeasure_HasOneDefinitionOfItsKind()
    {
        foreach (var m in Measures.All)
        {
            Assert.True(RawMeasureSql.ByName.TryGetValue(m.Name, out var raw), $"no raw SQL for the measure {m.Name}");
            Assert.True(m.IsHistogram ? raw is RawHistogram : raw is RawCounter, $"{m.Name}: {raw.GetType().Name} for a {(m.IsHistogram ? "histogram" : "counter")}");
        }
    }

    [Fact]
    public void ByName_EveryDefinition_IsOfAMeasure()
    {
        Assert.Empty(RawMeasureSql.ByName.Keys.Except(Measures.All.Select(m => m.Name)));
    }

    [Theory]
    [InlineData(SqlDialect.Sqlite)]
    [InlineData(SqlDialect.MySql)]
    public void SelectList_OneExpressionPerColumn(SqlDialect dialect)
    {
        var list = RawMeasureSql.SelectList(dialect);

        Assert.Equal(Measures.Count, list.Split(",\n  ").Length);
    }
}
