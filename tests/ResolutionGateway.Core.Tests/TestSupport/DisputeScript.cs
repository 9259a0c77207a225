using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Policies;

namespace ResolutionGateway.Core.Tests.TestSupport;

/// <summary>The state the rules returned after a change, and how many events the log held then.</summary>
internal sealed record Checkpoint(int EventCount, Dispute State);

/// <summary>
/// Drives one dispute through <see cref="DisputeRules"/> on a manual clock, keeping the whole log and
/// the state returned after every change, the way the store would.
/// </summary>
internal sealed class DisputeScript
{
    private readonly List<DisputeEvent> _events = [];
    private readonly List<Checkpoint> _checkpoints = [];

    private DisputeScript(ManualTimeProvider clock) => Clock = clock;

    public ManualTimeProvider Clock { get; }

    public DateTimeOffset Now => Clock.GetUtcNow();

    public Dispute State => _checkpoints[^1].State;

    public IReadOnlyList<DisputeEvent> Events => _events;

    public IReadOnlyList<Checkpoint> Checkpoints => _checkpoints;

    /// <summary>
    /// Opens the sample dispute (order paid a day earlier) against an enrolled or unknown merchant,
    /// at <see cref="Samples.Start"/> unless <paramref name="start"/> says otherwise.
    /// </summary>
    public static DisputeScript Open(
        bool merchantEnrolled = true, Demand? demand = null, IRegionPolicyProvider? policies = null, DateTimeOffset? start = null)
    {
        var script = new DisputeScript(new ManualTimeProvider(start ?? Samples.Start));
        var now = script.Now;
        var command = Samples.OpenCommand(Samples.Order(now.AddDays(-1), Samples.RegionCode), demand);
        script.Record(DisputeRules.Open(command, Samples.ChannelId, merchantEnrolled ? Samples.Merchant : null,
            merchantEnrolled ? Samples.Store : null, policies ?? Samples.NationalPolicies, now));
        return script;
    }

    /// <summary>Lets <paramref name="after"/> pass, then applies one decision to the current state.</summary>
    public DisputeChange Then(TimeSpan after, Func<Dispute, DateTimeOffset, DisputeChange> decide)
    {
        Clock.Advance(after);
        var change = decide(State, Now);
        Record(change);
        return change;
    }

    /// <summary>
    /// Moves the clock to <paramref name="at"/> and lets the deadline rules look at the dispute, as
    /// the deadline worker would; records and returns the change, or null when nothing was due.
    /// </summary>
    public DisputeChange? TickAt(DateTimeOffset at)
    {
        Clock.Advance(at - Now);
        var change = DisputeRules.Tick(State, Now);
        if (change is not null)
        {
            Record(change);
        }
        return change;
    }

    private void Record(DisputeChange change)
    {
        _events.AddRange(change.Events);
        _checkpoints.Add(new Checkpoint(_events.Count, change.State));
    }
}
