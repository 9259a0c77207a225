using ResolutionGateway.Tools.LoadGen.Report;

namespace ResolutionGateway.Tools.Tests.LoadGen;

public sealed class TargetsTests
{
    private static ScenarioResult Result(string name, double perSecond, double p99 = 0, Dictionary<string, double>? extra = null) => new()
    {
        Name = name,
        What = name,
        Backend = "mysql",
        Mode = "closed(32)",
        PerSecond = perSecond,
        Latency = new Percentiles(0, 0, p99, 0, 0, 0),
        Extra = extra ?? [],
    };

    [Fact]
    public void Evaluate_ReadAtHalfOfNoop_MetAtTheBoundary()
    {
        var checks = Targets.Evaluate([Result("noop", 1000), Result("read", 500)]);

        var read = Assert.Single(checks);
        Assert.Equal(0.5, read.Measured);
        Assert.True(read.Met);
    }

    [Fact]
    public void Evaluate_OpenBelowSixtyPercentOfCeiling_Missed()
    {
        var checks = Targets.Evaluate([Result("db-ceiling", 1000), Result("open", 599)]);

        var open = Assert.Single(checks);
        Assert.False(open.Met);
        Assert.Equal(0.599, open.Measured);
    }

    [Fact]
    public void Evaluate_ChatP99AboveTen_MissedWithItsRate()
    {
        var checks = Targets.Evaluate([Result("chat", 1000, p99: 10.5, extra: new() { ["offered_per_s"] = 1000 })]);

        var chat = Assert.Single(checks);
        Assert.False(chat.Met);
        Assert.Contains("1000 messages/s", chat.Figure, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_WatchersUnderOneGiB_Met()
    {
        var checks = Targets.Evaluate([Result("watchers", 1, extra: new() { ["rss_with_streams_mib"] = 1023 })]);

        Assert.True(Assert.Single(checks).Met);
    }

    [Fact]
    public void Evaluate_BaselineMissing_NoRatioTarget()
    {
        var checks = Targets.Evaluate([Result("read", 500), Result("open", 100)]);

        Assert.Empty(checks);
    }
}
