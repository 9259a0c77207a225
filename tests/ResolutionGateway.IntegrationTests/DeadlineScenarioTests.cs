using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.IntegrationTests;

// Every scenario on the embedded store and on MariaDB + Redis, each with two nodes racing.
public sealed class DeadlineScenariosOnSqlite(SqliteClockedNodes nodes) : DeadlineScenarioTests(nodes), IClassFixture<SqliteClockedNodes>;
public sealed class DeadlineScenariosOnMySql(MySqlClockedNodes nodes) : DeadlineScenarioTests(nodes), IClassFixture<MySqlClockedNodes>;
public sealed class WorkingDayDeadlineOnSqlite(SqliteClockedNodes nodes) : WorkingDayDeadlineTests(nodes), IClassFixture<SqliteClockedNodes>;
public sealed class WorkingDayDeadlineOnMySql(MySqlClockedNodes nodes) : WorkingDayDeadlineTests(nodes), IClassFixture<MySqlClockedNodes>;

/// <summary>Fake-clock scenarios: the region's deadlines enforced by the workers of two nodes.</summary>
public abstract class DeadlineScenarioTests(ClockedNodes nodes)
{
    [Fact]
    public async Task DeadlineWorker_MerchantSilentFor96Hours_WarnsAt84HoursThenEscalatesOnceAt96Hours()
    {
        var s = await Scenario.CreateAsync(nodes.A);
        var regulator = await nodes.A.Admin().CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest
        {
            OwnerKind = WebhookOwnerKind.Regulator, OwnerId = "3301", Url = nodes.Receiver.Url("reg-" + s.Suffix),
        });
        var d = await OpenAsync(s);
        var opened = d.CreateTime.ToDateTimeOffset();

        nodes.Advance(TimeSpan.FromHours(84) - TimeSpan.FromSeconds(1));
        await nodes.RaceDeadlinePassesAsync();
        var beforeWarning = await s.EventsAsync(d.DisputeId);
        nodes.Advance(TimeSpan.FromSeconds(1));
        await nodes.WaitUntilAsync(async () => (await s.EventsAsync(d.DisputeId)).Any(e => e.DeadlineWarning is not null), "the warning is recorded");
        nodes.Advance(TimeSpan.FromHours(12) - TimeSpan.FromSeconds(1));
        await nodes.RaceDeadlinePassesAsync();
        var beforeDeadline = await s.Merchant.GetDisputeAsync(new GetDisputeRequest { DisputeId = d.DisputeId });
        nodes.Advance(TimeSpan.FromSeconds(1));
        await Task.WhenAll(nodes.RaceDeadlinePassesAsync(), nodes.RaceDeadlinePassesAsync());
        await nodes.WaitUntilAsync(async () => (await Get(s, d)).Status == DisputeStatus.Escalated, "the dispute is escalated");
        await nodes.RaceDeadlinePassesAsync();
        var events = await s.EventsAsync(d.DisputeId);
        var after = await Get(s, d);
        // The endpoint covers region 3301, so it also hears of other tests' disputes there.
        ReceivedWebhook? Mine() => nodes.Receiver.Delivered("reg-" + s.Suffix).FirstOrDefault(r => r.EventId.StartsWith(d.DisputeId + "/", StringComparison.Ordinal));
        await nodes.WaitUntilAsync(() => Task.FromResult(Mine() is not null), "the regulator is notified");

        Assert.Equal(TimeSpan.FromHours(96), d.FirstResponseDueTime.ToDateTimeOffset() - opened);
        Assert.Equal(TimeSpan.FromHours(84), d.FirstResponseWarningTime.ToDateTimeOffset() - opened);
        Assert.Equal("3301", d.PolicyRegionPrefix);
        Assert.Single(beforeWarning);
        Assert.Equal(DisputeStatus.AwaitingMerchant, beforeDeadline.Dispute.Status);
        var warning = Assert.Single(events, e => e.DeadlineWarning is not null);
        Assert.Equal(DeadlineKind.FirstResponse, warning.DeadlineWarning.Deadline);
        Assert.Equal(d.FirstResponseDueTime, warning.DeadlineWarning.DueTime);
        Assert.Equal(ActorRole.System, warning.Actor.Role);
        Assert.Equal(opened.AddHours(84), warning.OccurTime.ToDateTimeOffset());
        var escalation = Assert.Single(events, e => e.Escalated is not null);
        Assert.Equal(EscalationReason.FirstResponseOverdue, escalation.Escalated.Reason);
        Assert.Equal(ActorRole.System, escalation.Actor.Role);
        Assert.Equal(opened.AddHours(96), escalation.OccurTime.ToDateTimeOffset());
        Assert.Equal(3, events.Count);
        Assert.Equal(EscalationReason.FirstResponseOverdue, after.EscalationReason);
        // The regulator gets the escalation with the whole trail (opening, warning, escalation).
        var sent = Mine()!.Parse();
        Assert.Equal("dispute.escalated", sent.EventType);
        Assert.Equal(new long[] { 1, 2, 3 }, sent.Trail.Select(e => e.Seq));
        Assert.Equal(regulator.Endpoint.EndpointId, sent.EndpointId);
    }

    [Fact]
    public async Task DeadlineWorker_NegotiationNotSettledIn7Days_WarnsThenEscalatesNegotiationExpired()
    {
        var s = await Scenario.CreateAsync(nodes.A);
        var d = await OpenAsync(s);
        var opened = d.CreateTime.ToDateTimeOffset();
        nodes.Advance(TimeSpan.FromHours(1));
        await s.Merchant.PostMessageAsync(new PostMessageRequest { RequestId = "m1", DisputeId = d.DisputeId, Text = "Let us talk." });

        nodes.Advance(TimeSpan.FromDays(7) - TimeSpan.FromHours(14));
        await nodes.RaceDeadlinePassesAsync();
        var before = await s.EventsAsync(d.DisputeId);
        nodes.Advance(TimeSpan.FromHours(1));
        await nodes.WaitUntilAsync(async () => (await s.EventsAsync(d.DisputeId)).Any(e => e.DeadlineWarning is not null), "the warning is recorded");
        nodes.Advance(TimeSpan.FromHours(12));
        await nodes.WaitUntilAsync(async () => (await Get(s, d)).Status == DisputeStatus.Escalated, "the dispute is escalated");
        var events = await s.EventsAsync(d.DisputeId);

        Assert.Equal(TimeSpan.FromDays(7), d.NegotiationDueTime.ToDateTimeOffset() - opened);
        Assert.DoesNotContain(before, e => e.DeadlineWarning is not null);
        Assert.Equal(DeadlineKind.Negotiation, Assert.Single(events, e => e.DeadlineWarning is not null).DeadlineWarning.Deadline);
        var escalation = Assert.Single(events, e => e.Escalated is not null);
        Assert.Equal(EscalationReason.NegotiationExpired, escalation.Escalated.Reason);
        Assert.Equal(opened.AddDays(7), escalation.OccurTime.ToDateTimeOffset());
    }

    [Fact]
    public async Task DeadlineWorker_TwoNodesRacingOver20DueDisputes_EachEscalatedExactlyOnce()
    {
        var s = await Scenario.CreateAsync(nodes.A);
        var onB = await Scenario.CreateAsync(nodes.B);
        var disputes = new List<Dispute>();
        for (var i = 0; i < 10; i++)
        {
            disputes.Add(await OpenAsync(s));
            disputes.Add(await OpenAsync(onB));
        }

        // Straight past the deadline: no warning is due any more, only the escalation.
        nodes.Advance(TimeSpan.FromHours(97));
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => nodes.RaceDeadlinePassesAsync()));
        await nodes.WaitUntilAsync(async () =>
        {
            foreach (var d in disputes)
            {
                if ((await s.AdminReader.GetDisputeAsync(new GetDisputeRequest { DisputeId = d.DisputeId })).Dispute.Status != DisputeStatus.Escalated)
                {
                    return false;
                }
            }
            return true;
        }, "all 20 disputes are escalated");
        await nodes.RaceDeadlinePassesAsync();

        foreach (var d in disputes)
        {
            var events = await s.EventsAsync(d.DisputeId);
            Assert.Equal(2, events.Count);
            Assert.Equal(EscalationReason.FirstResponseOverdue, Assert.Single(events, e => e.Escalated is not null).Escalated.Reason);
            Assert.DoesNotContain(events, e => e.DeadlineWarning is not null);
        }
    }

    [Fact]
    public async Task DeadlineWorker_MerchantAnswersBeforeDeadline_NoFirstResponseEscalation()
    {
        var s = await Scenario.CreateAsync(nodes.A);
        var d = await OpenAsync(s);
        nodes.Advance(TimeSpan.FromHours(95));
        await nodes.WaitUntilAsync(async () => (await s.EventsAsync(d.DisputeId)).Any(e => e.DeadlineWarning is not null), "the warning is recorded");
        await s.Merchant.MakeOfferAsync(new MakeOfferRequest { RequestId = "o1", DisputeId = d.DisputeId, Remedy = Remedy.Repair });

        nodes.Advance(TimeSpan.FromHours(2));
        await Task.WhenAll(nodes.RaceDeadlinePassesAsync(), nodes.RaceDeadlinePassesAsync());
        var after = await Get(s, d);
        var events = await s.EventsAsync(d.DisputeId);

        Assert.Equal(DisputeStatus.Negotiating, after.Status);
        Assert.DoesNotContain(events, e => e.Escalated is not null);
        Assert.Equal(DeadlineKind.FirstResponse, Assert.Single(events, e => e.DeadlineWarning is not null).DeadlineWarning.Deadline);
    }

    internal static async Task<Dispute> OpenAsync(Scenario s, Action<OpenDisputeRequest>? edit = null)
    {
        var r = s.OpenRequest();
        edit?.Invoke(r);
        return (await s.Channel.OpenDisputeAsync(r)).Dispute;
    }

    private static async Task<Dispute> Get(Scenario s, Dispute d) =>
        (await s.AdminReader.GetDisputeAsync(new GetDisputeRequest { DisputeId = d.DisputeId })).Dispute;
}

/// <summary>
/// A 10-working-day first-response rule (12315 ODR style) across the 2026 Mid-Autumn and National
/// Day holidays, with the Saturday 10 October make-up workday, on the shipped "CN" calendar.
/// </summary>
public abstract class WorkingDayDeadlineTests(ClockedNodes nodes)
{
    [Fact]
    public async Task DeadlineWorker_TenWorkingDaysAcrossNationalDay_DueEndOfOctober15AndEnforced()
    {
        // Opened Friday 25 September 10:00 (UTC+8). Working days after it: 28, 29, 30 September;
        // 1-7 October are holidays; 8, 9, 10 (a Saturday worked in exchange), 12, 13, 14, 15 October.
        // The deadline is the end of the tenth: 16 October 00:00 UTC+8 = 15 October 16:00 UTC.
        var expectedDue = new DateTimeOffset(2026, 10, 15, 16, 0, 0, TimeSpan.Zero);
        var prefix = "3302";
        await nodes.A.Admin().SetRegionPolicyAsync(new SetRegionPolicyRequest
        {
            Policy = new RegionPolicy
            {
                RegionPrefix = prefix,
                FirstResponse = new DeadlineRule { WorkingDays = 10 },
                Negotiation = new DeadlineRule { WorkingDays = 15 },
                NegotiationLimitDays = 30,
                WarningLeadHours = 12,
                CalendarId = "CN",
            },
        });
        var resolved = await nodes.A.Admin().ResolveRegionPolicyAsync(new ResolveRegionPolicyRequest { RegionCode = "330203" });
        // Node B learns the policy from the store within its refresh interval.
        await nodes.WaitUntilAsync(async () =>
            (await nodes.B.Admin().ResolveRegionPolicyAsync(new ResolveRegionPolicyRequest { RegionCode = "330203" })).Policy.RegionPrefix == prefix,
            "node B applies the new policy");

        var onB = await Scenario.CreateAsync(nodes.B);
        var d = await DeadlineScenarioTests.OpenAsync(onB, r =>
        {
            r.Order.StoreId = "unregistered-store";
            r.Order.RegionCode = "330203";
        });
        nodes.Advance(expectedDue - nodes.Time.GetUtcNow() - TimeSpan.FromSeconds(1));
        await nodes.RaceDeadlinePassesAsync();
        var justBefore = await onB.AdminReader.GetDisputeAsync(new GetDisputeRequest { DisputeId = d.DisputeId });
        nodes.Advance(TimeSpan.FromSeconds(1));
        await nodes.WaitUntilAsync(async () =>
            (await onB.AdminReader.GetDisputeAsync(new GetDisputeRequest { DisputeId = d.DisputeId })).Dispute.Status == DisputeStatus.Escalated,
            "the dispute is escalated at the working-day deadline");
        var events = await onB.EventsAsync(d.DisputeId);

        Assert.Equal(expectedDue, d.FirstResponseDueTime.ToDateTimeOffset());
        Assert.Equal(expectedDue.AddHours(-12), d.FirstResponseWarningTime.ToDateTimeOffset());
        Assert.Equal(new DateTimeOffset(2026, 10, 22, 16, 0, 0, TimeSpan.Zero), d.NegotiationDueTime.ToDateTimeOffset());
        Assert.Equal(prefix, d.PolicyRegionPrefix);
        Assert.Equal(DisputeStatus.AwaitingMerchant, justBefore.Dispute.Status);
        Assert.Equal(DeadlineKind.FirstResponse, Assert.Single(events, e => e.DeadlineWarning is not null).DeadlineWarning.Deadline);
        var escalation = Assert.Single(events, e => e.Escalated is not null);
        Assert.Equal(EscalationReason.FirstResponseOverdue, escalation.Escalated.Reason);
        Assert.Equal(expectedDue, escalation.OccurTime.ToDateTimeOffset());
        Assert.Equal(expectedDue, resolved.FirstResponseDueTime.ToDateTimeOffset());
        Assert.Equal("CN", resolved.Calendar.CalendarId);
    }
}
