using System.Text.Json;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Policies;
using ResolutionGateway.Core.Tests.TestSupport;
using ResolutionGateway.Core.UseCases;
using static ResolutionGateway.Core.Tests.TestSupport.Samples;

namespace ResolutionGateway.Core.Tests.Disputes;

/// <summary>
/// <see cref="Dispute.NextTimerAt"/> and <see cref="DisputeRules.Tick"/> must agree, or the worker
/// would either miss deadlines or spin: for scripted disputes, a clock sweeping over three weeks in
/// fixed steps checks at every step that Tick has something to do exactly when the timer is due,
/// and that after its change the timer lies in the future (or is gone).
/// </summary>
public sealed class DeadlineTimerPropertyTests
{
    private sealed record TimedMove(TimeSpan At, Func<Dispute, DateTimeOffset, DisputeChange> Decide);

    private sealed record Script(
        IRegionPolicyProvider? Policies, DateTimeOffset? Start, TimedMove[] Moves, string[] ExpectedEvents, DisputeStatus FinalStatus);

    private static TimedMove At(double hours, Func<Dispute, DateTimeOffset, DisputeChange> decide) => new(TimeSpan.FromHours(hours), decide);

    private static readonly Dictionary<string, Script> Scripts = new()
    {
        // National default: warning at +84 h, escalation at +96 h.
        ["silent merchant"] = new(null, null, [],
            ["opened", "warning:FirstResponse", "escalated:FirstResponseOverdue"], DisputeStatus.Escalated),
        // The merchant answers after the warning; nobody settles within 7 days.
        ["late answer, negotiation expires"] = new(null, null,
            [At(90, (d, now) => DisputeRules.PostMessage(d, MerchantActor, Message(d), now))],
            ["opened", "warning:FirstResponse", "message_posted", "warning:Negotiation", "escalated:NegotiationExpired"],
            DisputeStatus.Escalated),
        // An offer at once, accepted after the negotiation warning.
        ["settled after warning"] = new(null, null,
        [
            At(2, (d, now) => DisputeRules.MakeOffer(d, MerchantActor, Offer(d), now)),
            At(157, (d, now) => DisputeRules.RespondToOffer(d, Consumer, Answer(d, d.PendingOffer!.OfferId, OfferDecision.Accept), now)),
        ],
            ["opened", "offer_made", "warning:Negotiation", "offer_answered"], DisputeStatus.Resolved),
        // The consumer escalates before any timer; nothing fires afterwards.
        ["consumer escalates"] = new(null, null,
        [
            At(1, (d, now) => DisputeRules.PostMessage(d, MerchantActor, Message(d), now)),
            At(30, (d, now) => DisputeRules.Escalate(d, Consumer, Escalate(d), now)),
        ],
            ["opened", "message_posted", "escalated:ConsumerRequest"], DisputeStatus.Escalated),
        // 48 h and 2 days: both warnings at +36 h in one change, escalation for the first response at +48 h.
        ["both warnings at once"] = new(PolicySets.Zhejiang(DeadlineRule.Hours(48), DeadlineRule.Days(2)), null, [],
            ["opened", "warning:FirstResponse", "warning:Negotiation", "escalated:FirstResponseOverdue"], DisputeStatus.Escalated),
        // Negotiation (3 days) ends while the merchant is still awaited (100 h).
        ["negotiation ends first"] = new(PolicySets.Zhejiang(DeadlineRule.Hours(100), DeadlineRule.Days(3)), null, [],
            ["opened", "warning:Negotiation", "escalated:NegotiationExpired"], DisputeStatus.Escalated),
        // No warnings at all.
        ["no warning lead"] = new(PolicySets.Zhejiang(DeadlineRule.Hours(96), DeadlineRule.Days(7), warningLeadHours: 0), null, [],
            ["opened", "escalated:FirstResponseOverdue"], DisputeStatus.Escalated),
        // 3 working days from Friday 2026-09-25 10:00 local: end of Wednesday 30 September (16:00Z).
        ["working days before national day"] = new(
            PolicySets.Zhejiang(DeadlineRule.WorkingDays(3), DeadlineRule.Days(14), calendar: Calendars.China2026),
            Calendars.Local(2026, 9, 25, 10), [],
            ["opened", "warning:FirstResponse", "escalated:FirstResponseOverdue"], DisputeStatus.Escalated),
        // 10 working days across National Day, answered on 8 October; negotiation capped at 14 days.
        ["working days across national day"] = new(
            PolicySets.Zhejiang(DeadlineRule.WorkingDays(10), DeadlineRule.WorkingDays(10), calendar: Calendars.China2026),
            Calendars.Local(2026, 9, 25, 10),
            [At(13 * 24, (d, now) => DisputeRules.MakeOffer(d, MerchantActor, Offer(d), now))],
            ["opened", "offer_made", "warning:Negotiation", "escalated:NegotiationExpired"], DisputeStatus.Escalated),
    };

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var name in Scripts.Keys)
        {
            // 10 minutes hits every timer on the dot; 37 minutes fires each one late.
            data.Add(name, 10);
            data.Add(name, 37);
        }
        return data;
    }

    private static string Describe(EventDetail detail) => detail switch
    {
        DeadlineWarning w => $"warning:{w.Deadline}",
        DisputeEscalated x => $"escalated:{x.Reason}",
        _ => detail.Type,
    };

    /// <summary>Plays a script; <paramref name="check"/> sees the state before each tick, the tick's change and the time.</summary>
    private static DisputeScript Run(string name, int stepMinutes, Action<Dispute, DisputeChange?, DateTimeOffset> check)
    {
        var script = Scripts[name];
        var s = DisputeScript.Open(policies: script.Policies, start: script.Start);
        var opened = s.Now;
        var pending = new Queue<TimedMove>(script.Moves.OrderBy(m => m.At));
        for (var now = opened; now <= opened.AddDays(21); now = now.AddMinutes(stepMinutes))
        {
            while (pending.TryPeek(out var move) && opened + move.At <= now)
            {
                pending.Dequeue();
                s.Then(opened + move.At - s.Now, move.Decide);
            }
            var before = s.State;
            var change = s.TickAt(now);
            check(before, change, now);
            Assert.True(change is null || change.Events[0].Seq == before.LastSeq + 1);
        }
        Assert.Empty(pending);
        return s;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Tick_TimerDueAtEveryStep_ChangeExactlyWhenDueAndNextTimerMovesPastNow(string script, int stepMinutes)
    {
        // Arrange
        var violations = new List<string>();

        // Act
        Run(script, stepMinutes, (before, change, now) =>
        {
            var due = before.NextTimerAt is { } t && t <= now;
            if (due != (change is not null))
            {
                violations.Add($"{now:O}: timer {before.NextTimerAt:O} due={due} but Tick returned {(change is null ? "null" : "a change")}");
            }
            if (change is not null && change.State.NextTimerAt is { } next && next <= now)
            {
                violations.Add($"{now:O}: after the change the timer is still due ({next:O})");
            }
        });

        // Assert
        Assert.Empty(violations);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Tick_ScriptedDispute_ExpectedEventsAndFinalStatus(string script, int stepMinutes)
    {
        // Arrange
        var expected = Scripts[script];

        // Act
        var s = Run(script, stepMinutes, (_, _, _) => { });

        // Assert
        Assert.Equal(expected.ExpectedEvents, s.Events.Select(e => Describe(e.Detail)));
        Assert.Equal(expected.FinalStatus, s.State.Status);
        Assert.Null(s.State.NextTimerAt);
        Assert.All(s.Events.Where(e => e.Detail is DeadlineWarning or DisputeEscalated { Reason: not EscalationReason.ConsumerRequest }),
            e => Assert.Equal(Actor.System, e.Actor));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Replay_ScriptedDisputeWithTimers_EveryCheckpointEqualsState(string script, int stepMinutes)
    {
        // Arrange
        var s = Run(script, stepMinutes, (_, _, _) => { });

        // Act
        var replayed = s.Checkpoints.Select(c => JsonSerializer.Serialize(DisputeEvolution.Replay(s.Events.Take(c.EventCount)))).ToList();

        // Assert
        Assert.Equal(s.Checkpoints.Select(c => JsonSerializer.Serialize(c.State)), replayed);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Tick_ScriptedDispute_TimersFireNoEarlierThanDueAndWithinOneStep(string script, int stepMinutes)
    {
        // Arrange
        var steps = 0;

        // Act
        var s = Run(script, stepMinutes, (_, _, _) => steps++);

        // Assert: each warning and each system escalation happened at or after its time, and less than a step late.
        var first = s.Checkpoints[0].State;
        foreach (var e in s.Events)
        {
            DateTimeOffset? target = e.Detail switch
            {
                DeadlineWarning { Deadline: DeadlineKind.FirstResponse } => first.FirstResponseWarnAt,
                DeadlineWarning => first.NegotiationWarnAt,
                DisputeEscalated { Reason: EscalationReason.FirstResponseOverdue } => first.FirstResponseDueAt,
                DisputeEscalated { Reason: EscalationReason.NegotiationExpired } => first.NegotiationDueAt,
                _ => null,
            };
            if (target is { } t)
            {
                Assert.InRange(e.OccurredAt, t, t.AddMinutes(stepMinutes).AddTicks(-1));
            }
        }
        Assert.Equal((21 * 24 * 60 / stepMinutes) + 1, steps);
    }
}
