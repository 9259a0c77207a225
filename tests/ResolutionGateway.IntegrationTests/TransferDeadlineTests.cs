using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.IntegrationTests;

public sealed class TransferDeadlineOnSqlite(SqliteClockedNodes nodes) : TransferDeadlineTests(nodes), IClassFixture<SqliteClockedNodes>;
public sealed class TransferDeadlineOnMySql(MySqlClockedNodes nodes) : TransferDeadlineTests(nodes), IClassFixture<MySqlClockedNodes>;

/// <summary>
/// A case transferred to Wuhan (4201) just before the National Day holidays: the acceptance deadline
/// is Wuhan's rule on Wuhan's calendar, counted from the transfer, enforced by the two nodes'
/// workers, and Wuhan's regulator endpoint hears of it.
/// </summary>
public abstract class TransferDeadlineTests(ClockedNodes nodes)
{
    [Fact]
    public async Task DeadlineWorker_CaseTransferredBeforeNationalDay_WuhanPolicyAndCalendarWarnThenOverdue()
    {
        // Transferred Monday 28 September 10:00 (UTC+8). Wuhan gives 3 working days on the CN
        // calendar: 29, 30 September, then 1-7 October are holidays, then 8 October. Due at the end
        // of 8 October: 9 October 00:00 UTC+8 = 8 October 16:00 UTC; warned 12 hours before.
        var expectedDue = new DateTimeOffset(2026, 10, 8, 16, 0, 0, TimeSpan.Zero);
        await nodes.A.Admin().SetRegionPolicyAsync(new SetRegionPolicyRequest
        {
            Policy = new RegionPolicy
            {
                RegionPrefix = "4201",
                FirstResponse = new DeadlineRule { Hours = 96 },
                Negotiation = new DeadlineRule { Days = 7 },
                NegotiationLimitDays = 30,
                WarningLeadHours = 12,
                CalendarId = "CN",
                CaseAcceptance = new DeadlineRule { WorkingDays = 3 },
            },
        });
        await nodes.WaitUntilAsync(async () =>
            (await nodes.B.Admin().ResolveRegionPolicyAsync(new ResolveRegionPolicyRequest { RegionCode = "420106" })).Policy.RegionPrefix == "4201",
            "node B applies Wuhan's policy");
        var s = await Scenario.CreateAsync(nodes.A);
        var wuhanKey = await nodes.A.KeyAsync(CredentialRole.Regulator, "4201");
        var wuhan = nodes.B.Disputes(wuhanKey);
        var path = "wuhan-" + s.Suffix;
        await nodes.A.Admin().CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest
        {
            OwnerKind = WebhookOwnerKind.Regulator, OwnerId = "4201", Url = nodes.Receiver.Url(path),
        });
        var d = (await s.Channel.OpenDisputeAsync(s.OpenRequest(merchantId: "unknown-" + s.Suffix))).Dispute;
        nodes.Advance(new DateTimeOffset(2026, 9, 28, 2, 0, 0, TimeSpan.Zero) - nodes.Time.GetUtcNow());

        var transferred = (await s.Hangzhou.TransferCaseAsync(new TransferCaseRequest { RequestId = "tr-" + s.Suffix, DisputeId = d.DisputeId, RegionPrefix = "4201" })).Dispute;
        nodes.Advance(expectedDue.AddHours(-12) - nodes.Time.GetUtcNow());
        await nodes.WaitUntilAsync(async () => (await s.EventsAsync(d.DisputeId)).Any(e => e.DeadlineWarning is not null), "the acceptance warning is recorded");
        nodes.Advance(expectedDue - nodes.Time.GetUtcNow() - TimeSpan.FromSeconds(1));
        await nodes.RaceDeadlinePassesAsync();
        var justBefore = await s.EventsAsync(d.DisputeId);
        nodes.Advance(TimeSpan.FromSeconds(1));
        await nodes.WaitUntilAsync(async () => (await s.EventsAsync(d.DisputeId)).Any(e => e.DeadlineOverdue is not null), "the acceptance deadline is recorded as overdue");
        await nodes.RaceDeadlinePassesAsync();
        var events = await s.EventsAsync(d.DisputeId);
        IReadOnlyList<ReceivedWebhook> Mine() => nodes.Receiver.Delivered(path).Where(r => r.EventId.StartsWith(d.DisputeId + "/", StringComparison.Ordinal)).ToArray();
        await nodes.WaitUntilAsync(() => Task.FromResult(Mine().Any(r => r.EventType == "dispute.deadline_overdue")), "Wuhan's endpoint hears of the overdue deadline");
        var seenByWuhan = (await wuhan.GetDisputeAsync(new GetDisputeRequest { DisputeId = d.DisputeId })).Dispute;

        Assert.NotEqual(expectedDue, d.CaseAcceptDueTime.ToDateTimeOffset());
        Assert.Equal(expectedDue, transferred.CaseAcceptDueTime.ToDateTimeOffset());
        Assert.Equal(expectedDue, events.Single(e => e.CaseTransferred is not null).CaseTransferred.AcceptDueTime.ToDateTimeOffset());
        Assert.DoesNotContain(justBefore, e => e.DeadlineOverdue is not null);
        var warning = Assert.Single(events, e => e.DeadlineWarning is not null);
        Assert.Equal(DeadlineKind.CaseAcceptance, warning.DeadlineWarning.Deadline);
        Assert.Equal(expectedDue.AddHours(-12), warning.OccurTime.ToDateTimeOffset());
        var overdue = Assert.Single(events, e => e.DeadlineOverdue is not null);
        Assert.Equal(DeadlineKind.CaseAcceptance, overdue.DeadlineOverdue.Deadline);
        Assert.Equal(expectedDue, overdue.OccurTime.ToDateTimeOffset());
        Assert.Equal(DisputeStatus.Escalated, seenByWuhan.Status);
        Assert.Equal(CaseStatus.Pending, seenByWuhan.CaseStatus);
        // Wuhan's endpoint hears of the case from its transfer on, not of what came before.
        Assert.Equal(["dispute.case_transferred", "dispute.deadline_overdue", "dispute.deadline_warning"],
            Mine().Select(r => r.EventType).Distinct().Order(StringComparer.Ordinal));
    }
}
