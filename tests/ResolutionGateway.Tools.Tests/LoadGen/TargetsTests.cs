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
    public void Evaluate_ReadAtHalfOfNoop_MetForIssue6MissedForIssue12()
    {
        var checks = Targets.Evaluate([Result("noop", 1000), Result("read", 500)]);

        Assert.Equal(2, checks.Count);
        var issue6 = Assert.Single(checks, c => c.Issue == 6);
        Assert.Equal(0.5, issue6.Measured);
        Assert.True(issue6.Met);
        var issue12 = Assert.Single(checks, c => c.Issue == 12);
        Assert.Equal(0.8, issue12.Goal);
        Assert.False(issue12.Met);
    }

    [Fact]
    public void Evaluate_ReadAtEightyPercentOfNoop_MetForIssue12AtTheBoundary()
    {
        var checks = Targets.Evaluate([Result("noop", 1000), Result("read", 800)]);

        Assert.True(Assert.Single(checks, c => c.Issue == 12).Met);
    }

    [Fact]
    public void Evaluate_OpenAtFortyPercentOfRowFloor_MetAtTheBoundary()
    {
        var checks = Targets.Evaluate([Result("row-floor", 1000), Result("open", 400)]);

        var open = Assert.Single(checks);
        Assert.Equal(12, open.Issue);
        Assert.Equal(0.4, open.Measured);
        Assert.Equal("open/s ÷ row-floor/s", open.Figure);
        Assert.True(open.Met);
    }

    [Fact]
    public void Evaluate_OpenBelowFortyPercentOfRowFloor_Missed()
    {
        var checks = Targets.Evaluate([Result("row-floor", 1000), Result("open", 399)]);

        Assert.False(Assert.Single(checks).Met);
    }

    [Fact]
    public void Evaluate_RowFloorWithNoThroughput_NoRatioTarget()
    {
        var checks = Targets.Evaluate([Result("row-floor", 0), Result("open", 400)]);

        Assert.Empty(checks);
    }

    [Fact]
    public void Evaluate_MessageHalfP99AboveFifteen_MissedWithItsRate()
    {
        var checks = Targets.Evaluate([Result("message-half", 500, p99: 15.2, extra: new() { ["offered_per_s"] = 516 })]);

        var half = Assert.Single(checks);
        Assert.Equal(12, half.Issue);
        Assert.Equal("<=", half.Comparison);
        Assert.Equal(15, half.Goal);
        Assert.False(half.Met);
        Assert.Equal("p99 at 516/s", half.Figure);
    }

    [Fact]
    public void Evaluate_MessageHalfP99AtFifteen_MetAtTheBoundary()
    {
        var checks = Targets.Evaluate([Result("message-half", 500, p99: 15)]);

        Assert.True(Assert.Single(checks).Met);
    }

    [Fact]
    public void Evaluate_ChatHalfP99OfFifteen_MissedForIssue6MetForIssue12()
    {
        var checks = Targets.Evaluate([Result("chat-half", 500, p99: 15, extra: new() { ["offered_per_s"] = 516 })]);

        Assert.Equal(2, checks.Count);
        Assert.False(Assert.Single(checks, c => c.Issue == 6).Met);
        var issue12 = Assert.Single(checks, c => c.Issue == 12);
        Assert.Equal(20, issue12.Goal);
        Assert.True(issue12.Met);
        Assert.Equal("p99 at 516 messages/s", issue12.Figure);
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
