using Grpc.Core;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.IntegrationTests;

/// <summary>AcceptCase, RefuseCase, AssignCase and TransferCase over the real gRPC stack, by every role.</summary>
public abstract class CaseHandlingTests(GatewayFixture gw)
{
    public enum CaseRpc
    {
        Accept,
        Refuse,
        Assign,
        Transfer,
    }

    [Fact]
    public async Task AcceptCase_RegionRegulatorOnPendingCase_AcceptedWithMediationDeadlineAndEvent()
    {
        var s = await Scenario.CreateAsync(gw);
        var d = await EscalatedAsync(s);
        var request = new AcceptCaseRequest { RequestId = "acc-" + s.Suffix, DisputeId = d.DisputeId, Note = "accepted" };

        var accepted = (await s.Hangzhou.AcceptCaseAsync(request)).Dispute;
        var retried = (await s.Hangzhou.AcceptCaseAsync(request)).Dispute;

        Assert.Equal(CaseStatus.Pending, d.CaseStatus);
        Assert.NotNull(d.CaseAcceptDueTime);
        Assert.True(d.CaseAcceptDueTime.ToDateTimeOffset() > d.EscalateTime.ToDateTimeOffset().AddDays(7));
        Assert.Equal(DisputeStatus.Escalated, accepted.Status);
        Assert.Equal(CaseStatus.Accepted, accepted.CaseStatus);
        Assert.NotNull(accepted.CaseAcceptTime);
        Assert.True(accepted.MediationDueTime.ToDateTimeOffset() > accepted.CaseAcceptTime.ToDateTimeOffset().AddDays(45));
        Assert.Equal(accepted, retried);
        var events = await s.EventsAsync(d.DisputeId);
        Assert.Equal(3, events.Count);
        Assert.Equal(accepted.MediationDueTime, events[^1].CaseAccepted.MediationDueTime);
        Assert.Equal(ActorRole.Regulator, events[^1].Actor.Role);
        Assert.Equal(d.CaseAcceptDueTime, events[1].Escalated.AcceptDueTime);
        var seenByChannel = (await s.Channel.GetDisputeAsync(new GetDisputeRequest { DisputeId = d.DisputeId })).Dispute;
        Assert.Equal(CaseStatus.Accepted, seenByChannel.CaseStatus);
    }

    [Fact]
    public async Task RefuseCase_WithReasonAndNote_ClosedUnresolvedThenRateable()
    {
        var s = await Scenario.CreateAsync(gw);
        var d = await EscalatedAsync(s);

        var refused = (await s.Hangzhou.RefuseCaseAsync(new RefuseCaseRequest
        {
            RequestId = "ref-" + s.Suffix, DisputeId = d.DisputeId, Reason = RefusalReason.AlreadyHandled, Note = "a court has ruled on this order",
        })).Dispute;
        var rated = (await s.Channel.RateResolutionAsync(new RateResolutionRequest { RequestId = "rate-" + s.Suffix, DisputeId = d.DisputeId, Rating = 2 })).Dispute;

        Assert.Equal(DisputeStatus.Unresolved, refused.Status);
        Assert.Equal(Outcome.Unresolved, refused.Outcome);
        Assert.Equal(CaseStatus.Refused, refused.CaseStatus);
        Assert.Equal(RefusalReason.AlreadyHandled, refused.RefusalReason);
        Assert.NotNull(refused.CloseTime);
        Assert.Equal(2, rated.SatisfactionRating);
        var events = await s.EventsAsync(d.DisputeId);
        Assert.Equal(RefusalReason.AlreadyHandled, events[2].CaseRefused.Reason);
    }

    [Fact]
    public async Task TransferCase_AssignedThenTransferred_ReceiverActsSenderPermissionDenied()
    {
        var s = await Scenario.CreateAsync(gw);
        await gw.Admin().CreateApiKeyAsync(new CreateApiKeyRequest { Role = CredentialRole.Regulator, Scope = "3301", OfficerName = "Officer Wang" });
        var d = await EscalatedAsync(s);

        var assigned = (await s.Hangzhou.AssignCaseAsync(new AssignCaseRequest { RequestId = "as-" + s.Suffix, DisputeId = d.DisputeId, Officer = "Officer Wang" })).Dispute;
        var transferred = (await s.Hangzhou.TransferCaseAsync(new TransferCaseRequest
        {
            RequestId = "tr-" + s.Suffix, DisputeId = d.DisputeId, RegionPrefix = "32", Note = "the merchant operates in Jiangsu",
        })).Dispute;
        var seenByReceiver = (await s.Jiangsu.GetDisputeAsync(new GetDisputeRequest { DisputeId = d.DisputeId })).Dispute;
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () =>
            s.Hangzhou.AcceptCaseAsync(new AcceptCaseRequest { RequestId = "acc-hz-" + s.Suffix, DisputeId = d.DisputeId }).ResponseAsync);
        var accepted = (await s.Jiangsu.AcceptCaseAsync(new AcceptCaseRequest { RequestId = "acc-js-" + s.Suffix, DisputeId = d.DisputeId })).Dispute;

        Assert.Equal("Officer Wang", assigned.AssignedOfficer);
        Assert.Equal("32", transferred.CaseRegionPrefix);
        Assert.Equal("", transferred.AssignedOfficer);
        Assert.Equal("330106", transferred.RegionCode);
        Assert.Equal(transferred.CaseAcceptDueTime, seenByReceiver.CaseAcceptDueTime);
        Assert.Equal(CaseStatus.Accepted, accepted.CaseStatus);
        var events = await s.EventsAsync(d.DisputeId);
        Assert.Equal(5, events.Count);
        Assert.Equal("330106", events[3].CaseTransferred.FromRegionPrefix);
        Assert.Equal("32", events[3].CaseTransferred.ToRegionPrefix);
    }

    [Theory]
    [InlineData(CaseRpc.Accept)]
    [InlineData(CaseRpc.Refuse)]
    [InlineData(CaseRpc.Assign)]
    [InlineData(CaseRpc.Transfer)]
    public async Task CaseRpc_ChannelMerchantOrAdmin_PermissionDeniedAndNothingChanged(CaseRpc rpc)
    {
        var s = await Scenario.CreateAsync(gw);
        var d = await EscalatedAsync(s);

        foreach (var client in new[] { s.Channel, s.Merchant, s.AdminReader })
        {
            await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => Call(client, rpc, d.DisputeId));
        }

        Assert.Equal(2, (await s.EventsAsync(d.DisputeId)).Count);
    }

    [Theory]
    [InlineData(CaseRpc.Accept)]
    [InlineData(CaseRpc.Refuse)]
    [InlineData(CaseRpc.Assign)]
    [InlineData(CaseRpc.Transfer)]
    public async Task CaseRpc_RegulatorOfOtherRegion_NotFound(CaseRpc rpc)
    {
        var s = await Scenario.CreateAsync(gw);
        var d = await EscalatedAsync(s);

        await RpcAssert.FailsWith(StatusCode.NotFound, () => Call(s.Jiangsu, rpc, d.DisputeId));

        Assert.Equal(2, (await s.EventsAsync(d.DisputeId)).Count);
    }

    [Theory]
    [InlineData(CaseRpc.Accept)]
    [InlineData(CaseRpc.Refuse)]
    [InlineData(CaseRpc.Assign)]
    [InlineData(CaseRpc.Transfer)]
    public async Task CaseRpc_DisputeNotEscalated_FailedPrecondition(CaseRpc rpc)
    {
        var s = await Scenario.CreateAsync(gw);
        var d = await s.OpenAsync();

        await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () => Call(s.Hangzhou, rpc, d.DisputeId));

        Assert.Single(await s.EventsAsync(d.DisputeId));
    }

    [Fact]
    public async Task CaseRpcs_BadInput_InvalidArgumentWithFieldViolations()
    {
        var s = await Scenario.CreateAsync(gw);
        var d = await EscalatedAsync(s);

        var refuse = await RpcAssert.FailsWith(StatusCode.InvalidArgument, () =>
            s.Hangzhou.RefuseCaseAsync(new RefuseCaseRequest { RequestId = "r", DisputeId = d.DisputeId }).ResponseAsync);
        var assign = await RpcAssert.FailsWith(StatusCode.InvalidArgument, () =>
            s.Hangzhou.AssignCaseAsync(new AssignCaseRequest { RequestId = "a", DisputeId = d.DisputeId, Officer = " " }).ResponseAsync);
        var transfer = await RpcAssert.FailsWith(StatusCode.InvalidArgument, () =>
            s.Hangzhou.TransferCaseAsync(new TransferCaseRequest { RequestId = "t", DisputeId = d.DisputeId, RegionPrefix = "3" }).ResponseAsync);
        var accept = await RpcAssert.FailsWith(StatusCode.InvalidArgument, () =>
            s.Hangzhou.AcceptCaseAsync(new AcceptCaseRequest { DisputeId = "nope" }).ResponseAsync);

        Assert.Equal(["reason", "note"], RpcAssert.Fields(refuse));
        Assert.Equal(["officer"], RpcAssert.Fields(assign));
        Assert.Equal(["region_prefix"], RpcAssert.Fields(transfer));
        Assert.Equal(["request_id", "dispute_id"], RpcAssert.Fields(accept));
        Assert.Equal(2, (await s.EventsAsync(d.DisputeId)).Count);
    }

    [Fact]
    public async Task AddCaseNote_HandlingRegulator_ListedForRegulatorsAndAdminNeverInLogNorForParties()
    {
        var s = await Scenario.CreateAsync(gw);
        var d = await EscalatedAsync(s);
        var request = new AddCaseNoteRequest { RequestId = "n1-" + s.Suffix, DisputeId = d.DisputeId, Text = "merchant unreachable by phone" };

        var note = (await s.Hangzhou.AddCaseNoteAsync(request)).Note;
        var retried = (await s.Hangzhou.AddCaseNoteAsync(request)).Note;
        var byRegulator = (await s.Hangzhou.ListCaseNotesAsync(new ListCaseNotesRequest { DisputeId = d.DisputeId })).Notes;
        var byAdmin = (await s.AdminReader.ListCaseNotesAsync(new ListCaseNotesRequest { DisputeId = d.DisputeId })).Notes;

        Assert.StartsWith("note_", note.NoteId);
        Assert.Equal("3301", note.AuthorRegionPrefix);
        Assert.Equal(note, retried);
        Assert.Equal([note], byRegulator);
        Assert.Equal([note], byAdmin);
        foreach (var party in new[] { s.Channel, s.Merchant })
        {
            await RpcAssert.FailsWith(StatusCode.PermissionDenied, () =>
                party.ListCaseNotesAsync(new ListCaseNotesRequest { DisputeId = d.DisputeId }).ResponseAsync);
            await RpcAssert.FailsWith(StatusCode.PermissionDenied, () =>
                party.AddCaseNoteAsync(new AddCaseNoteRequest { RequestId = "n2-" + s.Suffix, DisputeId = d.DisputeId, Text = "x" }).ResponseAsync);
        }
        await RpcAssert.FailsWith(StatusCode.NotFound, () =>
            s.Jiangsu.ListCaseNotesAsync(new ListCaseNotesRequest { DisputeId = d.DisputeId }).ResponseAsync);
        var events = await s.EventsAsync(d.DisputeId);
        Assert.Equal(2, events.Count);
        Assert.DoesNotContain(events, e => e.ToString().Contains("unreachable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddCaseNote_SameRequestIdOtherText_InvalidArgumentAndOneNote()
    {
        var s = await Scenario.CreateAsync(gw);
        var d = await EscalatedAsync(s);
        await s.Hangzhou.AddCaseNoteAsync(new AddCaseNoteRequest { RequestId = "n1-" + s.Suffix, DisputeId = d.DisputeId, Text = "first" });

        var e = await RpcAssert.FailsWith(StatusCode.InvalidArgument, () =>
            s.Hangzhou.AddCaseNoteAsync(new AddCaseNoteRequest { RequestId = "n1-" + s.Suffix, DisputeId = d.DisputeId, Text = "second" }).ResponseAsync);

        Assert.Equal(["request_id"], RpcAssert.Fields(e));
        Assert.Single((await s.Hangzhou.ListCaseNotesAsync(new ListCaseNotesRequest { DisputeId = d.DisputeId })).Notes);
    }

    [Fact]
    public async Task AddCaseNote_DisputeNeverEscalated_FailedPrecondition()
    {
        var s = await Scenario.CreateAsync(gw);
        var d = await s.OpenAsync();

        await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () =>
            s.Hangzhou.AddCaseNoteAsync(new AddCaseNoteRequest { RequestId = "n-" + s.Suffix, DisputeId = d.DisputeId, Text = "early" }).ResponseAsync);

        Assert.Empty((await s.Hangzhou.ListCaseNotesAsync(new ListCaseNotesRequest { DisputeId = d.DisputeId })).Notes);
    }

    // Opened against a merchant that is not enrolled: escalated at once to Hangzhou's regulator.
    private static async Task<Dispute> EscalatedAsync(Scenario s) =>
        (await s.Channel.OpenDisputeAsync(s.OpenRequest(merchantId: "unknown-" + s.Suffix))).Dispute;

    private static Task Call(DisputeService.DisputeServiceClient client, CaseRpc rpc, string disputeId)
    {
        var id = Guid.NewGuid().ToString();
        return rpc switch
        {
            CaseRpc.Accept => client.AcceptCaseAsync(new AcceptCaseRequest { RequestId = id, DisputeId = disputeId }).ResponseAsync,
            CaseRpc.Refuse => client.RefuseCaseAsync(new RefuseCaseRequest
            {
                RequestId = id, DisputeId = disputeId, Reason = RefusalReason.OutsideRemit, Note = "not ours",
            }).ResponseAsync,
            CaseRpc.Assign => client.AssignCaseAsync(new AssignCaseRequest { RequestId = id, DisputeId = disputeId, Officer = "Officer Li" }).ResponseAsync,
            _ => client.TransferCaseAsync(new TransferCaseRequest { RequestId = id, DisputeId = disputeId, RegionPrefix = "330110" }).ResponseAsync,
        };
    }
}
