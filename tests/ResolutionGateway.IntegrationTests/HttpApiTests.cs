using System.Net;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Rpc;
using Grpc.Core;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.IntegrationTests;

/// <summary>
/// The HTTP/JSON API (gRPC JSON transcoding) over plain HTTP/1.1 with HttpClient, on the real
/// HTTP listener: the same keys, scopes, idempotency and errors as gRPC.
/// </summary>
[Collection(GatewayCollection.Name)]
public class HttpApiTests(GatewayFixture gw)
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true)
        .WithTypeRegistry(TypeRegistry.FromFiles(ErrorDetailsReflection.Descriptor)));

    [Fact]
    public async Task OpenDispute_PostedAsJson_ReadableOverHttpAndGrpcWithMobileMaskedForMerchant()
    {
        var s = await Scenario.CreateAsync(gw);
        var channel = gw.Http(s.ChannelToken);
        var merchant = gw.Http(s.MerchantToken);

        var opened = await SendAsync<OpenDisputeResponse>(channel, HttpMethod.Post, "/v1/disputes", s.OpenRequest());
        var id = opened.Dispute.DisputeId;
        var merchantGet = await SendAsync<GetDisputeResponse>(merchant, HttpMethod.Get, $"/v1/disputes/{id}");
        var listed = await SendAsync<ListDisputesResponse>(channel, HttpMethod.Get, "/v1/disputes?consumerRef=c-1&statuses=DISPUTE_STATUS_AWAITING_MERCHANT");
        var events = await SendAsync<ListDisputeEventsResponse>(merchant, HttpMethod.Get, $"/v1/disputes/{id}/events");
        var overGrpc = await s.Channel.GetDisputeAsync(new GetDisputeRequest { DisputeId = id });

        Assert.Equal(DisputeStatus.AwaitingMerchant, opened.Dispute.Status);
        Assert.Equal(Scenario.Mobile, opened.Dispute.Consumer.Mobile);
        Assert.Equal("138****1234", merchantGet.Dispute.Consumer.Mobile);
        Assert.Equal(id, Assert.Single(listed.Disputes).DisputeId);
        Assert.Equal(id, Assert.Single(events.Events).Opened.Dispute.DisputeId);
        Assert.Equal(overGrpc.Dispute.CreateTime, opened.Dispute.CreateTime);
    }

    [Fact]
    public async Task MakeOfferThenRespondToOffer_CustomMethodsOverHttp_ResolveTheDispute()
    {
        var s = await Scenario.CreateAsync(gw);
        var d = await s.OpenAsync();
        var channel = gw.Http(s.ChannelToken);
        var merchant = gw.Http(s.MerchantToken);

        await SendJsonAsync<PostMessageResponse>(merchant, HttpMethod.Post, $"/v1/disputes/{d.DisputeId}/messages",
            $$"""{"requestId":"m-1","text":"Sorry, we will refund half.","evidence":[{"uri":"https://cdn.example/e/2.jpg","sha256":"{{new string('b', 64)}}","contentType":"image/jpeg","sizeBytes":"10"}]}""");
        var offer = await SendJsonAsync<MakeOfferResponse>(merchant, HttpMethod.Post, $"/v1/disputes/{d.DisputeId}:makeOffer",
            """{"requestId":"o-1","remedy":"REMEDY_PARTIAL_REFUND","amount":{"currencyCode":"CNY","minorUnits":"6400"},"note":"half back"}""");
        var accepted = await SendJsonAsync<RespondToOfferResponse>(channel, HttpMethod.Post, $"/v1/disputes/{d.DisputeId}:respondToOffer",
            $$"""{"requestId":"r-1","offerId":"{{offer.Offer.OfferId}}","decision":"OFFER_DECISION_ACCEPT"}""");

        Assert.Equal(DisputeStatus.Negotiating, offer.Dispute.Status);
        Assert.Equal(DisputeStatus.Resolved, accepted.Dispute.Status);
        Assert.Equal(6400, accepted.Dispute.Settlement.Amount.MinorUnits);
        var grpc = await s.Merchant.GetDisputeAsync(new GetDisputeRequest { DisputeId = d.DisputeId });
        Assert.Equal(DisputeStatus.Resolved, grpc.Dispute.Status);
    }

    [Fact]
    public async Task OpenDispute_SameRequestIdOverHttpAndGrpc_OneDispute()
    {
        var s = await Scenario.CreateAsync(gw);
        var request = s.OpenRequest();
        var channel = gw.Http(s.ChannelToken);

        var first = await SendAsync<OpenDisputeResponse>(channel, HttpMethod.Post, "/v1/disputes", request);
        var again = await SendAsync<OpenDisputeResponse>(channel, HttpMethod.Post, "/v1/disputes", request);
        var overGrpc = await s.Channel.OpenDisputeAsync(request);
        var listed = await s.Channel.ListDisputesAsync(new ListDisputesRequest { ConsumerRef = "c-1" });

        Assert.Equal(first.Dispute.DisputeId, again.Dispute.DisputeId);
        Assert.Equal(first.Dispute.DisputeId, overGrpc.Dispute.DisputeId);
        Assert.Single(listed.Disputes);
    }

    [Fact]
    public async Task OpenDispute_InvalidJsonFields_Http400WithBadRequestViolationsAndNothingOpened()
    {
        var s = await Scenario.CreateAsync(gw);
        var bad = s.OpenRequest();
        bad.Consumer.Mobile = "12";
        bad.Order.Amount.CurrencyCode = "";

        var (status, error) = await FailAsync(gw.Http(s.ChannelToken), HttpMethod.Post, "/v1/disputes", JsonFormatter.Default.Format(bad));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal((int)StatusCode.InvalidArgument, error.Code);
        var violations = Assert.Single(error.Details.Select(d => d.Unpack<BadRequest>())).FieldViolations.Select(v => v.Field).ToArray();
        Assert.Contains("consumer.mobile", violations);
        Assert.DoesNotContain("12", error.Message.Split(' '));
        Assert.Empty((await s.Channel.ListDisputesAsync(new ListDisputesRequest { ConsumerRef = "c-1" })).Disputes);
    }

    [Fact]
    public async Task Errors_EachStatusCode_MapsToItsHttpStatusWithGoogleRpcStatusBody()
    {
        var s = await Scenario.CreateAsync(gw);
        var d = await s.OpenAsync();
        var open = JsonFormatter.Default.Format(s.OpenRequest(orderId: "dup-" + s.Suffix));
        await SendJsonAsync<OpenDisputeResponse>(gw.Http(s.ChannelToken), HttpMethod.Post, "/v1/disputes", open);
        var duplicate = JsonFormatter.Default.Format(s.OpenRequest(orderId: "dup-" + s.Suffix));

        var noKey = await FailAsync(gw.Http(null), HttpMethod.Get, $"/v1/disputes/{d.DisputeId}");
        var badKey = await FailAsync(gw.Http("rg_key_nope"), HttpMethod.Get, $"/v1/disputes/{d.DisputeId}");
        var otherMerchant = await FailAsync(gw.Http(await gw.KeyAsync(CredentialRole.Merchant, s.OtherMerchantId)), HttpMethod.Get, $"/v1/disputes/{d.DisputeId}");
        var merchantOpens = await FailAsync(gw.Http(s.MerchantToken), HttpMethod.Post, "/v1/disputes", JsonFormatter.Default.Format(s.OpenRequest()));
        var rateOpen = await FailAsync(gw.Http(s.ChannelToken), HttpMethod.Post, $"/v1/disputes/{d.DisputeId}:rate", """{"requestId":"x","rating":5}""");
        var exists = await FailAsync(gw.Http(s.ChannelToken), HttpMethod.Post, "/v1/disputes", duplicate);
        var admin = await FailAsync(gw.Http(s.MerchantToken), HttpMethod.Get, "/v1/admin/apiKeys");

        Assert.Equal((HttpStatusCode.Unauthorized, (int)StatusCode.Unauthenticated), (noKey.Status, noKey.Error.Code));
        Assert.Equal((HttpStatusCode.Unauthorized, (int)StatusCode.Unauthenticated), (badKey.Status, badKey.Error.Code));
        Assert.Equal((HttpStatusCode.NotFound, (int)StatusCode.NotFound), (otherMerchant.Status, otherMerchant.Error.Code));
        Assert.Equal((HttpStatusCode.Forbidden, (int)StatusCode.PermissionDenied), (merchantOpens.Status, merchantOpens.Error.Code));
        Assert.Equal((HttpStatusCode.BadRequest, (int)StatusCode.FailedPrecondition), (rateOpen.Status, rateOpen.Error.Code));
        Assert.Equal((HttpStatusCode.Conflict, (int)StatusCode.AlreadyExists), (exists.Status, exists.Error.Code));
        Assert.Contains(exists.Error.Details, a => a.Is(ErrorInfo.Descriptor));
        Assert.Equal((HttpStatusCode.Forbidden, (int)StatusCode.PermissionDenied), (admin.Status, admin.Error.Code));
    }

    [Fact]
    public async Task WatchDispute_OverHttp_StreamsNewlineDelimitedJsonReplayThenLive()
    {
        var s = await Scenario.CreateAsync(gw);
        var d = await s.OpenAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/disputes/{d.DisputeId}:watch");
        using var response = await gw.Http(s.MerchantToken).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));

        var replayed = Parser.Parse<WatchDisputeResponse>(await reader.ReadLineAsync(cts.Token));
        var caughtUp = Parser.Parse<WatchDisputeResponse>(await reader.ReadLineAsync(cts.Token));
        await s.Merchant.AcceptDemandAsync(new AcceptDemandRequest { RequestId = "a-1", DisputeId = d.DisputeId });
        var live = Parser.Parse<WatchDisputeResponse>(await reader.ReadLineAsync(cts.Token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, replayed.Event.Seq);
        Assert.True(caughtUp.CaughtUp);
        Assert.Equal(DisputeStatus.Resolved, live.Event.StatusAfter);
    }

    [Fact]
    public async Task GetResolutionStats_QueryParametersOverHttp_EqualGrpcFigures()
    {
        var s = await Scenario.CreateAsync(gw);
        await s.OpenAsync();
        var (resolved, _) = await s.OpenWithOfferAsync();
        await s.Merchant.AcceptDemandAsync(new AcceptDemandRequest { RequestId = "a", DisputeId = resolved.DisputeId });
        var beijing = s.Now.ToOffset(TimeSpan.FromHours(8));
        var filter = new ReportFilter { MerchantId = s.MerchantId, FromDate = Day(beijing.AddDays(-1)), ToDate = Day(beijing.AddDays(1)) };

        var http = await SendAsync<GetResolutionStatsResponse>(gw.Http(gw.AdminToken), HttpMethod.Get,
            $"/v1/stats?filter.merchantId={s.MerchantId}&filter.fromDate={filter.FromDate}&filter.toDate={filter.ToDate}&groupBy=GROUP_BY_CATEGORY");
        var grpc = await new ReportingService.ReportingServiceClient(gw.Invoker(gw.AdminToken))
            .GetResolutionStatsAsync(new GetResolutionStatsRequest { Filter = filter, GroupBy = { GroupBy.Category } });

        Assert.Equal(2, http.Total.Opened);
        Assert.Equal(grpc.Total, http.Total);
        Assert.Equal(grpc.Rows, http.Rows);
    }

    [Fact]
    public async Task GetCaller_AnyRole_ReturnsTheKeysRoleAndScope()
    {
        var s = await Scenario.CreateAsync(gw);
        var analyst = await gw.KeyAsync(CredentialRole.Analyst, "33");

        var merchant = await SendAsync<GetCallerResponse>(gw.Http(s.MerchantToken), HttpMethod.Get, "/v1/caller");
        var viaAnalyst = await SendAsync<GetCallerResponse>(gw.Http(analyst), HttpMethod.Get, "/v1/caller");
        var admin = await new AdminService.AdminServiceClient(gw.Invoker(gw.AdminToken)).GetCallerAsync(new GetCallerRequest());

        Assert.Equal((CredentialRole.Merchant, s.MerchantId), (merchant.Role, merchant.Scope));
        Assert.StartsWith("key_", merchant.KeyId);
        Assert.Contains(merchant.KeyId, s.MerchantToken);
        Assert.Equal((CredentialRole.Analyst, "33"), (viaAnalyst.Role, viaAnalyst.Scope));
        Assert.Equal((CredentialRole.Admin, ""), (admin.Role, admin.Scope));
    }

    [Fact]
    public async Task OpenApiDocument_Served_DescribesTheFixedPathsWithBearerAuth()
    {
        using var response = await gw.Http(null).GetAsync("/openapi.json");
        var text = await response.Content.ReadAsStringAsync();
        var doc = System.Text.Json.JsonDocument.Parse(text).RootElement;
        // tools/test.sh runs an OpenAPI validator (Redocly CLI) on this copy.
        var results = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(TestServers.Script)))!, "TestResults");
        Directory.CreateDirectory(results);
        await File.WriteAllTextAsync(Path.Combine(results, "openapi.json"), text);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("3.", doc.GetProperty("openapi").GetString());
        var paths = doc.GetProperty("paths");
        foreach (var path in new[] { "/v1/disputes", "/v1/disputes/{disputeId}", "/v1/disputes/{disputeId}/events", "/v1/disputes/{disputeId}/messages",
            "/v1/disputes/{disputeId}:makeOffer", "/v1/disputes/{disputeId}:rate", "/v1/disputes/{disputeId}:watch", "/v1/disputes:watch", "/v1/stats", "/v1/admin/apiKeys" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"missing {path}");
        }
        Assert.Equal("DisputeService_OpenDispute", paths.GetProperty("/v1/disputes").GetProperty("post").GetProperty("operationId").GetString());
        Assert.Equal("bearer", doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("scheme").GetString());
    }

    private static string Day(DateTimeOffset t) => t.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static Task<T> SendAsync<T>(HttpClient client, HttpMethod method, string path, IMessage? body = null) where T : IMessage<T>, new() =>
        SendJsonAsync<T>(client, method, path, body is null ? null : JsonFormatter.Default.Format(body));

    private static async Task<T> SendJsonAsync<T>(HttpClient client, HttpMethod method, string path, string? json) where T : IMessage<T>, new()
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return Parser.Parse<T>(text);
    }

    private static async Task<(HttpStatusCode Status, Google.Rpc.Status Error)> FailAsync(HttpClient client, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.False(response.IsSuccessStatusCode, $"{method} {path} succeeded: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, Parser.Parse<Google.Rpc.Status>(text));
    }
}
