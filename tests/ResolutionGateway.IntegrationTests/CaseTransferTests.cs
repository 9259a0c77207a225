using Grpc.Core;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.IntegrationTests;

/// <summary>
/// A case transferred from Hangzhou (3301) to Wuhan (4201): it moves to the Wuhan regulator's queue
/// (lists, region filter, feed) and hands, while the store's regulator keeps reading it by id and
/// reports keep it in the store's region.
/// </summary>
public abstract class CaseTransferTests(GatewayFixture gw)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task TransferCase_ToWuhan_WuhanListsReadsAndActsHangzhouReadsOnly()
    {
        var s = await Scenario.CreateAsync(gw);
        var wuhan = gw.Disputes(await gw.KeyAsync(CredentialRole.Regulator, "4201", "Officer Zhao"));
        var d = await EscalatedAsync(s);
        var byMerchant = new ListDisputesRequest { MerchantId = d.MerchantId };
        var hangzhouBefore = await s.Hangzhou.ListDisputesAsync(byMerchant);
        await RpcAssert.FailsWith(StatusCode.NotFound, () => wuhan.GetDisputeAsync(new GetDisputeRequest { DisputeId = d.DisputeId }).ResponseAsync);

        await s.Hangzhou.TransferCaseAsync(new TransferCaseRequest { RequestId = "tr-" + s.Suffix, DisputeId = d.DisputeId, RegionPrefix = "4201", Note = "merchant in Wuhan" });

        var wuhanList = await wuhan.ListDisputesAsync(byMerchant);
        var wuhanFiltered = await wuhan.ListDisputesAsync(new ListDisputesRequest { MerchantId = d.MerchantId, RegionPrefix = "4201" });
        var hangzhouAfter = await s.Hangzhou.ListDisputesAsync(byMerchant);
        var hangzhouRead = (await s.Hangzhou.GetDisputeAsync(new GetDisputeRequest { DisputeId = d.DisputeId })).Dispute;
        var wuhanRead = (await wuhan.GetDisputeAsync(new GetDisputeRequest { DisputeId = d.DisputeId })).Dispute;
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () =>
            s.Hangzhou.AssignCaseAsync(new AssignCaseRequest { RequestId = "as-hz-" + s.Suffix, DisputeId = d.DisputeId, Officer = "Officer Wang" }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () =>
            s.Hangzhou.AddCaseNoteAsync(new AddCaseNoteRequest { RequestId = "n-hz-" + s.Suffix, DisputeId = d.DisputeId, Text = "ours?" }).ResponseAsync);
        var assigned = (await wuhan.AssignCaseAsync(new AssignCaseRequest { RequestId = "as-" + s.Suffix, DisputeId = d.DisputeId, Officer = "Officer Zhao" })).Dispute;
        var note = (await wuhan.AddCaseNoteAsync(new AddCaseNoteRequest { RequestId = "n-" + s.Suffix, DisputeId = d.DisputeId, Text = "called the merchant" })).Note;
        var accepted = (await wuhan.AcceptCaseAsync(new AcceptCaseRequest { RequestId = "acc-" + s.Suffix, DisputeId = d.DisputeId })).Dispute;
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => s.Hangzhou.RecordMediationOutcomeAsync(new RecordMediationOutcomeRequest
        {
            RequestId = "med-hz-" + s.Suffix, DisputeId = d.DisputeId, Outcome = Outcome.Unresolved,
        }).ResponseAsync);
        var mediated = (await wuhan.RecordMediationOutcomeAsync(new RecordMediationOutcomeRequest
        {
            RequestId = "med-" + s.Suffix, DisputeId = d.DisputeId, Outcome = Outcome.ResolvedByMediation,
            Settlement = new Settlement { Remedy = Remedy.Apology },
        })).Dispute;
        var adminByStoreRegion = await s.AdminReader.ListDisputesAsync(new ListDisputesRequest { MerchantId = d.MerchantId, RegionPrefix = "3301" });
        var adminByWuhan = await s.AdminReader.ListDisputesAsync(new ListDisputesRequest { MerchantId = d.MerchantId, RegionPrefix = "4201" });

        Assert.Equal([d.DisputeId], hangzhouBefore.Disputes.Select(x => x.DisputeId));
        Assert.Equal([d.DisputeId], wuhanList.Disputes.Select(x => x.DisputeId));
        Assert.Equal([d.DisputeId], wuhanFiltered.Disputes.Select(x => x.DisputeId));
        Assert.Empty(hangzhouAfter.Disputes);
        Assert.Equal("4201", hangzhouRead.CaseRegionPrefix);
        Assert.Equal("4201", wuhanRead.CaseRegionPrefix);
        Assert.Equal("330106", wuhanRead.RegionCode);
        Assert.Equal("Officer Zhao", assigned.AssignedOfficer);
        Assert.Equal("4201", note.AuthorRegionPrefix);
        Assert.Equal(CaseStatus.Accepted, accepted.CaseStatus);
        Assert.Equal(DisputeStatus.Resolved, mediated.Status);
        Assert.Equal(Outcome.ResolvedByMediation, mediated.Outcome);
        // Statistics and the store's region stay with the consumer's region (region_code).
        Assert.Equal([d.DisputeId], adminByStoreRegion.Disputes.Select(x => x.DisputeId));
        Assert.Empty(adminByWuhan.Disputes);
    }

    [Fact]
    public async Task WatchDisputes_CaseTransferredToWuhan_WuhanFeedFromTransferHangzhouFeedUntilIt()
    {
        var s = await Scenario.CreateAsync(gw);
        var wuhan = gw.Disputes(await gw.KeyAsync(CredentialRole.Regulator, "4201"));
        var d = await EscalatedAsync(s);
        using var cts = new CancellationTokenSource(Patience);
        using var live = wuhan.WatchDisputes(new WatchDisputesRequest { StartAtNow = true }, cancellationToken: cts.Token);
        Assert.True(await live.ResponseStream.MoveNext(cts.Token));
        Assert.True(live.ResponseStream.Current.CaughtUp);

        await s.Hangzhou.TransferCaseAsync(new TransferCaseRequest { RequestId = "tr-" + s.Suffix, DisputeId = d.DisputeId, RegionPrefix = "4201" });
        var transferred = await NextOfAsync(live.ResponseStream, d.DisputeId, cts.Token);
        await wuhan.AcceptCaseAsync(new AcceptCaseRequest { RequestId = "acc-" + s.Suffix, DisputeId = d.DisputeId });
        var acceptedLive = await NextOfAsync(live.ResponseStream, d.DisputeId, cts.Token);
        var wuhanReplay = await ReplayOfAsync(wuhan, d.DisputeId, cts.Token);
        var hangzhouReplay = await ReplayOfAsync(s.Hangzhou, d.DisputeId, cts.Token);

        Assert.Equal(DisputeEvent.DetailOneofCase.CaseTransferred, transferred.DetailCase);
        Assert.Equal(DisputeEvent.DetailOneofCase.CaseAccepted, acceptedLive.DetailCase);
        // The receiver's feed starts at the transfer; the sender's holds the case up to the escalation.
        Assert.Equal([3L, 4L], wuhanReplay);
        Assert.Equal([1L, 2L], hangzhouReplay);
    }

    [Fact]
    public async Task ListDisputes_WuhanRegulatorRegionFilterOutsideItsPrefix_PermissionDenied()
    {
        var wuhan = gw.Disputes(await gw.KeyAsync(CredentialRole.Regulator, "4201"));

        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () =>
            wuhan.ListDisputesAsync(new ListDisputesRequest { RegionPrefix = "3301" }).ResponseAsync);
    }

    // Opened against a merchant that is not enrolled: escalated at once to Hangzhou's regulator.
    private static async Task<Dispute> EscalatedAsync(Scenario s) =>
        (await s.Channel.OpenDisputeAsync(s.OpenRequest(merchantId: "unknown-" + s.Suffix))).Dispute;

    private static async Task<DisputeEvent> NextOfAsync(IAsyncStreamReader<WatchDisputesResponse> stream, string disputeId, CancellationToken ct)
    {
        while (await stream.MoveNext(ct))
        {
            if (stream.Current.Event is { } e && e.DisputeId == disputeId)
            {
                return e;
            }
        }
        throw new InvalidOperationException("the stream ended");
    }

    // The seqs of the dispute's events that a feed replay from the beginning shows the caller.
    private static async Task<long[]> ReplayOfAsync(DisputeService.DisputeServiceClient client, string disputeId, CancellationToken ct)
    {
        using var call = client.WatchDisputes(new WatchDisputesRequest(), cancellationToken: ct);
        var seqs = new List<long>();
        while (await call.ResponseStream.MoveNext(ct) && !call.ResponseStream.Current.CaughtUp)
        {
            if (call.ResponseStream.Current.Event is { } e && e.DisputeId == disputeId)
            {
                seqs.Add(e.Seq);
            }
        }
        return [.. seqs];
    }
}
