using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.IntegrationTests;

/// <summary>
/// The rgctl commands of issue 17 (and the settle, reopen and case ones before them) run as the
/// built rgctl process against a real gateway (Kestrel, HTTP/2, embedded store); each test checks
/// what rgctl printed and what the server then holds.
/// </summary>
public sealed partial class RgctlCommandTests(GatewayFixture gw) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task StoresImport_CsvWithRefusedRows_ImportsTheOthersAndPrintsEachRefusedRowWithItsReason()
    {
        var s = await Scenario.CreateAsync(gw);
        var csv = Path.Combine(Directory.CreateTempSubdirectory("rg-import-").FullName, "stores.csv");
        await File.WriteAllLinesAsync(csv,
        [
            "store_id,merchant_id,display_name,region_code,address,enabled",
            $"s1,{s.MerchantId},Tea (Binjiang),330108,\"2 Jiangnan Rd, Binjiang\",",
            $"s2,{s.MerchantId},Tea (Gongshu),330105,,false",
            $"s3,{s.MerchantId},Tea (nowhere),33A105,,",
            $"s4,unknown-{s.Suffix},Ghost,330105,,",
        ]);

        var (output, code) = await RgctlAsync(gw.AdminToken, "stores", "import", csv, "--batch", "2");
        var stores = await gw.Admin().ListStoresAsync(new ListStoresRequest { MerchantId = s.MerchantId });

        Assert.Equal(3, code);
        Assert.Contains("2 created, 0 updated, 0 unchanged, 2 refused", output, StringComparison.Ordinal);
        Assert.Contains("sent 4 rows in 2 messages", output, StringComparison.Ordinal);
        Assert.Matches($@"row 3 \({s.MerchantId}/s3\): region_code: ", output);
        Assert.Matches($@"row 4 \(unknown-{s.Suffix}/s4\): merchant_id: ", output);
        Assert.Equal(["s1", "s2", s.StoreId], stores.Stores.Select(x => x.StoreId).Order(StringComparer.Ordinal));
        Assert.Equal("2 Jiangnan Rd, Binjiang", stores.Stores.Single(x => x.StoreId == "s1").Address);
        Assert.False(stores.Stores.Single(x => x.StoreId == "s2").Enabled);
    }

    [Fact]
    public async Task DirectoryListsAndAudit_FiltersAndLimit_PrintWhatTheServerHolds()
    {
        var s = await Scenario.CreateAsync(gw);
        await gw.Admin().UpsertStoreAsync(new UpsertStoreRequest
        {
            Store = new Store { MerchantId = s.MerchantId, StoreId = "closed-1", DisplayName = "Closed", RegionCode = "330105", Enabled = false },
        });

        var (disabled, _) = await RgctlAsync(gw.AdminToken, "stores", "list", "--merchant", s.MerchantId, "--disabled");
        var (all, _) = await RgctlAsync(gw.AdminToken, "stores", "list", "--merchant", s.MerchantId, "--limit", "1");
        var (merchants, _) = await RgctlAsync(gw.AdminToken, "merchants", "list", "--region", "3301", "--limit", "1000");
        var (channels, channelsCode) = await RgctlAsync(gw.AdminToken, "channels", "list", "--limit", "1000");
        var (audit, auditCode) = await RgctlAsync(gw.AdminToken, "audit", "list", "--limit", "200");

        Assert.Contains("closed-1", disabled, StringComparison.Ordinal);
        Assert.DoesNotContain(s.StoreId, disabled, StringComparison.Ordinal);
        Assert.Contains("closed-1", all, StringComparison.Ordinal);
        Assert.DoesNotContain(s.StoreId, all, StringComparison.Ordinal);
        Assert.Contains("(more: rgctl stores list ... --page-token ", all, StringComparison.Ordinal);
        Assert.Contains(s.MerchantId, merchants, StringComparison.Ordinal);
        Assert.DoesNotContain(s.OtherMerchantId, merchants, StringComparison.Ordinal); // no store in 3301
        Assert.Equal(0, channelsCode);
        Assert.Contains(s.ChannelId, channels, StringComparison.Ordinal);
        Assert.Contains(s.OtherChannelId, channels, StringComparison.Ordinal);
        Assert.Equal(0, auditCode);
        Assert.Matches($@"/resolution\.v1\.AdminService/UpsertStore\s+{s.MerchantId}/closed-1", audit);
    }

    [Fact]
    public async Task WebhooksAndDeliveries_MerchantKeyOnItsOwnEndpoint_ServerStateFollowsEachCommand()
    {
        var s = await Scenario.CreateAsync(gw);
        const string Url = "https://pos.example.com/rg-webhook";

        // Created by the merchant itself, for itself (no dispute is opened: nothing is ever sent).
        var (created, createdCode) = await RgctlAsync(s.MerchantToken, "webhooks", "create", "--endpoint-url", Url, "--description", "POS");
        Assert.True(createdCode == 0, created);
        var id = EndpointId().Match(created).Value;
        var firstSecret = Secret().Match(created).Value;
        var (listed, _) = await RgctlAsync(s.MerchantToken, "webhooks", "list");
        var (disabled, disabledCode) = await RgctlAsync(s.MerchantToken, "webhooks", "update", id, "--disable");
        Assert.True(disabledCode == 0, disabled);
        var afterDisable = await Endpoint(s, id);
        var (dead, deadCode) = await RgctlAsync(s.MerchantToken, "deliveries", "list", id, "--dead");
        var (refused, refusedCode) = await RgctlAsync(s.MerchantToken, "deliveries", "redeliver", id);
        var (enabled, _) = await RgctlAsync(s.MerchantToken, "webhooks", "update", id, "--enable", "--description", "POS v2");
        var afterEnable = await Endpoint(s, id);
        var (requeued, requeuedCode) = await RgctlAsync(s.MerchantToken, "deliveries", "redeliver", id);
        var (rotated, _) = await RgctlAsync(s.MerchantToken, "webhooks", "rotate", id, "--previous-ttl", "60");
        var afterRotate = await Endpoint(s, id);
        var (foreign, foreignCode) = await RgctlAsync(s.MerchantToken, "webhooks", "create", "--owner", "merchant", "--owner-id", s.OtherMerchantId, "--endpoint-url", Url);
        var (deleted, _) = await RgctlAsync(s.MerchantToken, "webhooks", "delete", id);

        Assert.Equal(0, createdCode);
        Assert.StartsWith("whsec_", firstSecret, StringComparison.Ordinal);
        Assert.Contains($"merchant:{s.MerchantId}", listed, StringComparison.Ordinal);
        Assert.Contains(id, listed, StringComparison.Ordinal);
        Assert.Contains("disabled by the merchant", disabled, StringComparison.Ordinal);
        Assert.False(afterDisable.Enabled);
        Assert.Equal(0, deadCode);
        Assert.Contains("(no deliveries)", dead, StringComparison.Ordinal);
        Assert.Equal(1, refusedCode);
        Assert.Contains("error: FailedPrecondition", refused, StringComparison.Ordinal);
        Assert.Contains("yes", enabled, StringComparison.Ordinal);
        Assert.True(afterEnable.Enabled);
        Assert.Equal("POS v2", afterEnable.Description);
        Assert.Equal(0, requeuedCode);
        Assert.Contains($"requeued 0 dead-lettered deliveries of {id}", requeued, StringComparison.Ordinal);
        Assert.NotEqual(firstSecret, Secret().Match(rotated).Value);
        Assert.NotNull(afterRotate.PreviousSecretExpireTime);
        Assert.Equal(1, foreignCode);
        Assert.Contains("error: PermissionDenied", foreign, StringComparison.Ordinal);
        Assert.Contains($"deleted webhook endpoint {id}", deleted, StringComparison.Ordinal);
        Assert.Empty((await gw.Admin().ListWebhookEndpointsAsync(new ListWebhookEndpointsRequest { OwnerKind = WebhookOwnerKind.Merchant, OwnerId = s.MerchantId })).Endpoints);
        Assert.Empty((await gw.Admin().ListWebhookEndpointsAsync(new ListWebhookEndpointsRequest { OwnerKind = WebhookOwnerKind.Merchant, OwnerId = s.OtherMerchantId })).Endpoints);
    }

    [Fact]
    public async Task PoliciesAndCalendars_SetListResolveDelete_ServerStateFollowsEachCommand()
    {
        // A prefix of its own (Scenario's disputes are in 330106): 4 random-ish digits under 65.
        var prefix = "65" + Random.Shared.Next(10, 99);
        var calendarId = "rgctl-" + Guid.NewGuid().ToString("N")[..8];

        var (calendar, calendarCode) = await RgctlAsync(gw.AdminToken, "calendars", "set", calendarId, "--name", "Test",
            "--holiday", "2026-10-01,2026-10-02", "--holiday", "2026-10-05", "--make-up-workday", "2026-09-27");
        var (set, setCode) = await RgctlAsync(gw.AdminToken, "policies", "set", prefix, "--first-response", "96h", "--negotiation", "7d",
            "--case-acceptance", "5wd", "--mediation", "30wd", "--calendar", calendarId, "--reopen-window-days", "20");
        var (bad, badCode) = await RgctlAsync(gw.AdminToken, "policies", "set", prefix, "--first-response", "96x", "--negotiation", "7d");
        var (listed, _) = await RgctlAsync(gw.AdminToken, "policies", "list");
        var (calendars, _) = await RgctlAsync(gw.AdminToken, "calendars", "list");
        var (resolved, _) = await RgctlAsync(gw.AdminToken, "policies", "resolve", prefix + "01", "--open-time", "2026-09-30T10:00:00+08:00");
        var policies = await gw.Admin().ListRegionPoliciesAsync(new ListRegionPoliciesRequest());
        var stored = policies.Policies.Single(p => p.RegionPrefix == prefix);
        var (deleted, deletedCode) = await RgctlAsync(gw.AdminToken, "policies", "delete", prefix);

        Assert.Equal(0, calendarCode);
        Assert.Contains("holidays (3): 2026-10-01 2026-10-02 2026-10-05", calendar, StringComparison.Ordinal);
        Assert.Equal(0, setCode);
        Assert.Contains($"policy set for {prefix}", set, StringComparison.Ordinal);
        Assert.Equal(2, badCode);
        Assert.Contains("--first-response must be a number followed by h", bad, StringComparison.Ordinal);
        Assert.Equal(96, stored.FirstResponse.Hours);
        Assert.Equal(7, stored.Negotiation.Days);
        Assert.Equal(5, stored.CaseAcceptance.WorkingDays);
        Assert.Equal(30, stored.Mediation.WorkingDays);
        Assert.Equal(20, stored.ReopenWindowDays);
        Assert.Equal(calendarId, stored.CalendarId);
        Assert.Matches($@"{prefix}\s+admin\s+96h\s+7d\s+\d+d\s+5wd\s+30wd", listed);
        Assert.Contains($"{calendarId} Test (UTC+08:00, admin)", calendars, StringComparison.Ordinal);
        Assert.Contains($"follows the policy of {prefix} (admin), calendar {calendarId}", resolved, StringComparison.Ordinal);
        // Opened on 30 September, 96 hours later: 4 October, 10:00 Beijing time.
        Assert.Matches(@"first response due\s+2026-10-0[34]T\d\d:00:00", resolved);
        Assert.Equal(0, deletedCode);
        Assert.Contains($"deleted the policy of {prefix}", deleted, StringComparison.Ordinal);
        Assert.DoesNotContain((await gw.Admin().ListRegionPoliciesAsync(new ListRegionPoliciesRequest())).Policies, p => p.RegionPrefix == prefix);
    }

    [Fact]
    public async Task CaseCommands_AcceptNoteNotesTransferRefuse_ServerStateFollowsEachCommand()
    {
        var s = await Scenario.CreateAsync(gw);
        var hangzhou = await gw.KeyAsync(CredentialRole.Regulator, "3301");
        var accepted = (await s.Channel.OpenDisputeAsync(s.OpenRequest(merchantId: "unknown-" + s.Suffix))).Dispute;
        var transferred = (await s.Channel.OpenDisputeAsync(s.OpenRequest(merchantId: "unknown-" + s.Suffix))).Dispute;
        var refused = (await s.Channel.OpenDisputeAsync(s.OpenRequest(merchantId: "unknown-" + s.Suffix))).Dispute;

        var (accept, acceptCode) = await RgctlAsync(hangzhou, "case", "accept", accepted.DisputeId, "--note", "ours");
        var (note, noteCode) = await RgctlAsync(hangzhou, "case", "note", accepted.DisputeId, "--text", "Called the merchant.");
        var (notes, _) = await RgctlAsync(hangzhou, "case", "notes", accepted.DisputeId);
        var (transfer, transferCode) = await RgctlAsync(hangzhou, "case", "transfer", transferred.DisputeId, "--region", "3302", "--note", "merchant is in Ningbo");
        var (refuse, refuseCode) = await RgctlAsync(hangzhou, "case", "refuse", refused.DisputeId, "--reason", "outside-remit", "--note", "not ours");
        var (hidden, hiddenCode) = await RgctlAsync(s.ChannelToken, "case", "notes", accepted.DisputeId);

        Assert.Equal(0, acceptCode);
        Assert.Contains("case accepted; mediation due", accept, StringComparison.Ordinal);
        Assert.Equal(CaseStatus.Accepted, (await Dispute(accepted.DisputeId)).CaseStatus);
        Assert.Equal(0, noteCode);
        Assert.Matches(@"note note_[0-9A-Z]{26} added", note);
        Assert.Contains("3301    Called the merchant.", notes, StringComparison.Ordinal);
        Assert.Equal(0, transferCode);
        Assert.Contains("case transferred to the regulator of 3302", transfer, StringComparison.Ordinal);
        Assert.Equal("3302", (await Dispute(transferred.DisputeId)).CaseRegionPrefix);
        Assert.Equal(0, refuseCode);
        Assert.Contains("case refused", refuse, StringComparison.Ordinal);
        Assert.Equal(DisputeStatus.Unresolved, (await Dispute(refused.DisputeId)).Status);
        Assert.Equal(1, hiddenCode);
        Assert.Contains("error: PermissionDenied", hidden, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SettleAndReopen_RecordConfirmReopen_ServerStateFollowsEachCommand()
    {
        var s = await Scenario.CreateAsync(gw);
        var d = await s.OpenAsync();
        await s.Merchant.AcceptDemandAsync(new AcceptDemandRequest { RequestId = "acc-" + s.Suffix, DisputeId = d.DisputeId });

        var (record, recordCode) = await RgctlAsync(s.MerchantToken, "settle", "record", d.DisputeId, "--reference", "alipay-r-1", "--amount", "12800");
        var afterRecord = await Dispute(d.DisputeId);
        var (confirm, confirmCode) = await RgctlAsync(s.ChannelToken, "settle", "confirm", d.DisputeId, "--receipt", "not-received", "--note", "nothing came");
        var (reopen, reopenCode) = await RgctlAsync(s.ChannelToken, "reopen", d.DisputeId, "--reason", "not-as-agreed", "--note", "the refund never arrived");
        var reopened = await Dispute(d.DisputeId);
        var (again, againCode) = await RgctlAsync(s.ChannelToken, "reopen", d.DisputeId, "--reason", "not-as-agreed", "--note", "again");

        Assert.Equal(0, recordCode);
        Assert.Contains("settlement execution recorded (reference alipay-r-1)", record, StringComparison.Ordinal);
        Assert.Equal("alipay-r-1", afterRecord.SettlementExecution.Reference);
        Assert.Equal(12_800, afterRecord.SettlementExecution.Amount.MinorUnits);
        Assert.Equal(0, confirmCode);
        Assert.Contains("the money did not arrive", confirm, StringComparison.Ordinal);
        Assert.Equal(0, reopenCode);
        Assert.Contains("reopened: escalated to the regulator", reopen, StringComparison.Ordinal);
        Assert.Equal(DisputeStatus.Escalated, reopened.Status);
        Assert.Equal(CaseStatus.Pending, reopened.CaseStatus);
        Assert.Equal(1, againCode);
        Assert.Contains("error: FailedPrecondition", again, StringComparison.Ordinal);
    }

    private async Task<Dispute> Dispute(string id) =>
        (await gw.Disputes(gw.AdminToken).GetDisputeAsync(new GetDisputeRequest { DisputeId = id })).Dispute;

    private async Task<WebhookEndpoint> Endpoint(Scenario s, string id) =>
        (await gw.Admin().ListWebhookEndpointsAsync(new ListWebhookEndpointsRequest { OwnerKind = WebhookOwnerKind.Merchant, OwnerId = s.MerchantId }))
            .Endpoints.Single(e => e.EndpointId == id);

    /// <summary>Runs the built rgctl with this gateway's address and <paramref name="key"/>; stdout and stderr as one text.</summary>
    private async Task<(string Output, int ExitCode)> RgctlAsync(string key, params string[] args)
    {
        var output = new ConcurrentQueue<string>();
        using var rgctl = GatewayProcess.Run(output, GatewayProcess.Built(Path.Combine("tools", "rgctl"), "rgctl.dll"),
            [.. args, "--url", gw.Address, "--key", key]);
        await rgctl.WaitForExitAsync();
        rgctl.WaitForExit(); // drains the output readers
        return (string.Join("\n", output), rgctl.ExitCode);
    }

    [GeneratedRegex("whe_[0-9A-Z]{26}")]
    private static partial Regex EndpointId();

    [GeneratedRegex(@"whsec_\S+")]
    private static partial Regex Secret();
}
