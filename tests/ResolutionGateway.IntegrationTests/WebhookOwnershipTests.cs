using Grpc.Core;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.IntegrationTests;

[Collection(GatewayCollection.Name)] public sealed class WebhookOwnershipOnSqlite(GatewayFixture gw) : WebhookOwnershipTests(gw);
[Collection(MySqlCollection.Name)] public sealed class WebhookOwnershipOnMySql(MySqlGateway gw) : WebhookOwnershipTests(gw);

/// <summary>
/// The webhook part of the authorization matrix: admins manage every endpoint, a merchant key its
/// own merchant's only (others' ids are NOT_FOUND to it), channel, regulator and analyst keys none.
/// No test here opens a dispute, so no delivery is ever attempted to the URLs below.
/// </summary>
public abstract class WebhookOwnershipTests(GatewayFixture gw)
{
    private const string Url = "https://hooks.example.com/rg";

    [Fact]
    public async Task CreateWebhookEndpoint_MerchantKeyEmptyOwner_CreatedForItsOwnMerchant()
    {
        var s = await Scenario.CreateAsync(gw);
        var merchant = gw.Admin(s.MerchantToken);

        var created = await merchant.CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest { Url = Url, Description = "POS" });

        Assert.Equal(WebhookOwnerKind.Merchant, created.Endpoint.OwnerKind);
        Assert.Equal(s.MerchantId, created.Endpoint.OwnerId);
        Assert.StartsWith("whsec_", created.Secret, StringComparison.Ordinal);
        var stored = await ListAsAdminAsync(s.MerchantId);
        Assert.Equal(created.Endpoint.EndpointId, Assert.Single(stored).EndpointId);
    }

    [Fact]
    public async Task CreateWebhookEndpoint_MerchantKeyForAnotherOwner_PermissionDeniedNothingCreated()
    {
        var s = await Scenario.CreateAsync(gw);
        var merchant = gw.Admin(s.MerchantToken);
        CreateWebhookEndpointRequest[] foreign =
        [
            new() { OwnerKind = WebhookOwnerKind.Merchant, OwnerId = s.OtherMerchantId, Url = Url },
            new() { OwnerId = s.OtherMerchantId, Url = Url },
            new() { OwnerKind = WebhookOwnerKind.Channel, OwnerId = s.ChannelId, Url = Url },
            new() { OwnerKind = WebhookOwnerKind.Regulator, OwnerId = "3301", Url = Url },
        ];

        foreach (var request in foreign)
        {
            await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => merchant.CreateWebhookEndpointAsync(request).ResponseAsync);
        }

        Assert.Empty(await ListAsAdminAsync(s.MerchantId));
        Assert.Empty(await ListAsAdminAsync(s.OtherMerchantId));
        Assert.Empty((await gw.Admin().ListWebhookEndpointsAsync(new ListWebhookEndpointsRequest
        {
            OwnerKind = WebhookOwnerKind.Channel, OwnerId = s.ChannelId,
        })).Endpoints);
    }

    [Fact]
    public async Task WebhookRpcs_MerchantKeyOnAnotherMerchantsEndpoint_NotFoundAndUnchanged()
    {
        var s = await Scenario.CreateAsync(gw);
        var theirs = (await gw.Admin().CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest
        {
            OwnerKind = WebhookOwnerKind.Merchant, OwnerId = s.OtherMerchantId, Url = Url,
        })).Endpoint;
        var id = theirs.EndpointId;
        var merchant = gw.Admin(s.MerchantToken);
        var before = await ListAsAdminAsync(s.OtherMerchantId);

        await RpcAssert.FailsWith(StatusCode.NotFound, () => merchant.UpdateWebhookEndpointAsync(new UpdateWebhookEndpointRequest { EndpointId = id, Enabled = false }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.NotFound, () => merchant.RotateWebhookSecretAsync(new RotateWebhookSecretRequest { EndpointId = id }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.NotFound, () => merchant.ListWebhookDeliveriesAsync(new ListWebhookDeliveriesRequest { EndpointId = id }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.NotFound, () => merchant.RedeliverWebhookDeliveriesAsync(new RedeliverWebhookDeliveriesRequest { EndpointId = id }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.NotFound, () => merchant.DeleteWebhookEndpointAsync(new DeleteWebhookEndpointRequest { EndpointId = id }).ResponseAsync);
        var listed = await merchant.ListWebhookEndpointsAsync(new ListWebhookEndpointsRequest());

        Assert.DoesNotContain(listed.Endpoints, e => e.EndpointId == id);
        Assert.Equal(before, await ListAsAdminAsync(s.OtherMerchantId));
        Assert.True(Assert.Single(before).Enabled);
    }

    [Fact]
    public async Task WebhookRpcs_MerchantKeyOnItsOwnEndpoint_UpdatesRotatesListsAndDeletes()
    {
        var s = await Scenario.CreateAsync(gw);
        var merchant = gw.Admin(s.MerchantToken);
        var created = await merchant.CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest
        {
            OwnerKind = WebhookOwnerKind.Merchant, OwnerId = s.MerchantId, Url = Url,
        });
        var id = created.Endpoint.EndpointId;
        var adminMade = (await gw.Admin().CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest
        {
            OwnerKind = WebhookOwnerKind.Merchant, OwnerId = s.MerchantId, Url = Url + "/2",
        })).Endpoint;

        var updated = await merchant.UpdateWebhookEndpointAsync(new UpdateWebhookEndpointRequest { EndpointId = id, Url = Url + "/v2", Enabled = false });
        var rotated = await merchant.RotateWebhookSecretAsync(new RotateWebhookSecretRequest { EndpointId = id, PreviousSecretTtlSeconds = 60 });
        var deliveries = await merchant.ListWebhookDeliveriesAsync(new ListWebhookDeliveriesRequest { EndpointId = id });
        var listed = await merchant.ListWebhookEndpointsAsync(new ListWebhookEndpointsRequest { OwnerKind = WebhookOwnerKind.Merchant, OwnerId = s.MerchantId });
        var deleted = await merchant.DeleteWebhookEndpointAsync(new DeleteWebhookEndpointRequest { EndpointId = id });

        Assert.Equal(Url + "/v2", updated.Endpoint.Url);
        Assert.False(updated.Endpoint.Enabled);
        Assert.Equal("disabled by the merchant", updated.Endpoint.DisabledReason);
        Assert.NotEqual(created.Secret, rotated.Secret);
        Assert.NotNull(rotated.Endpoint.PreviousSecretExpireTime);
        Assert.Empty(deliveries.Deliveries);
        Assert.Equal([id, adminMade.EndpointId], listed.Endpoints.Select(e => e.EndpointId));
        Assert.Equal(0, deleted.DeadLettered);
        Assert.Equal([adminMade.EndpointId], (await ListAsAdminAsync(s.MerchantId)).Select(e => e.EndpointId));
    }

    [Fact]
    public async Task ListWebhookEndpoints_MerchantKeyFilterOutsideItself_PermissionDenied()
    {
        var s = await Scenario.CreateAsync(gw);
        var merchant = gw.Admin(s.MerchantToken);

        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => merchant.ListWebhookEndpointsAsync(new ListWebhookEndpointsRequest
        {
            OwnerKind = WebhookOwnerKind.Merchant, OwnerId = s.OtherMerchantId,
        }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => merchant.ListWebhookEndpointsAsync(new ListWebhookEndpointsRequest
        {
            OwnerKind = WebhookOwnerKind.Channel,
        }).ResponseAsync);
    }

    [Fact]
    public async Task WebhookRpcs_AdminKey_ManagesAMerchantsEndpoint()
    {
        var s = await Scenario.CreateAsync(gw);
        var id = (await gw.Admin(s.MerchantToken).CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest { Url = Url })).Endpoint.EndpointId;

        var updated = await gw.Admin().UpdateWebhookEndpointAsync(new UpdateWebhookEndpointRequest { EndpointId = id, Enabled = false });
        var all = await gw.Admin().ListWebhookEndpointsAsync(new ListWebhookEndpointsRequest());

        Assert.Equal("disabled by an operator", updated.Endpoint.DisabledReason);
        Assert.Contains(all.Endpoints, e => e.EndpointId == id);
        var own = await gw.Admin(s.MerchantToken).ListWebhookEndpointsAsync(new ListWebhookEndpointsRequest());
        Assert.False(Assert.Single(own.Endpoints).Enabled);
    }

    [Theory]
    [InlineData(CredentialRole.Channel)]
    [InlineData(CredentialRole.Regulator)]
    [InlineData(CredentialRole.Analyst)]
    public async Task WebhookRpcs_NotAdminOrMerchant_PermissionDeniedNothingChanged(CredentialRole role)
    {
        var s = await Scenario.CreateAsync(gw);
        var id = (await gw.Admin(s.MerchantToken).CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest { Url = Url })).Endpoint.EndpointId;
        var scope = role switch
        {
            CredentialRole.Channel => s.ChannelId,
            CredentialRole.Regulator => "3301",
            _ => "",
        };
        var caller = gw.Admin(await gw.KeyAsync(role, scope));
        var before = await ListAsAdminAsync(s.MerchantId);

        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => caller.CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest
        {
            OwnerKind = WebhookOwnerKind.Channel, OwnerId = s.ChannelId, Url = Url,
        }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => caller.ListWebhookEndpointsAsync(new ListWebhookEndpointsRequest()).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => caller.UpdateWebhookEndpointAsync(new UpdateWebhookEndpointRequest { EndpointId = id, Enabled = false }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => caller.RotateWebhookSecretAsync(new RotateWebhookSecretRequest { EndpointId = id }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => caller.ListWebhookDeliveriesAsync(new ListWebhookDeliveriesRequest { EndpointId = id }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => caller.RedeliverWebhookDeliveriesAsync(new RedeliverWebhookDeliveriesRequest { EndpointId = id }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => caller.DeleteWebhookEndpointAsync(new DeleteWebhookEndpointRequest { EndpointId = id }).ResponseAsync);

        Assert.Equal(before, await ListAsAdminAsync(s.MerchantId));
        Assert.Empty((await gw.Admin().ListWebhookEndpointsAsync(new ListWebhookEndpointsRequest
        {
            OwnerKind = WebhookOwnerKind.Channel, OwnerId = s.ChannelId,
        })).Endpoints);
    }

    private async Task<IReadOnlyList<WebhookEndpoint>> ListAsAdminAsync(string merchantId) =>
        (await gw.Admin().ListWebhookEndpointsAsync(new ListWebhookEndpointsRequest { OwnerKind = WebhookOwnerKind.Merchant, OwnerId = merchantId })).Endpoints;
}
