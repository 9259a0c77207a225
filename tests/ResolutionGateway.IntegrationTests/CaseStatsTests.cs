using Google.Protobuf.WellKnownTypes;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.IntegrationTests;

/// <summary>
/// The case, settlement and reopening figures of GetResolutionStats (issue 17) after a case walked
/// through the real gRPC stack, read by the region's regulator and by an analyst.
/// </summary>
public abstract class CaseStatsTests(GatewayFixture gw)
{
    private static string Request() => Guid.NewGuid().ToString();

    [Fact]
    public async Task GetResolutionStats_CaseWalkedToReopening_RegulatorAndAnalystReadCaseSettlementAndReopenFigures()
    {
        // Arrange: A escalated by the consumer, accepted, mediated with money, executed, not received;
        // B escalated and refused; C settled by the merchant, executed and received.
        var s = await Scenario.CreateAsync(gw);
        var regulator = new ReportingService.ReportingServiceClient(gw.Invoker(await gw.KeyAsync(CredentialRole.Regulator, "3301")));
        var analyst = new ReportingService.ReportingServiceClient(gw.Invoker(await gw.KeyAsync(CredentialRole.Analyst, "33")));
        var a = await EscalatedAsync(s);
        await s.Hangzhou.AcceptCaseAsync(new AcceptCaseRequest { RequestId = Request(), DisputeId = a.DisputeId });
        var mediated = (await s.Hangzhou.RecordMediationOutcomeAsync(new RecordMediationOutcomeRequest
        {
            RequestId = Request(), DisputeId = a.DisputeId, Outcome = Outcome.ResolvedByMediation,
            Settlement = new Settlement { Remedy = Remedy.PartialRefund, Amount = new Money { CurrencyCode = "CNY", MinorUnits = 5_000 } },
        })).Dispute;
        await ExecuteAsync(s, mediated);
        await ConfirmAsync(s, a.DisputeId, SettlementReceipt.NotReceived);
        var b = await EscalatedAsync(s);
        await s.Hangzhou.RefuseCaseAsync(new RefuseCaseRequest { RequestId = Request(), DisputeId = b.DisputeId, Reason = RefusalReason.OutsideRemit, Note = "court case" });
        var c = await s.OpenAsync(consumerRef: "c-9");
        c = (await s.Merchant.AcceptDemandAsync(new AcceptDemandRequest { RequestId = Request(), DisputeId = c.DisputeId })).Dispute;
        await ExecuteAsync(s, c);
        await ConfirmAsync(s, c.DisputeId, SettlementReceipt.Received);
        var filter = Filter(s);

        // Act
        var before = (await regulator.GetResolutionStatsAsync(new GetResolutionStatsRequest { Filter = filter })).Total;
        var reopened = (await s.Channel.ReopenDisputeAsync(new ReopenDisputeRequest
        {
            RequestId = Request(), DisputeId = a.DisputeId, Reason = ReopenReason.NotAsAgreed, Note = "the refund never arrived",
        })).Dispute;
        var after = (await analyst.GetResolutionStatsAsync(new GetResolutionStatsRequest { Filter = filter })).Total;
        var byRegulator = (await regulator.GetResolutionStatsAsync(new GetResolutionStatsRequest { Filter = filter })).Total;

        // Assert: before the reopening.
        Assert.Equal((0L, 1L, 1L, 2L, 0L), (before.CasesPending, before.CasesAccepted, before.CasesRefused, before.CasesDecided, before.CasesDecidedLate));
        Assert.Equal(0.5, before.CaseAcceptanceRate);
        Assert.Equal((1L, 1L, 1L), (before.MediationsConcluded, before.MediationsConcludedOnTime, before.MediationsResolved));
        Assert.Equal((1.0, 1.0), (before.MediationOnTimeRate, before.AcceptedMediationSuccessRate));
        Assert.Equal((2L, 2L, 0L, 2L), (before.SettlementsDue, before.SettlementsExecutedOnTime, before.SettlementsExecutedLate, before.ExecutionsRecorded));
        Assert.Equal(1.0, before.SettlementOnTimeRate);
        Assert.Equal((1L, 1L), (before.SettlementsReceived, before.SettlementsNotReceived));
        Assert.Equal((0L, 2L, 0.0), (before.Reopened, before.ClosedWithSettlement, before.ReopenRate));
        // After it: A is a pending case again, its settlement gone, the dispute reopened once.
        Assert.Equal(1, reopened.ReopenCount);
        Assert.Equal((1L, 0L, 1L, 0.0), (after.CasesPending, after.CasesAccepted, after.CasesRefused, after.CaseAcceptanceRate));
        Assert.Equal((0L, 0.0), (after.MediationsConcluded, after.AcceptedMediationSuccessRate));
        Assert.Equal((1L, 1L, 1L, 0L), (after.SettlementsDue, after.ExecutionsRecorded, after.SettlementsReceived, after.SettlementsNotReceived));
        Assert.Equal((1L, 2L, 0.5), (after.Reopened, after.ClosedWithSettlement, after.ReopenRate));
        Assert.Equal(after, byRegulator);
    }

    private static ReportFilter Filter(Scenario s)
    {
        var beijing = s.Now.ToOffset(TimeSpan.FromHours(8));
        return new ReportFilter
        {
            FromDate = beijing.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ToDate = beijing.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ChannelId = s.ChannelId,
        };
    }

    // Negotiating (an offer made), then escalated by the consumer: a pending case of the store's region.
    private static async Task<Dispute> EscalatedAsync(Scenario s)
    {
        var (d, _) = await s.OpenWithOfferAsync();
        return (await s.Channel.EscalateDisputeAsync(new EscalateDisputeRequest { RequestId = Request(), DisputeId = d.DisputeId, Note = "no agreement" })).Dispute;
    }

    private static async Task ExecuteAsync(Scenario s, Dispute d) => await s.Merchant.RecordSettlementExecutionAsync(new RecordSettlementExecutionRequest
    {
        RequestId = Request(), DisputeId = d.DisputeId, Reference = "alipay-" + d.DisputeId, Amount = d.Settlement.Amount,
        ExecuteTime = Timestamp.FromDateTimeOffset(s.Now), Note = "refunded",
    });

    private static async Task ConfirmAsync(Scenario s, string disputeId, SettlementReceipt receipt) => await s.Channel.ConfirmSettlementAsync(new ConfirmSettlementRequest
    {
        RequestId = Request(), DisputeId = disputeId, Receipt = receipt,
    });
}
