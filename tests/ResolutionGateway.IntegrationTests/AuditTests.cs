using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using ResolutionGateway.Contracts.V1;
using ResolutionGateway.Infrastructure.Audit;

namespace ResolutionGateway.IntegrationTests;

[Collection(GatewayCollection.Name)] public sealed class AuditOnSqlite(GatewayFixture gw) : AuditTests(gw);
[Collection(MySqlCollection.Name)] public sealed class AuditOnMySql(MySqlGateway gw) : AuditTests(gw);

/// <summary>
/// The audit log through the real app, on each backend: admin actions and unmasked reads are
/// recorded (key, role, RPC, dispute or object, time), masked reads are not, it holds no personal
/// data, and ListAuditEvents pages and filters it for admins only.
/// </summary>
public abstract class AuditTests(GatewayFixture gw)
{
    private const string Admin = "/resolution.v1.AdminService/";
    private const string Disputes = "/resolution.v1.DisputeService/";
    private static readonly string[] BadFields = ["dispute_id", "end_time", "key_id", "page_size", "page_token"];

    [Fact]
    public async Task ListAuditEvents_AfterReadsByEachRole_RecordsUnmaskedReadsOnlyWithoutPersonalData()
    {
        var s = await Scenario.CreateAsync(gw);
        var regulatorToken = await gw.KeyAsync(CredentialRole.Regulator, "3301");
        var open = s.OpenRequest(consumerRef: "c-" + s.Suffix);
        open.Consumer.Name = "审计 Audit" + s.Suffix;
        open.Consumer.Mobile = "13911112222";
        var d = (await s.Channel.OpenDisputeAsync(open)).Dispute;
        var get = new GetDisputeRequest { DisputeId = d.DisputeId };

        await s.Channel.GetDisputeAsync(get);
        await s.Channel.ListDisputeEventsAsync(new ListDisputeEventsRequest { DisputeId = d.DisputeId });
        await gw.Disputes(regulatorToken).GetDisputeAsync(get);
        await s.Merchant.GetDisputeAsync(get);
        await s.AdminReader.GetDisputeAsync(get);
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        using (var watch = s.Channel.WatchDispute(new WatchDisputeRequest { DisputeId = d.DisputeId }, cancellationToken: cts.Token))
        {
            Assert.True(await watch.ResponseStream.MoveNext(cts.Token));
        }
        await FlushAsync();
        var page = await gw.Admin().ListAuditEventsAsync(new ListAuditEventsRequest { DisputeId = d.DisputeId });

        var channelKey = await KeyIdAsync(s.ChannelToken);
        var regulatorKey = await KeyIdAsync(regulatorToken);
        Assert.All(page.Events, e => Assert.Equal((AuditKind.PersonalDataRead, d.DisputeId), (e.Kind, e.DisputeId)));
        Assert.Equal(
            new[] { (channelKey, Disputes + "GetDispute"), (channelKey, Disputes + "ListDisputeEvents"), (channelKey, Disputes + "WatchDispute"), (regulatorKey, Disputes + "GetDispute") }
                .Order(),
            page.Events.Select(e => (e.KeyId, e.Rpc)).Order());
        Assert.Equal(CredentialRole.Regulator, page.Events.Single(e => e.KeyId == regulatorKey).Role);
        Assert.All(page.Events, e => Assert.InRange(e.OccurTime.ToDateTimeOffset(), s.Now.AddMinutes(-5), s.Now.AddMinutes(1)));
        var text = page.ToString();
        Assert.DoesNotContain("13911112222", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Audit" + s.Suffix, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListAuditEvents_AdminActions_RecordedWithObjectBeforeTheAnswer()
    {
        var adminKey = await KeyIdAsync(gw.AdminToken);
        var channel = "audit-" + Guid.NewGuid().ToString("N")[..8];
        var from = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddSeconds(-1));

        await gw.Admin().RegisterChannelAsync(new RegisterChannelRequest { ChannelId = channel, DisplayName = "Audit Pay" });
        var created = await gw.Admin().CreateApiKeyAsync(new CreateApiKeyRequest { Role = CredentialRole.Channel, Scope = channel });
        await gw.Admin().SetKeyQuotaAsync(new SetKeyQuotaRequest { Quota = new KeyQuota { KeyId = created.Key.KeyId, RequestsPerSecond = 5, Burst = 5, Streams = 1 } });
        await gw.Admin().GetCallerAsync(new GetCallerRequest());
        // No flush: admin actions are written before their answer.
        var page = await gw.Admin().ListAuditEventsAsync(new ListAuditEventsRequest { KeyId = adminKey, StartTime = from, PageSize = 500 });

        var mine = page.Events.Where(e => e.ObjectId == channel || e.ObjectId == created.Key.KeyId).ToArray();
        Assert.Equal(
            new[] { (Admin + "SetKeyQuota", created.Key.KeyId), (Admin + "CreateApiKey", created.Key.KeyId), (Admin + "RegisterChannel", channel) },
            mine.Select(e => (e.Rpc, e.ObjectId)));
        Assert.All(mine, e => Assert.Equal((AuditKind.AdminAction, CredentialRole.Admin, adminKey, ""), (e.Kind, e.Role, e.KeyId, e.DisputeId)));
        Assert.DoesNotContain(page.Events, e => e.Rpc == Admin + "GetCaller");
        Assert.DoesNotContain(created.Token, page.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListAuditEvents_PagedAndTimeFiltered_EachEventOnceNewestFirst()
    {
        var s = await Scenario.CreateAsync(gw);
        var d = await s.OpenAsync();
        for (var i = 0; i < 5; i++)
        {
            await s.Channel.GetDisputeAsync(new GetDisputeRequest { DisputeId = d.DisputeId });
        }
        await FlushAsync();
        var request = new ListAuditEventsRequest { DisputeId = d.DisputeId, PageSize = 2 };

        var seen = new List<AuditEvent>();
        var pages = 0;
        do
        {
            var page = await gw.Admin().ListAuditEventsAsync(request);
            seen.AddRange(page.Events);
            request.PageToken = page.NextPageToken;
            pages++;
        }
        while (request.PageToken.Length > 0 && pages < 10);
        var future = await gw.Admin().ListAuditEventsAsync(new ListAuditEventsRequest
        {
            DisputeId = d.DisputeId,
            StartTime = Timestamp.FromDateTimeOffset(s.Now.AddHours(1)),
        });

        Assert.Equal(5, seen.Count);
        Assert.Equal(3, pages);
        Assert.Equal(seen.Select(e => e.AuditId).Distinct().Count(), seen.Count);
        Assert.Equal(seen.Select(e => e.AuditId).OrderDescending(StringComparer.Ordinal), seen.Select(e => e.AuditId));
        Assert.Empty(future.Events);
    }

    [Theory]
    [InlineData(CredentialRole.Channel)]
    [InlineData(CredentialRole.Merchant)]
    [InlineData(CredentialRole.Regulator)]
    [InlineData(CredentialRole.Analyst)]
    public async Task ListAuditEvents_NotAdmin_PermissionDenied(CredentialRole role)
    {
        var s = await Scenario.CreateAsync(gw);
        var scope = role switch
        {
            CredentialRole.Channel => s.ChannelId,
            CredentialRole.Merchant => s.MerchantId,
            CredentialRole.Regulator => "33",
            _ => "",
        };
        var caller = gw.Admin(await gw.KeyAsync(role, scope));

        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => caller.ListAuditEventsAsync(new ListAuditEventsRequest()).ResponseAsync);
    }

    [Fact]
    public async Task ListAuditEvents_BadFilter_InvalidArgumentNamingEachField()
    {
        var request = new ListAuditEventsRequest
        {
            KeyId = "nope",
            DisputeId = "dsp_x",
            StartTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
            EndTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(-1)),
            PageSize = 501,
            PageToken = "garbage",
        };

        var e = await RpcAssert.FailsWith(StatusCode.InvalidArgument, () => gw.Admin().ListAuditEventsAsync(request).ResponseAsync);

        Assert.Equal(BadFields, RpcAssert.Fields(e).Order());
    }

    private Task FlushAsync() => gw.Services.GetRequiredService<AuditLog>().FlushAsync(CancellationToken.None);

    private async Task<string> KeyIdAsync(string token) => (await gw.Admin(token).GetCallerAsync(new GetCallerRequest())).KeyId;
}
