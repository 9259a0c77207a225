using Grpc.Core;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.IntegrationTests;

/// <summary>Officers named on regulator keys: CreateApiKey, ListApiKeys, GetCaller, and AssignCase naming them.</summary>
public abstract class CaseOfficerTests(GatewayFixture gw)
{
    [Fact]
    public async Task CreateApiKey_RegulatorWithOfficerName_ShownInListApiKeysAndGetCaller()
    {
        var officer = "王芳 " + Guid.NewGuid().ToString("N")[..6];

        var created = await gw.Admin().CreateApiKeyAsync(new CreateApiKeyRequest { Role = CredentialRole.Regulator, Scope = "3301", OfficerName = officer });
        var listed = (await gw.Admin().ListApiKeysAsync(new ListApiKeysRequest())).Keys.Single(k => k.KeyId == created.Key.KeyId);
        var caller = await gw.Admin(created.Token).GetCallerAsync(new GetCallerRequest());

        Assert.Equal(officer, created.Key.OfficerName);
        Assert.Equal(officer, listed.OfficerName);
        Assert.Equal(officer, caller.OfficerName);
        Assert.Equal(CredentialRole.Regulator, caller.Role);
    }

    [Theory]
    [InlineData(CredentialRole.Admin, "")]
    [InlineData(CredentialRole.Analyst, "")]
    [InlineData(CredentialRole.Analyst, "33")]
    public async Task CreateApiKey_OfficerNameOnNonRegulatorKey_InvalidArgumentAndNoKey(CredentialRole role, string scope)
    {
        var before = (await gw.Admin().ListApiKeysAsync(new ListApiKeysRequest { IncludeRevoked = true })).Keys.Count;

        var e = await RpcAssert.FailsWith(StatusCode.InvalidArgument, () =>
            gw.Admin().CreateApiKeyAsync(new CreateApiKeyRequest { Role = role, Scope = scope, OfficerName = "Officer Li" }).ResponseAsync);

        Assert.Equal(["officer_name"], RpcAssert.Fields(e));
        Assert.Equal(before, (await gw.Admin().ListApiKeysAsync(new ListApiKeysRequest { IncludeRevoked = true })).Keys.Count);
    }

    [Fact]
    public async Task AssignCase_OfficerOfActiveKeyOfTheRegion_AssignedAndShownToRegulatorsOnly()
    {
        var s = await Scenario.CreateAsync(gw);
        var officer = "Officer Chen " + s.Suffix;
        await gw.KeyAsync(CredentialRole.Regulator, "33", officer);
        var d = await EscalatedAsync(s);

        var assigned = (await s.Hangzhou.AssignCaseAsync(new AssignCaseRequest { RequestId = "as-" + s.Suffix, DisputeId = d.DisputeId, Officer = officer })).Dispute;

        Assert.Equal(officer, assigned.AssignedOfficer);
        Assert.Equal(officer, (await s.Hangzhou.GetDisputeAsync(new GetDisputeRequest { DisputeId = d.DisputeId })).Dispute.AssignedOfficer);
        Assert.Equal(officer, (await s.Hangzhou.ListDisputeEventsAsync(new ListDisputeEventsRequest { DisputeId = d.DisputeId })).Events[^1].CaseAssigned.Officer);
        // The dispute's merchant is not enrolled (it has no key); the channel and the admin read it.
        foreach (var other in new[] { s.Channel, s.AdminReader })
        {
            var seen = (await other.GetDisputeAsync(new GetDisputeRequest { DisputeId = d.DisputeId })).Dispute;
            var events = (await other.ListDisputeEventsAsync(new ListDisputeEventsRequest { DisputeId = d.DisputeId })).Events;
            Assert.Equal(CaseStatus.Pending, seen.CaseStatus);
            Assert.Equal("", seen.AssignedOfficer);
            Assert.Equal("", events[^1].CaseAssigned.Officer);
            Assert.DoesNotContain(officer, string.Concat(events.Select(x => x.ToString())), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AssignCase_OfficerOfOtherRegionRevokedOrUnknown_FailedPreconditionAndNothingChanged()
    {
        var s = await Scenario.CreateAsync(gw);
        var elsewhere = "Officer Jiang " + s.Suffix;
        var revoked = "Officer Gone " + s.Suffix;
        await gw.KeyAsync(CredentialRole.Regulator, "32", elsewhere);
        var gone = await gw.Admin().CreateApiKeyAsync(new CreateApiKeyRequest { Role = CredentialRole.Regulator, Scope = "3301", OfficerName = revoked });
        await gw.Admin().RevokeApiKeyAsync(new RevokeApiKeyRequest { KeyId = gone.Key.KeyId });
        var d = await EscalatedAsync(s);

        foreach (var (officer, i) in new[] { elsewhere, revoked, "Nobody " + s.Suffix }.Select((o, i) => (o, i)))
        {
            var e = await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () =>
                s.Hangzhou.AssignCaseAsync(new AssignCaseRequest { RequestId = $"as-{i}-{s.Suffix}", DisputeId = d.DisputeId, Officer = officer }).ResponseAsync);
            var failure = e.GetRpcStatus()!.GetDetail<Google.Rpc.PreconditionFailure>();
            Assert.Equal("UNKNOWN_OFFICER", failure.Violations.Single().Type);
            Assert.Equal("officer", failure.Violations.Single().Subject);
        }

        Assert.Equal(2, (await s.EventsAsync(d.DisputeId)).Count);
        Assert.Equal("", (await s.Hangzhou.GetDisputeAsync(new GetDisputeRequest { DisputeId = d.DisputeId })).Dispute.AssignedOfficer);
    }

    // Opened against a merchant that is not enrolled: escalated at once to Hangzhou's regulator.
    private static async Task<Dispute> EscalatedAsync(Scenario s) =>
        (await s.Channel.OpenDisputeAsync(s.OpenRequest(merchantId: "unknown-" + s.Suffix))).Dispute;
}
