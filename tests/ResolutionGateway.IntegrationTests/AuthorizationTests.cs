using Grpc.Core;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.IntegrationTests;

public abstract class AuthorizationTests(GatewayFixture gw)
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-key")]
    [InlineData("rg_key_01ARZ3NDEKTSV4RRFFQ69G5FAV_wrongsecret")]
    public async Task AnyRpc_MissingOrBadCredential_Unauthenticated(string? token)
    {
        var client = gw.Disputes(token);

        await RpcAssert.FailsWith(StatusCode.Unauthenticated, () =>
            client.ListDisputesAsync(new ListDisputesRequest { ConsumerRef = "c" }).ResponseAsync);
    }

    [Fact]
    public async Task RevokeApiKey_KeyInUse_RefusedWithUnauthenticatedAtOnce()
    {
        var s = await Scenario.CreateAsync(gw);
        var created = await gw.Admin().CreateApiKeyAsync(new CreateApiKeyRequest { Role = CredentialRole.Merchant, Scope = s.MerchantId });
        var merchant = gw.Disputes(created.Token);
        await merchant.ListDisputesAsync(new ListDisputesRequest());

        var revoked = await gw.Admin().RevokeApiKeyAsync(new RevokeApiKeyRequest { KeyId = created.Key.KeyId });

        Assert.NotNull(revoked.Key.RevokeTime);
        await RpcAssert.FailsWith(StatusCode.Unauthenticated, () => merchant.ListDisputesAsync(new ListDisputesRequest()).ResponseAsync);
        var keys = await gw.Admin().ListApiKeysAsync(new ListApiKeysRequest());
        Assert.DoesNotContain(keys.Keys, k => k.KeyId == created.Key.KeyId);
    }

    [Fact]
    public async Task OtherMerchant_ReadsOrWritesForeignDispute_NotFound()
    {
        var s = await Scenario.CreateAsync(gw);
        var d = await s.OpenAsync();
        var id = d.DisputeId;

        await RpcAssert.FailsWith(StatusCode.NotFound, () => s.OtherMerchant.GetDisputeAsync(new GetDisputeRequest { DisputeId = id }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.NotFound, () => s.OtherMerchant.ListDisputeEventsAsync(new ListDisputeEventsRequest { DisputeId = id }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.NotFound, () => s.OtherMerchant.PostMessageAsync(new PostMessageRequest { RequestId = "1", DisputeId = id, Text = "hi" }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.NotFound, () => s.OtherMerchant.MakeOfferAsync(new MakeOfferRequest { RequestId = "2", DisputeId = id, Remedy = Remedy.Repair }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.NotFound, () => s.OtherMerchant.AcceptDemandAsync(new AcceptDemandRequest { RequestId = "3", DisputeId = id }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.NotFound, async () =>
        {
            using var call = s.OtherMerchant.WatchDispute(new WatchDisputeRequest { DisputeId = id });
            await call.ResponseStream.MoveNext();
        });
        var list = await s.OtherMerchant.ListDisputesAsync(new ListDisputesRequest { MerchantId = s.MerchantId });
        Assert.Empty(list.Disputes);
        Assert.Single(await s.EventsAsync(id));
    }

    [Fact]
    public async Task OtherChannel_ReadsOrWritesForeignDispute_NotFound()
    {
        var s = await Scenario.CreateAsync(gw);
        var d = await s.OpenAsync(consumerRef: "shared-ref");

        await RpcAssert.FailsWith(StatusCode.NotFound, () => s.OtherChannel.GetDisputeAsync(new GetDisputeRequest { DisputeId = d.DisputeId }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.NotFound, () => s.OtherChannel.WithdrawDisputeAsync(new WithdrawDisputeRequest { RequestId = "w", DisputeId = d.DisputeId }).ResponseAsync);
        var list = await s.OtherChannel.ListDisputesAsync(new ListDisputesRequest { ConsumerRef = "shared-ref" });
        Assert.Empty(list.Disputes);
        var own = await s.Channel.ListDisputesAsync(new ListDisputesRequest { ConsumerRef = "shared-ref" });
        Assert.Single(own.Disputes);
    }

    [Fact]
    public async Task ListDisputes_ChannelWithoutConsumer_InvalidArgument()
    {
        var s = await Scenario.CreateAsync(gw);

        var e = await RpcAssert.FailsWith(StatusCode.InvalidArgument, () => s.Channel.ListDisputesAsync(new ListDisputesRequest()).ResponseAsync);

        Assert.Contains("consumer_ref", RpcAssert.Fields(e));
    }

    [Fact]
    public async Task Regulator_DisputeOutsideRegion_NotFoundInsideRegionVisible()
    {
        var s = await Scenario.CreateAsync(gw);
        var d = await s.OpenAsync();

        await RpcAssert.FailsWith(StatusCode.NotFound, () => s.Jiangsu.GetDisputeAsync(new GetDisputeRequest { DisputeId = d.DisputeId }).ResponseAsync);
        var seen = await s.Hangzhou.GetDisputeAsync(new GetDisputeRequest { DisputeId = d.DisputeId });

        Assert.Equal(d.DisputeId, seen.Dispute.DisputeId);
        var listed = await s.Hangzhou.ListDisputesAsync(new ListDisputesRequest { MerchantId = s.MerchantId });
        Assert.Contains(listed.Disputes, x => x.DisputeId == d.DisputeId);
        var jiangsu = await s.Jiangsu.ListDisputesAsync(new ListDisputesRequest { MerchantId = s.MerchantId });
        Assert.Empty(jiangsu.Disputes);
    }

    [Fact]
    public async Task RoleMatrix_ActionOutsideRole_PermissionDenied()
    {
        var s = await Scenario.CreateAsync(gw);
        var (d, offer) = await s.OpenWithOfferAsync();
        var id = d.DisputeId;

        // Merchants do not act for consumers.
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => s.Merchant.OpenDisputeAsync(s.OpenRequest()).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => s.Merchant.RespondToOfferAsync(new RespondToOfferRequest { RequestId = "1", DisputeId = id, OfferId = offer.OfferId, Decision = OfferDecision.Accept }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => s.Merchant.WithdrawDisputeAsync(new WithdrawDisputeRequest { RequestId = "2", DisputeId = id }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => s.Merchant.EscalateDisputeAsync(new EscalateDisputeRequest { RequestId = "3", DisputeId = id }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => s.Merchant.RateResolutionAsync(new RateResolutionRequest { RequestId = "4", DisputeId = id, Rating = 5 }).ResponseAsync);
        // Channels do not act for merchants or the regulator.
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => s.Channel.MakeOfferAsync(new MakeOfferRequest { RequestId = "5", DisputeId = id, Remedy = Remedy.Repair }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => s.Channel.AcceptDemandAsync(new AcceptDemandRequest { RequestId = "6", DisputeId = id }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => s.Channel.RecordMediationOutcomeAsync(new RecordMediationOutcomeRequest { RequestId = "7", DisputeId = id, Outcome = Outcome.Unresolved }).ResponseAsync);
        // Regulators do not negotiate; admins read but act for no party.
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => s.Hangzhou.MakeOfferAsync(new MakeOfferRequest { RequestId = "8", DisputeId = id, Remedy = Remedy.Repair }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => s.AdminReader.PostMessageAsync(new PostMessageRequest { RequestId = "9", DisputeId = id, Text = "hi" }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => s.AdminReader.OpenDisputeAsync(s.OpenRequest()).ResponseAsync);
        // Only admins use AdminService.
        var asMerchant = new AdminService.AdminServiceClient(gw.Invoker(await gw.KeyAsync(CredentialRole.Merchant, s.MerchantId)));
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => asMerchant.CreateApiKeyAsync(new CreateApiKeyRequest { Role = CredentialRole.Admin }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => asMerchant.EnrollMerchantAsync(new EnrollMerchantRequest { MerchantId = "x", DisplayName = "X" }).ResponseAsync);

        Assert.Equal(2, (await s.EventsAsync(id)).Count); // opened + offer: nothing refused was recorded
        var admin = await s.AdminReader.GetDisputeAsync(new GetDisputeRequest { DisputeId = id });
        Assert.Equal(DisputeStatus.Negotiating, admin.Dispute.Status);
    }
}
