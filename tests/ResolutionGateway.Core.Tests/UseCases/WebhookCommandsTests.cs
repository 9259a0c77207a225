using System.Text.RegularExpressions;
using ResolutionGateway.Core.Disputes;
using ResolutionGateway.Core.Errors;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Core.Tests.TestSupport;
using ResolutionGateway.Core.UseCases;
using ResolutionGateway.Core.Webhooks;

namespace ResolutionGateway.Core.Tests.UseCases;

public sealed partial class WebhookCommandsTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly Principal Admin = new(CredentialRole.Admin, "", "key_admin");
    private static readonly CancellationToken Ct = CancellationToken.None;
    private const string MerchantId = "m_west_lake_tea";
    private const string ChannelId = "alipay";
    private const string Url = "https://hooks.example.com/resolution";

    private readonly InMemoryWebhookStore _store = new();
    private readonly InMemoryDirectoryStore _directory = new();
    private readonly ManualTimeProvider _clock = new(Now);

    public WebhookCommandsTests()
    {
        _directory.UpsertMerchantAsync(MerchantId, "West Lake Tea", Now, Ct).GetAwaiter().GetResult();
        _directory.UpsertChannelAsync(ChannelId, "Alipay", Now, Ct).GetAwaiter().GetResult();
    }

    [GeneratedRegex("^whsec_[A-Za-z0-9_-]{43}$")]
    private static partial Regex SecretFormat();

    private WebhookCommands Commands(bool allowHttp = false) => new(_store, _directory, new WebhookPolicy(allowHttp), _clock);

    private async Task<WebhookEndpoint> CreatedAsync(WebhookOwnerKind kind = WebhookOwnerKind.Merchant, string ownerId = MerchantId) =>
        (await Commands().CreateAsync(Admin, kind, ownerId, Url, "test", Ct)).Endpoint;

    private static async Task<FieldViolation> SingleViolationAsync(Func<Task> act)
    {
        var ex = Assert.IsType<ValidationException>(await Record.ExceptionAsync(act));
        return Assert.Single(ex.Violations);
    }

    private static WebhookDelivery Delivery(string endpointId, string disputeId, long seq) => new()
    {
        EndpointId = endpointId,
        DisputeId = disputeId,
        Seq = seq,
        EventType = "message_posted",
        Status = WebhookDeliveryStatus.Pending,
        CreatedAt = Now,
    };

    // --- permissions ---

    [Theory]
    [InlineData(CredentialRole.Channel, ChannelId)]
    [InlineData(CredentialRole.Regulator, "33")]
    [InlineData(CredentialRole.Analyst, "")]
    public async Task EveryCommand_NotAdminOrMerchant_PermissionDenied(CredentialRole role, string scope)
    {
        // Arrange
        var endpoint = await CreatedAsync();
        var p = new Principal(role, scope, "key_other");
        var c = Commands();

        // Act
        Exception?[] errors =
        [
            await Record.ExceptionAsync(() => c.CreateAsync(p, WebhookOwnerKind.Merchant, MerchantId, Url, "", Ct)),
            await Record.ExceptionAsync(() => c.UpdateAsync(p, endpoint.EndpointId, "", null, false, Ct)),
            await Record.ExceptionAsync(() => c.DeleteAsync(p, endpoint.EndpointId, Ct)),
            await Record.ExceptionAsync(() => c.ListAsync(p, WebhookOwnerKind.Unspecified, "", Ct)),
            await Record.ExceptionAsync(() => c.RotateSecretAsync(p, endpoint.EndpointId, 0, Ct)),
            await Record.ExceptionAsync(() => c.ListDeliveriesAsync(p, endpoint.EndpointId, WebhookDeliveryStatus.Unspecified, "", 0, "", Ct)),
            await Record.ExceptionAsync(() => c.RedeliverAsync(p, endpoint.EndpointId, "", 0, Ct)),
        ];

        // Assert
        Assert.All(errors, e => Assert.IsType<PermissionDeniedException>(e));
        Assert.Same(endpoint, Assert.Single(_store.Endpoints.Values));
    }

    [Fact]
    public async Task EveryCommand_MerchantOnAnotherMerchantsEndpoint_NotFoundCreatePermissionDeniedListEmpty()
    {
        // Arrange: the endpoint is MerchantId's; the caller is another merchant.
        var endpoint = await CreatedAsync();
        var p = new Principal(CredentialRole.Merchant, "m_other", "key_other");
        var c = Commands();

        // Act
        Exception?[] onEndpoint =
        [
            await Record.ExceptionAsync(() => c.UpdateAsync(p, endpoint.EndpointId, "", null, false, Ct)),
            await Record.ExceptionAsync(() => c.DeleteAsync(p, endpoint.EndpointId, Ct)),
            await Record.ExceptionAsync(() => c.RotateSecretAsync(p, endpoint.EndpointId, 0, Ct)),
            await Record.ExceptionAsync(() => c.ListDeliveriesAsync(p, endpoint.EndpointId, WebhookDeliveryStatus.Unspecified, "", 0, "", Ct)),
            await Record.ExceptionAsync(() => c.RedeliverAsync(p, endpoint.EndpointId, "", 0, Ct)),
        ];
        var create = await Record.ExceptionAsync(() => c.CreateAsync(p, WebhookOwnerKind.Merchant, MerchantId, Url, "", Ct));
        var foreignFilter = await Record.ExceptionAsync(() => c.ListAsync(p, WebhookOwnerKind.Merchant, MerchantId, Ct));
        var listed = await c.ListAsync(p, WebhookOwnerKind.Unspecified, "", Ct);

        // Assert
        Assert.All(onEndpoint, e => Assert.IsType<NotFoundException>(e));
        Assert.IsType<PermissionDeniedException>(create);
        Assert.IsType<PermissionDeniedException>(foreignFilter);
        Assert.Empty(listed);
        Assert.Same(endpoint, Assert.Single(_store.Endpoints.Values));
    }

    [Fact]
    public async Task CreateAsync_MerchantWithEmptyOwner_CreatedForItself()
    {
        // Arrange
        var p = new Principal(CredentialRole.Merchant, MerchantId, "key_m");
        var c = Commands();

        // Act
        var (endpoint, _) = await c.CreateAsync(p, WebhookOwnerKind.Unspecified, "", Url, "", Ct);

        // Assert
        Assert.Equal(WebhookOwnerKind.Merchant, endpoint.OwnerKind);
        Assert.Equal(MerchantId, endpoint.OwnerId);
        Assert.Equal(endpoint.EndpointId, Assert.Single(await c.ListAsync(p, WebhookOwnerKind.Unspecified, "", Ct)).EndpointId);
    }

    // --- Create ---

    [Fact]
    public async Task CreateAsync_EnrolledMerchantHttpsUrl_StoredWithFreshSecret()
    {
        // Arrange
        var c = Commands();

        // Act
        var (endpoint, secret) = await c.CreateAsync(Admin, WebhookOwnerKind.Merchant, MerchantId, Url, "orders team", Ct);

        // Assert
        Assert.True(Ids.IsValid(endpoint.EndpointId, "whe"));
        Assert.Matches(SecretFormat(), secret);
        Assert.Equal(secret, endpoint.Secret);
        Assert.Null(endpoint.PreviousSecret);
        Assert.True(endpoint.Enabled);
        Assert.Equal((WebhookOwnerKind.Merchant, MerchantId, Url, "orders team"), (endpoint.OwnerKind, endpoint.OwnerId, endpoint.Url, endpoint.Description));
        Assert.Equal(Now, endpoint.CreatedAt);
        Assert.Same(endpoint, _store.Endpoints[endpoint.EndpointId]);
    }

    [Fact]
    public async Task CreateAsync_TwoEndpoints_DifferentSecrets()
    {
        // Arrange
        var c = Commands();

        // Act
        var (_, first) = await c.CreateAsync(Admin, WebhookOwnerKind.Merchant, MerchantId, Url, "", Ct);
        var (_, second) = await c.CreateAsync(Admin, WebhookOwnerKind.Merchant, MerchantId, Url, "", Ct);

        // Assert
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task CreateAsync_HttpUrlWithoutAllowHttp_ViolationOnUrl()
    {
        // Arrange
        var c = Commands(allowHttp: false);

        // Act
        var violation = await SingleViolationAsync(() => c.CreateAsync(Admin, WebhookOwnerKind.Merchant, MerchantId, "http://hooks.example.com/x", "", Ct));

        // Assert
        Assert.Equal("url", violation.Field);
        Assert.Empty(_store.Endpoints);
    }

    [Fact]
    public async Task CreateAsync_HttpUrlWithAllowHttp_Stored()
    {
        // Arrange
        var c = Commands(allowHttp: true);

        // Act
        var (endpoint, _) = await c.CreateAsync(Admin, WebhookOwnerKind.Merchant, MerchantId, "http://10.0.0.5:8080/hooks", "", Ct);

        // Assert
        Assert.Equal("http://10.0.0.5:8080/hooks", endpoint.Url);
    }

    [Theory]
    [InlineData("https://user:pass@hooks.example.com/x")] // credentials
    [InlineData("https://token@hooks.example.com/x")]     // a user name alone is a credential too
    [InlineData("https://hooks.example.com/x#frag")]      // fragment
    [InlineData("ftp://hooks.example.com/x")]             // neither http nor https
    [InlineData("/relative/path")]
    [InlineData("not a url")]
    [InlineData("")]
    public async Task CreateAsync_BadUrlEvenWithAllowHttp_ViolationOnUrl(string url)
    {
        // Arrange
        var c = Commands(allowHttp: true);

        // Act
        var violation = await SingleViolationAsync(() => c.CreateAsync(Admin, WebhookOwnerKind.Merchant, MerchantId, url, "", Ct));

        // Assert
        Assert.Equal("url", violation.Field);
    }

    [Fact]
    public async Task CreateAsync_UrlOver2000Characters_ViolationOnUrl()
    {
        // Arrange
        var url = "https://hooks.example.com/" + new string('a', 1975);

        // Act
        var violation = await SingleViolationAsync(() => Commands().CreateAsync(Admin, WebhookOwnerKind.Merchant, MerchantId, url, "", Ct));

        // Assert
        Assert.Equal("url", violation.Field);
    }

    [Theory]
    [InlineData("33")]
    [InlineData("3301")]
    [InlineData("330106")]
    public async Task CreateAsync_RegulatorWithRegionPrefix_Stored(string prefix)
    {
        // Arrange
        var c = Commands();

        // Act
        var (endpoint, _) = await c.CreateAsync(Admin, WebhookOwnerKind.Regulator, prefix, Url, "", Ct);

        // Assert
        Assert.Equal(prefix, endpoint.OwnerId);
        Assert.Equal(WebhookOwnerKind.Regulator, endpoint.OwnerKind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("3")]
    [InlineData("330")]
    [InlineData("99")]
    [InlineData("zj")]
    [InlineData(MerchantId)]
    public async Task CreateAsync_RegulatorWithoutRegionPrefix_ViolationOnOwnerId(string ownerId)
    {
        // Arrange
        var c = Commands();

        // Act
        var violation = await SingleViolationAsync(() => c.CreateAsync(Admin, WebhookOwnerKind.Regulator, ownerId, Url, "", Ct));

        // Assert
        Assert.Equal("owner_id", violation.Field);
    }

    [Theory]
    [InlineData(WebhookOwnerKind.Merchant, "")]
    [InlineData(WebhookOwnerKind.Merchant, "west lake")]
    [InlineData(WebhookOwnerKind.Channel, "")]
    public async Task CreateAsync_BadMerchantOrChannelId_ViolationOnOwnerId(WebhookOwnerKind kind, string ownerId)
    {
        // Arrange
        var c = Commands();

        // Act
        var violation = await SingleViolationAsync(() => c.CreateAsync(Admin, kind, ownerId, Url, "", Ct));

        // Assert
        Assert.Equal("owner_id", violation.Field);
    }

    [Theory]
    [InlineData(WebhookOwnerKind.Unspecified)]
    [InlineData((WebhookOwnerKind)9)]
    public async Task CreateAsync_NoOwnerKind_ViolationOnOwnerKind(WebhookOwnerKind kind)
    {
        // Arrange
        var c = Commands();

        // Act
        var violation = await SingleViolationAsync(() => c.CreateAsync(Admin, kind, MerchantId, Url, "", Ct));

        // Assert
        Assert.Equal("owner_kind", violation.Field);
    }

    [Fact]
    public async Task CreateAsync_LongDescription_ViolationOnDescription()
    {
        // Arrange
        var description = new string('d', 201);

        // Act
        var violation = await SingleViolationAsync(() => Commands().CreateAsync(Admin, WebhookOwnerKind.Merchant, MerchantId, Url, description, Ct));

        // Assert
        Assert.Equal("description", violation.Field);
    }

    [Fact]
    public async Task CreateAsync_UnknownMerchant_MerchantNotEnrolled()
    {
        // Arrange
        var c = Commands();

        // Act
        var ex = await Record.ExceptionAsync(() => c.CreateAsync(Admin, WebhookOwnerKind.Merchant, "m_unknown", Url, "", Ct));

        // Assert
        var failed = Assert.IsType<PreconditionFailedException>(ex);
        Assert.Equal("MERCHANT_NOT_ENROLLED", failed.Type);
        Assert.Equal("merchants/m_unknown", failed.Subject);
        Assert.Empty(_store.Endpoints);
    }

    [Fact]
    public async Task CreateAsync_UnknownChannel_ChannelNotRegistered()
    {
        // Arrange
        var c = Commands();

        // Act
        var ex = await Record.ExceptionAsync(() => c.CreateAsync(Admin, WebhookOwnerKind.Channel, "wechat", Url, "", Ct));

        // Assert
        Assert.Equal("CHANNEL_NOT_REGISTERED", Assert.IsType<PreconditionFailedException>(ex).Type);
    }

    [Fact]
    public async Task CreateAsync_RegisteredChannel_Stored()
    {
        // Arrange
        var c = Commands();

        // Act
        var (endpoint, _) = await c.CreateAsync(Admin, WebhookOwnerKind.Channel, ChannelId, Url, "", Ct);

        // Assert
        Assert.Same(endpoint, _store.Endpoints[endpoint.EndpointId]);
    }

    // --- Rotate ---

    [Fact]
    public async Task RotateSecretAsync_DefaultTtl_NewSecretPreviousKeptForADay()
    {
        // Arrange
        var endpoint = await CreatedAsync();
        _clock.Advance(TimeSpan.FromHours(2));
        var rotatedAt = Now.AddHours(2);

        // Act
        var (rotated, secret) = await Commands().RotateSecretAsync(Admin, endpoint.EndpointId, 0, Ct);

        // Assert
        Assert.Matches(SecretFormat(), secret);
        Assert.NotEqual(endpoint.Secret, secret);
        Assert.Equal(secret, rotated.Secret);
        Assert.Equal(endpoint.Secret, rotated.PreviousSecret);
        Assert.Equal(rotatedAt.AddDays(1), rotated.PreviousSecretExpiresAt);
        Assert.Equal(rotatedAt, rotated.UpdatedAt);
        Assert.Same(rotated, _store.Endpoints[endpoint.EndpointId]);
    }

    [Fact]
    public async Task RotateSecretAsync_CustomTtl_BothSecretsSignUntilExpiryThenOnlyNew()
    {
        // Arrange
        var endpoint = await CreatedAsync();

        // Act
        var (rotated, secret) = await Commands().RotateSecretAsync(Admin, endpoint.EndpointId, 3600, Ct);

        // Assert
        Assert.Equal(Now.AddHours(1), rotated.PreviousSecretExpiresAt);
        Assert.Equal([secret, endpoint.Secret], rotated.SigningSecrets(Now.AddMinutes(59)));
        Assert.Equal([secret], rotated.SigningSecrets(Now.AddHours(1)));
        Assert.Equal(Now.AddHours(1), rotated.PreviousSecretExpiry(Now));
        Assert.Null(rotated.PreviousSecretExpiry(Now.AddHours(1)));
    }

    [Fact]
    public async Task RotateSecretAsync_Twice_OnlyTheLastPreviousSecretKept()
    {
        // Arrange
        var endpoint = await CreatedAsync();
        var (first, _) = await Commands().RotateSecretAsync(Admin, endpoint.EndpointId, 0, Ct);

        // Act
        var (second, _) = await Commands().RotateSecretAsync(Admin, endpoint.EndpointId, 0, Ct);

        // Assert
        Assert.Equal(first.Secret, second.PreviousSecret);
        Assert.DoesNotContain(endpoint.Secret, second.SigningSecrets(Now));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(604_801)]
    public async Task RotateSecretAsync_TtlOutOfRange_ViolationOnTtl(int ttl)
    {
        // Arrange
        var endpoint = await CreatedAsync();

        // Act
        var violation = await SingleViolationAsync(() => Commands().RotateSecretAsync(Admin, endpoint.EndpointId, ttl, Ct));

        // Assert
        Assert.Equal("previous_secret_ttl_seconds", violation.Field);
        Assert.Same(endpoint, _store.Endpoints[endpoint.EndpointId]);
    }

    [Fact]
    public async Task RotateSecretAsync_UnknownEndpoint_NotFound()
    {
        // Arrange
        var unknown = Ids.New("whe", Now);

        // Act
        var ex = await Record.ExceptionAsync(() => Commands().RotateSecretAsync(Admin, unknown, 0, Ct));

        // Assert
        Assert.IsType<NotFoundException>(ex);
    }

    [Theory]
    [InlineData("")]
    [InlineData("whe_123")]
    [InlineData("dsp_01JCQ8ZK3C7J4M2V0N8X5P6R9T")]
    public async Task RotateSecretAsync_MalformedEndpointId_ViolationOnEndpointId(string endpointId)
    {
        // Arrange
        var c = Commands();

        // Act
        var violation = await SingleViolationAsync(() => c.RotateSecretAsync(Admin, endpointId, 0, Ct));

        // Assert
        Assert.Equal("endpoint_id", violation.Field);
    }

    // --- Update, Delete, List ---

    [Fact]
    public async Task UpdateAsync_Disable_ReasonRecordedUrlKept()
    {
        // Arrange
        var endpoint = await CreatedAsync();

        // Act
        var updated = await Commands().UpdateAsync(Admin, endpoint.EndpointId, "", null, false, Ct);

        // Assert
        Assert.False(updated.Enabled);
        Assert.Equal("disabled by an operator", updated.DisabledReason);
        Assert.Equal(endpoint.Url, updated.Url);
        Assert.Equal(endpoint.Description, updated.Description);
        Assert.Equal(endpoint.Secret, updated.Secret);
    }

    [Fact]
    public async Task UpdateAsync_Reenable_ReasonCleared()
    {
        // Arrange
        var endpoint = await CreatedAsync();
        await Commands().UpdateAsync(Admin, endpoint.EndpointId, "", null, false, Ct);

        // Act
        var updated = await Commands().UpdateAsync(Admin, endpoint.EndpointId, "", null, true, Ct);

        // Assert
        Assert.True(updated.Enabled);
        Assert.Equal("", updated.DisabledReason);
    }

    [Fact]
    public async Task UpdateAsync_NewUrlAndDescription_Replaced()
    {
        // Arrange
        var endpoint = await CreatedAsync();

        // Act
        var updated = await Commands().UpdateAsync(Admin, endpoint.EndpointId, "https://new.example.com/h", "new", null, Ct);

        // Assert
        Assert.Equal(("https://new.example.com/h", "new", true), (updated.Url, updated.Description, updated.Enabled));
    }

    [Fact]
    public async Task UpdateAsync_HttpUrlWithoutAllowHttp_ViolationOnUrl()
    {
        // Arrange
        var endpoint = await CreatedAsync();

        // Act
        var violation = await SingleViolationAsync(() => Commands().UpdateAsync(Admin, endpoint.EndpointId, "http://new.example.com", null, null, Ct));

        // Assert
        Assert.Equal("url", violation.Field);
        Assert.Equal(Url, _store.Endpoints[endpoint.EndpointId].Url);
    }

    [Fact]
    public async Task DeleteAsync_UnknownEndpoint_NotFound()
    {
        // Arrange
        var unknown = Ids.New("whe", Now);

        // Act
        var ex = await Record.ExceptionAsync(() => Commands().DeleteAsync(Admin, unknown, Ct));

        // Assert
        Assert.IsType<NotFoundException>(ex);
    }

    [Fact]
    public async Task DeleteAsync_WithPendingDeliveries_RemovedAndCountReturned()
    {
        // Arrange
        var endpoint = await CreatedAsync();
        var disputeId = Ids.New("dsp", Now);
        _store.AddDelivery(Delivery(endpoint.EndpointId, disputeId, 1));
        _store.AddDelivery(Delivery(endpoint.EndpointId, disputeId, 2));

        // Act
        var deadLettered = await Commands().DeleteAsync(Admin, endpoint.EndpointId, Ct);

        // Assert
        Assert.Equal(2, deadLettered);
        Assert.Empty(_store.Endpoints);
    }

    [Fact]
    public async Task ListAsync_OwnerIdWithoutKind_ViolationOnOwnerKind()
    {
        // Arrange
        await CreatedAsync();

        // Act
        var violation = await SingleViolationAsync(() => Commands().ListAsync(Admin, WebhookOwnerKind.Unspecified, MerchantId, Ct));

        // Assert
        Assert.Equal("owner_kind", violation.Field);
    }

    [Fact]
    public async Task ListAsync_ByKind_OnlyThatKind()
    {
        // Arrange
        var merchant = await CreatedAsync();
        await CreatedAsync(WebhookOwnerKind.Regulator, "33");

        // Act
        var listed = await Commands().ListAsync(Admin, WebhookOwnerKind.Merchant, "", Ct);

        // Assert
        Assert.Equal([merchant.EndpointId], listed.Select(e => e.EndpointId));
    }

    // --- Deliveries ---

    [Theory]
    [InlineData("garbage")]
    [InlineData("12")]
    [InlineData(":5")]
    [InlineData("dsp_x:1")]
    [InlineData("DSP:0")]
    [InlineData("DSP:-1")]
    [InlineData("DSP:abc")]
    [InlineData("DSP")]
    [InlineData("DSP:")]
    public async Task ListDeliveriesAsync_BadPageToken_ViolationOnPageToken(string template)
    {
        // Arrange
        var endpoint = await CreatedAsync();
        var token = template.Replace("DSP", Ids.New("dsp", Now), StringComparison.Ordinal);

        // Act
        var violation = await SingleViolationAsync(() =>
            Commands().ListDeliveriesAsync(Admin, endpoint.EndpointId, WebhookDeliveryStatus.Unspecified, "", 0, token, Ct));

        // Assert
        Assert.Equal("page_token", violation.Field);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(501)]
    public async Task ListDeliveriesAsync_PageSizeOutOfRange_ViolationOnPageSize(int pageSize)
    {
        // Arrange
        var endpoint = await CreatedAsync();

        // Act
        var violation = await SingleViolationAsync(() =>
            Commands().ListDeliveriesAsync(Admin, endpoint.EndpointId, WebhookDeliveryStatus.Unspecified, "", pageSize, "", Ct));

        // Assert
        Assert.Equal("page_size", violation.Field);
    }

    [Fact]
    public async Task ListDeliveriesAsync_BadDisputeId_ViolationOnDisputeId()
    {
        // Arrange
        var endpoint = await CreatedAsync();

        // Act
        var violation = await SingleViolationAsync(() =>
            Commands().ListDeliveriesAsync(Admin, endpoint.EndpointId, WebhookDeliveryStatus.Unspecified, "dsp_123", 0, "", Ct));

        // Assert
        Assert.Equal("dispute_id", violation.Field);
    }

    [Fact]
    public async Task ListDeliveriesAsync_UnknownEndpoint_NotFound()
    {
        // Arrange
        var unknown = Ids.New("whe", Now);

        // Act
        var ex = await Record.ExceptionAsync(() =>
            Commands().ListDeliveriesAsync(Admin, unknown, WebhookDeliveryStatus.Unspecified, "", 0, "", Ct));

        // Assert
        Assert.IsType<NotFoundException>(ex);
    }

    [Fact]
    public async Task ListDeliveriesAsync_ThreeDeliveriesPagesOfTwo_TokenLeadsToTheRest()
    {
        // Arrange
        var endpoint = await CreatedAsync();
        var a = Ids.New("dsp", Now);
        var b = Ids.New("dsp", Now.AddSeconds(1));
        _store.AddDelivery(Delivery(endpoint.EndpointId, b, 1));
        _store.AddDelivery(Delivery(endpoint.EndpointId, a, 2));
        _store.AddDelivery(Delivery(endpoint.EndpointId, a, 1));
        var c = Commands();

        // Act
        var first = await c.ListDeliveriesAsync(Admin, endpoint.EndpointId, WebhookDeliveryStatus.Unspecified, "", 2, "", Ct);
        var second = await c.ListDeliveriesAsync(Admin, endpoint.EndpointId, WebhookDeliveryStatus.Unspecified, "", 2, first.NextPageToken, Ct);

        // Assert
        Assert.Equal([(a, 1L), (a, 2L)], first.Deliveries.Select(d => (d.DisputeId, d.Seq)));
        Assert.Equal($"{a}:2", first.NextPageToken);
        Assert.Equal((a, 2L), _store.LastAfter);
        Assert.Equal([(b, 1L)], second.Deliveries.Select(d => (d.DisputeId, d.Seq)));
        Assert.Equal("", second.NextPageToken);
    }

    [Fact]
    public async Task ListDeliveriesAsync_DefaultPageSize_AsksStoreFor101()
    {
        // Arrange: one more than the page, to learn whether another page follows.
        var endpoint = await CreatedAsync();

        // Act
        var page = await Commands().ListDeliveriesAsync(Admin, endpoint.EndpointId, WebhookDeliveryStatus.Unspecified, "", 0, "", Ct);

        // Assert
        Assert.Empty(page.Deliveries);
        Assert.Equal("", page.NextPageToken);
        Assert.Equal(101, _store.LastLimit);
        Assert.Null(_store.LastAfter);
    }

    [Fact]
    public async Task RedeliverAsync_SeqWithoutDispute_ViolationOnSeq()
    {
        // Arrange
        var endpoint = await CreatedAsync();

        // Act
        var violation = await SingleViolationAsync(() => Commands().RedeliverAsync(Admin, endpoint.EndpointId, "", 3, Ct));

        // Assert
        Assert.Equal("seq", violation.Field);
    }

    [Fact]
    public async Task RedeliverAsync_DisabledEndpoint_EndpointDisabled()
    {
        // Arrange
        var endpoint = await CreatedAsync();
        await Commands().UpdateAsync(Admin, endpoint.EndpointId, "", null, false, Ct);

        // Act
        var ex = await Record.ExceptionAsync(() => Commands().RedeliverAsync(Admin, endpoint.EndpointId, "", 0, Ct));

        // Assert
        Assert.Equal("ENDPOINT_DISABLED", Assert.IsType<PreconditionFailedException>(ex).Type);
        Assert.Null(_store.LastRedeliver);
    }

    [Fact]
    public async Task RedeliverAsync_OneEvent_PassedToStore()
    {
        // Arrange
        var endpoint = await CreatedAsync();
        var disputeId = Ids.New("dsp", Now);
        _store.AddDelivery(Delivery(endpoint.EndpointId, disputeId, 4) with { Status = WebhookDeliveryStatus.DeadLettered });

        // Act
        var count = await Commands().RedeliverAsync(Admin, endpoint.EndpointId, disputeId, 4, Ct);

        // Assert
        Assert.Equal(1, count);
        Assert.Equal((endpoint.EndpointId, disputeId, 4L), _store.LastRedeliver);
    }
}
