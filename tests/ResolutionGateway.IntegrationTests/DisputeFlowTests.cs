using Grpc.Core;
using Grpc.Health.V1;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.IntegrationTests;

public abstract class DisputeFlowTests(GatewayFixture gw)
{
    [Fact]
    public async Task OpenDispute_EnrolledMerchant_PrefilledFromRegistryWithDeadlines()
    {
        var s = await Scenario.CreateAsync(gw);

        var d = await s.OpenAsync();

        Assert.StartsWith("dsp_", d.DisputeId);
        Assert.Equal(DisputeStatus.AwaitingMerchant, d.Status);
        Assert.Equal("West Lake Tea House", d.MerchantName);
        Assert.Equal("Tea House (Xihu)", d.StoreName);
        Assert.Equal("330106", d.RegionCode);
        Assert.True(d.MerchantEnrolled);
        Assert.Equal(12_800, d.Demand.Amount.MinorUnits); // full refund normalised to the order amount
        Assert.Equal(TimeSpan.FromHours(96), d.FirstResponseDueTime.ToDateTimeOffset() - d.CreateTime.ToDateTimeOffset());
        Assert.Equal(TimeSpan.FromDays(7), d.NegotiationDueTime.ToDateTimeOffset() - d.CreateTime.ToDateTimeOffset());
        Assert.Equal(1, d.LastSeq);
        var fetched = (await s.Channel.GetDisputeAsync(new GetDisputeRequest { DisputeId = d.DisputeId })).Dispute;
        Assert.Equal(d, fetched);
    }

    [Fact]
    public async Task Negotiation_OfferAcceptedAndRated_ResolvedWithFullTimeline()
    {
        var s = await Scenario.CreateAsync(gw);
        var d = await s.OpenAsync();

        await s.Channel.PostMessageAsync(new PostMessageRequest { RequestId = "m1", DisputeId = d.DisputeId, Text = "Hello?" });
        var reply = await s.Merchant.PostMessageAsync(new PostMessageRequest { RequestId = "m2", DisputeId = d.DisputeId, Text = "Sorry, let us fix it." });
        var offer = await s.Merchant.MakeOfferAsync(new MakeOfferRequest
        {
            RequestId = "o1", DisputeId = d.DisputeId, Remedy = Remedy.PartialRefund,
            Amount = new Money { CurrencyCode = "CNY", MinorUnits = 6_400 }, Note = "half back",
        });
        var accepted = await s.Channel.RespondToOfferAsync(new RespondToOfferRequest
        {
            RequestId = "r1", DisputeId = d.DisputeId, OfferId = offer.Offer.OfferId, Decision = OfferDecision.Accept,
        });
        var rated = await s.Channel.RateResolutionAsync(new RateResolutionRequest { RequestId = "rate", DisputeId = d.DisputeId, Rating = 5 });

        Assert.Equal(DisputeStatus.Negotiating, reply.Dispute.Status);
        Assert.NotNull(reply.Dispute.FirstResponseTime);
        Assert.Equal(ActorRole.Merchant, reply.Event.Actor.Role);
        Assert.Equal(OfferStatus.Pending, offer.Offer.Status);
        Assert.Equal(DisputeStatus.Resolved, accepted.Dispute.Status);
        Assert.Equal(Outcome.ResolvedByNegotiation, accepted.Dispute.Outcome);
        Assert.Equal(6_400, accepted.Dispute.Settlement.Amount.MinorUnits);
        Assert.Equal(OfferStatus.Accepted, accepted.Dispute.CurrentOffer.Status);
        Assert.NotNull(accepted.Dispute.CloseTime);
        Assert.Equal(5, rated.Dispute.SatisfactionRating);
        var events = await s.EventsAsync(d.DisputeId);
        Assert.Equal([1L, 2, 3, 4, 5, 6], events.Select(e => e.Seq));
        Assert.Equal(
            [DisputeEvent.DetailOneofCase.Opened, DisputeEvent.DetailOneofCase.MessagePosted, DisputeEvent.DetailOneofCase.MessagePosted,
             DisputeEvent.DetailOneofCase.OfferMade, DisputeEvent.DetailOneofCase.OfferAnswered, DisputeEvent.DetailOneofCase.ResolutionRated],
            events.Select(e => e.DetailCase));
        Assert.Equal(
            [DisputeStatus.AwaitingMerchant, DisputeStatus.AwaitingMerchant, DisputeStatus.Negotiating, DisputeStatus.Negotiating,
             DisputeStatus.Resolved, DisputeStatus.Resolved],
            events.Select(e => e.StatusAfter));
    }

    [Fact]
    public async Task AcceptDemand_OneSecondRefund_ResolvedWithDemandAsSettlement()
    {
        var s = await Scenario.CreateAsync(gw);
        var d = await s.OpenAsync();

        var r = await s.Merchant.AcceptDemandAsync(new AcceptDemandRequest { RequestId = "a1", DisputeId = d.DisputeId, Note = "refunded" });

        Assert.Equal(DisputeStatus.Resolved, r.Dispute.Status);
        Assert.Equal(Remedy.FullRefund, r.Dispute.Settlement.Remedy);
        Assert.Equal(12_800, r.Dispute.Settlement.Amount.MinorUnits);
        Assert.NotNull(r.Dispute.FirstResponseTime);
    }

    [Fact]
    public async Task OpenDispute_MerchantNotEnrolled_EscalatedAndMediatedByRegionRegulator()
    {
        var s = await Scenario.CreateAsync(gw);
        var request = s.OpenRequest(merchantId: "unknown-" + s.Suffix);

        var d = (await s.Channel.OpenDisputeAsync(request)).Dispute;
        var mediated = await s.Hangzhou.RecordMediationOutcomeAsync(new RecordMediationOutcomeRequest
        {
            RequestId = "med", DisputeId = d.DisputeId, Outcome = Outcome.ResolvedByMediation,
            Settlement = new Settlement { Remedy = Remedy.Compensation, Amount = new Money { CurrencyCode = "CNY", MinorUnits = 50_000 } },
        });

        Assert.Equal(DisputeStatus.Escalated, d.Status);
        Assert.False(d.MerchantEnrolled);
        Assert.Equal(EscalationReason.MerchantNotEnrolled, d.EscalationReason);
        Assert.Equal("Tea (bill)", d.MerchantName);
        Assert.Equal(2, d.LastSeq);
        var events = await s.EventsAsync(d.DisputeId);
        Assert.Equal(ActorRole.System, events[1].Actor.Role);
        Assert.Equal(DisputeStatus.Resolved, mediated.Dispute.Status);
        Assert.Equal(Outcome.ResolvedByMediation, mediated.Dispute.Outcome);
        Assert.Equal(50_000, mediated.Dispute.Settlement.Amount.MinorUnits);
    }

    [Fact]
    public async Task EscalateDispute_AfterRejectedOffer_RegulatorClosesUnresolved()
    {
        var s = await Scenario.CreateAsync(gw);
        var (d, offer) = await s.OpenWithOfferAsync();

        var rejected = await s.Channel.RespondToOfferAsync(new RespondToOfferRequest
        {
            RequestId = "r", DisputeId = d.DisputeId, OfferId = offer.OfferId, Decision = OfferDecision.Reject, Note = "not enough",
        });
        var escalated = await s.Channel.EscalateDisputeAsync(new EscalateDisputeRequest { RequestId = "e", DisputeId = d.DisputeId, Note = "unhappy" });
        await s.Hangzhou.PostMessageAsync(new PostMessageRequest { RequestId = "g", DisputeId = d.DisputeId, Text = "We are looking into it." });
        var closed = await s.Hangzhou.RecordMediationOutcomeAsync(new RecordMediationOutcomeRequest
        {
            RequestId = "u", DisputeId = d.DisputeId, Outcome = Outcome.Unresolved, Note = "no agreement",
        });

        Assert.Equal(DisputeStatus.Negotiating, rejected.Dispute.Status);
        Assert.Equal(OfferStatus.Rejected, rejected.Dispute.CurrentOffer.Status);
        Assert.Equal(DisputeStatus.Escalated, escalated.Dispute.Status);
        Assert.Equal(EscalationReason.ConsumerRequest, escalated.Dispute.EscalationReason);
        Assert.Equal(DisputeStatus.Unresolved, closed.Dispute.Status);
        Assert.Equal(Outcome.Unresolved, closed.Dispute.Outcome);
    }

    [Fact]
    public async Task WithdrawDispute_Open_WithdrawnAndOrderCanBeDisputedAgain()
    {
        var s = await Scenario.CreateAsync(gw);
        var d = await s.OpenAsync(orderId: "again-1");

        var w = await s.Channel.WithdrawDisputeAsync(new WithdrawDisputeRequest { RequestId = "w", DisputeId = d.DisputeId, Note = "sorted" });
        var second = await s.OpenAsync(orderId: "again-1");

        Assert.Equal(DisputeStatus.Withdrawn, w.Dispute.Status);
        Assert.Equal(Outcome.Withdrawn, w.Dispute.Outcome);
        Assert.NotEqual(d.DisputeId, second.DisputeId);
        Assert.Equal(DisputeStatus.AwaitingMerchant, second.Status);
    }

    [Fact]
    public async Task IllegalMoves_WrongState_FailedPreconditionAndNothingChanges()
    {
        var s = await Scenario.CreateAsync(gw);
        var (d, offer) = await s.OpenWithOfferAsync();
        var fresh = await s.OpenAsync();

        await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () =>
            s.Channel.RateResolutionAsync(new RateResolutionRequest { RequestId = "x1", DisputeId = d.DisputeId, Rating = 4 }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () =>
            s.Channel.EscalateDisputeAsync(new EscalateDisputeRequest { RequestId = "x2", DisputeId = fresh.DisputeId }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () =>
            s.Hangzhou.RecordMediationOutcomeAsync(new RecordMediationOutcomeRequest { RequestId = "x3", DisputeId = d.DisputeId, Outcome = Outcome.Unresolved }).ResponseAsync);
        await s.Channel.WithdrawDisputeAsync(new WithdrawDisputeRequest { RequestId = "w", DisputeId = d.DisputeId });
        await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () =>
            s.Channel.RespondToOfferAsync(new RespondToOfferRequest { RequestId = "x4", DisputeId = d.DisputeId, OfferId = offer.OfferId, Decision = OfferDecision.Accept }).ResponseAsync);
        var e = await RpcAssert.FailsWith(StatusCode.FailedPrecondition, () =>
            s.Merchant.MakeOfferAsync(new MakeOfferRequest { RequestId = "x5", DisputeId = d.DisputeId, Remedy = Remedy.Repair }).ResponseAsync);

        Assert.Equal("STATE", e.GetRpcStatus()!.GetDetail<Google.Rpc.PreconditionFailure>()!.Violations[0].Type);
        var events = await s.EventsAsync(d.DisputeId);
        Assert.Equal(3, events.Count); // opened, offer, withdrawn: the refused moves left no trace
        Assert.Single(await s.EventsAsync(fresh.DisputeId));
    }

    [Fact]
    public async Task ListDisputes_PagesNewestFirst_EveryDisputeOnceAndStatusFilter()
    {
        var s = await Scenario.CreateAsync(gw);
        var opened = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            opened.Add((await s.OpenAsync(consumerRef: "pager")).DisputeId);
        }
        await s.Channel.WithdrawDisputeAsync(new WithdrawDisputeRequest { RequestId = "w", DisputeId = opened[0] });

        var seen = new List<string>();
        var token = "";
        var pages = 0;
        do
        {
            var page = await s.Channel.ListDisputesAsync(new ListDisputesRequest { ConsumerRef = "pager", PageSize = 2, PageToken = token });
            seen.AddRange(page.Disputes.Select(x => x.DisputeId));
            token = page.NextPageToken;
            pages++;
        }
        while (token.Length > 0);
        var withdrawn = await s.Channel.ListDisputesAsync(new ListDisputesRequest { ConsumerRef = "pager", Statuses = { DisputeStatus.Withdrawn } });

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Reverse(opened), seen);
        Assert.Equal([opened[0]], withdrawn.Disputes.Select(x => x.DisputeId));
    }

    [Fact]
    public async Task HealthCheck_LivenessService_Serving()
    {
        var health = new Health.HealthClient(gw.Invoker(null));

        var r = await health.CheckAsync(new HealthCheckRequest { Service = "liveness" });

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, r.Status);
    }

    [Fact]
    public async Task HealthCheck_UnknownService_NotFound()
    {
        var health = new Health.HealthClient(gw.Invoker(null));

        await RpcAssert.FailsWith(StatusCode.NotFound, async () => await health.CheckAsync(new HealthCheckRequest { Service = "no-such-service" }));
    }

    [Fact]
    public async Task HealthCheck_NoCredential_Serving()
    {
        var health = new Health.HealthClient(gw.Invoker(null));

        var r = await health.CheckAsync(new HealthCheckRequest());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, r.Status);
    }
}
