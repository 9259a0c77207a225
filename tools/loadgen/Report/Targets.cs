namespace ResolutionGateway.Tools.LoadGen.Report;

/// <summary>One target of issue 6, checked against this run's figures.</summary>
public sealed record TargetCheck(string Target, string Figure, double Measured, string Comparison, double Goal, bool Met);

/// <summary>The issue's targets, each as a ratio against a baseline of the same run or as an absolute bound.</summary>
public static class Targets
{
    public static IReadOnlyList<TargetCheck> Evaluate(IReadOnlyList<ScenarioResult> results)
    {
        var by = results.ToDictionary(r => r.Name);
        var checks = new List<TargetCheck>();
        void AtLeast(string target, string figure, double measured, double goal) =>
            checks.Add(new TargetCheck(target, figure, Math.Round(measured, 3), ">=", goal, measured >= goal));
        void AtMost(string target, string figure, double measured, double goal) =>
            checks.Add(new TargetCheck(target, figure, Math.Round(measured, 3), "<=", goal, measured <= goal));

        if (by.TryGetValue("open", out var open) && by.TryGetValue("db-ceiling", out var db) && db.PerSecond > 0)
        {
            AtLeast("open: share of the database ceiling", "open/s ÷ db-ceiling/s", open.PerSecond / db.PerSecond, 0.60);
        }
        if (by.TryGetValue("open-half", out var half) && half.Latency is { } halfLatency)
        {
            AtMost("open: p99 at half the peak rate (ms)", $"p99 at {half.Extra.GetValueOrDefault("offered_per_s"):0}/s", halfLatency.P99, 20);
        }
        if (by.TryGetValue("read", out var read) && by.TryGetValue("noop", out var noop) && noop.PerSecond > 0)
        {
            AtLeast("read: share of the no-op RPC", "read/s ÷ noop/s", read.PerSecond / noop.PerSecond, 0.50);
        }
        if (by.TryGetValue("chat", out var chat) && chat.Latency is { } chatLatency)
        {
            AtMost("chat: p99 delivery across two nodes (ms)", $"p99 at {chat.Extra.GetValueOrDefault("offered_per_s"):0} messages/s", chatLatency.P99, 10);
        }
        if (by.TryGetValue("chat-half", out var chatHalf) && chatHalf.Latency is { } chatHalfLatency)
        {
            AtMost("chat: p99 delivery at half the PostMessage peak (ms)", $"p99 at {chatHalf.Extra.GetValueOrDefault("offered_per_s"):0} messages/s", chatHalfLatency.P99, 10);
        }
        if (by.TryGetValue("watchers", out var watchers))
        {
            AtMost("watchers: resident memory of one node (MiB)", $"RSS with {watchers.Ok} streams", watchers.Extra.GetValueOrDefault("rss_with_streams_mib"), 1024);
        }
        if (by.TryGetValue("open-sqlite", out var sqlite))
        {
            AtLeast("embedded store: open (disputes/s)", "open-sqlite/s", sqlite.PerSecond, 1000);
        }
        return checks;
    }
}
