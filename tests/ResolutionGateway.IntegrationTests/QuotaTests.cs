using Grpc.Core;
using Grpc.Health.V1;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.IntegrationTests;

/// <summary>Per-key quotas through the real stack: counted in this node's memory (embedded store) or in Redis (MariaDB + Redis).</summary>
public abstract class QuotaTests(GatewayFixture gw)
{
    [Fact]
    public async Task ListDisputes_ChannelFloodsOverItsQuota_ResourceExhaustedWithRetryInfoWhileOtherChannelServed()
    {
        // Arrange: the flooding channel may make 5 calls at once and then one every 100 s.
        var s = await Scenario.CreateAsync(gw);
        await gw.Admin().SetKeyQuotaAsync(new SetKeyQuotaRequest
        {
            Quota = new KeyQuota { KeyId = await KeyIdAsync(s.ChannelId), RequestsPerSecond = 0.01, Burst = 5, Streams = 1 },
        });
        var list = new ListDisputesRequest { ConsumerRef = "c-1" };

        // Act: 30 calls from the flooding channel, interleaved with 30 from the other one.
        var flooding = new List<StatusCode>();
        var other = new List<StatusCode>();
        RpcException? refused = null;
        for (var i = 0; i < 30; i++)
        {
            try
            {
                await s.Channel.ListDisputesAsync(list);
                flooding.Add(StatusCode.OK);
            }
            catch (RpcException e)
            {
                flooding.Add(e.StatusCode);
                refused ??= e;
            }
            other.Add((await s.OtherChannel.ListDisputesAsync(list)).Disputes.Count >= 0 ? StatusCode.OK : StatusCode.Unknown);
        }

        // Assert
        Assert.Equal(5, flooding.Count(c => c == StatusCode.OK));
        Assert.All(flooding, c => Assert.True(c is StatusCode.OK or StatusCode.ResourceExhausted, c.ToString()));
        Assert.All(other, c => Assert.Equal(StatusCode.OK, c));
        Assert.NotNull(refused);
        var status = refused.GetRpcStatus()!;
        var retry = status.GetDetail<Google.Rpc.RetryInfo>();
        Assert.NotNull(retry);
        Assert.InRange(retry.RetryDelay.ToTimeSpan(), TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(101));
        var failure = status.GetDetail<Google.Rpc.QuotaFailure>();
        Assert.NotNull(failure);
        Assert.Equal("key:" + await KeyIdAsync(s.ChannelId), Assert.Single(failure.Violations).Subject);
        // Each refusal is counted by the key's role, never by key (other tests of the fixture may add to it).
        using var http = new HttpClient();
        var scrape = await http.GetStringAsync(gw.MetricsUrl);
        var counted = System.Text.RegularExpressions.Regex.Match(scrape, @"^rg_quota_rejections_total\{[^}]*role=""channel""[^}]*\} (\d+)", System.Text.RegularExpressions.RegexOptions.Multiline);
        Assert.True(counted.Success, "no rg_quota_rejections_total{role=\"channel\"} series");
        Assert.True(long.Parse(counted.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= flooding.Count(c => c == StatusCode.ResourceExhausted));
        Assert.DoesNotContain(await KeyIdAsync(s.ChannelId), scrape, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WatchDisputes_MoreStreamsThanTheKeyMayOpen_ResourceExhaustedUntilOneEnds()
    {
        // Arrange: one stream at a time.
        var s = await Scenario.CreateAsync(gw);
        await gw.Admin().SetKeyQuotaAsync(new SetKeyQuotaRequest
        {
            Quota = new KeyQuota { KeyId = await KeyIdAsync(s.ChannelId), RequestsPerSecond = 1000, Burst = 1000, Streams = 1 },
        });
        await s.Channel.OpenDisputeAsync(s.OpenRequest());
        using var firstCts = new CancellationTokenSource();
        var first = s.Channel.WatchDisputes(new WatchDisputesRequest(), cancellationToken: firstCts.Token);
        Assert.True(await first.ResponseStream.MoveNext(CancellationToken.None));

        // Act
        using var second = s.Channel.WatchDisputes(new WatchDisputesRequest());
        var e = await Assert.ThrowsAsync<RpcException>(() => second.ResponseStream.MoveNext(CancellationToken.None));
        await firstCts.CancelAsync();
        first.Dispose();

        // Assert: refused with RetryInfo; once the first stream ended on the server, a new one opens.
        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        Assert.NotNull(e.GetRpcStatus()!.GetDetail<Google.Rpc.RetryInfo>());
        var opened = false;
        for (var i = 0; i < 50 && !opened; i++)
        {
            using var third = s.Channel.WatchDisputes(new WatchDisputesRequest());
            try
            {
                opened = await third.ResponseStream.MoveNext(CancellationToken.None);
            }
            catch (RpcException retry) when (retry.StatusCode == StatusCode.ResourceExhausted)
            {
                await Task.Delay(100);
            }
        }
        Assert.True(opened);
    }

    [Fact]
    public async Task SetKeyQuota_AllZero_RoleDefaultsAgain()
    {
        // Arrange: a key limited to 1 call, then cleared.
        var s = await Scenario.CreateAsync(gw);
        var keyId = await KeyIdAsync(s.MerchantId);
        await gw.Admin().SetKeyQuotaAsync(new SetKeyQuotaRequest { Quota = new KeyQuota { KeyId = keyId, RequestsPerSecond = 0.01, Burst = 1, Streams = 0 } });
        await s.Merchant.ListDisputesAsync(new ListDisputesRequest());
        await RpcAssert.FailsWith(StatusCode.ResourceExhausted, () => s.Merchant.ListDisputesAsync(new ListDisputesRequest()).ResponseAsync);

        // Act
        var cleared = await gw.Admin().SetKeyQuotaAsync(new SetKeyQuotaRequest { Quota = new KeyQuota { KeyId = keyId } });

        // Assert: the role's defaults (200 a second) serve the next calls.
        Assert.Null(cleared.Quota);
        for (var i = 0; i < 5; i++)
        {
            await s.Merchant.ListDisputesAsync(new ListDisputesRequest());
        }
    }

    [Fact]
    public async Task SetKeyQuota_BadValues_InvalidArgumentNamingEachField()
    {
        // Arrange
        var s = await Scenario.CreateAsync(gw);
        var request = new SetKeyQuotaRequest
        {
            Quota = new KeyQuota { KeyId = await KeyIdAsync(s.ChannelId), RequestsPerSecond = -1, Burst = 0, Streams = -2 },
        };

        // Act
        var e = await RpcAssert.FailsWith(StatusCode.InvalidArgument, () => gw.Admin().SetKeyQuotaAsync(request).ResponseAsync);

        // Assert
        Assert.Equal(["quota.burst", "quota.requests_per_second", "quota.streams"], RpcAssert.Fields(e).Order());
    }

    [Fact]
    public async Task SetKeyQuota_UnknownKey_NotFound()
    {
        // Arrange: a well-formed id no key has.
        var request = new SetKeyQuotaRequest { Quota = new KeyQuota { KeyId = "key_00000000000000000000000000", RequestsPerSecond = 1, Burst = 1 } };

        // Act, Assert
        await RpcAssert.FailsWith(StatusCode.NotFound, () => gw.Admin().SetKeyQuotaAsync(request).ResponseAsync);
    }

    [Fact]
    public async Task SetKeyQuota_NotAdmin_PermissionDenied()
    {
        // Arrange: a channel key trying to raise its own quota.
        var s = await Scenario.CreateAsync(gw);
        var request = new SetKeyQuotaRequest { Quota = new KeyQuota { KeyId = await KeyIdAsync(s.ChannelId), RequestsPerSecond = 1e6, Burst = 1_000_000 } };

        // Act, Assert
        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () => gw.Admin(s.ChannelToken).SetKeyQuotaAsync(request).ResponseAsync);
    }

    [Fact]
    public async Task HealthAndAdmin_AfterAPartyExhaustedItsQuota_NeverLimited()
    {
        // Arrange: a channel with a single call, spent.
        var s = await Scenario.CreateAsync(gw);
        await gw.Admin().SetKeyQuotaAsync(new SetKeyQuotaRequest
        {
            Quota = new KeyQuota { KeyId = await KeyIdAsync(s.ChannelId), RequestsPerSecond = 0.01, Burst = 1, Streams = 0 },
        });
        await s.Channel.ListDisputesAsync(new ListDisputesRequest { ConsumerRef = "c-1" });
        await RpcAssert.FailsWith(StatusCode.ResourceExhausted, () => s.Channel.ListDisputesAsync(new ListDisputesRequest { ConsumerRef = "c-1" }).ResponseAsync);
        var health = new Health.HealthClient(gw.Invoker(null));

        // Act: 300 health checks and 300 admin calls in a row.
        for (var i = 0; i < 300; i++)
        {
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest { Service = "liveness" })).Status);
            await gw.Admin().ListApiKeysAsync(new ListApiKeysRequest());
        }

        // Assert: still refused for the channel, never for the others (a failure above would have thrown).
        await RpcAssert.FailsWith(StatusCode.ResourceExhausted, () => s.Channel.ListDisputesAsync(new ListDisputesRequest { ConsumerRef = "c-1" }).ResponseAsync);
    }

    private async Task<string> KeyIdAsync(string scope) =>
        (await gw.Admin().ListApiKeysAsync(new ListApiKeysRequest())).Keys.First(k => k.Scope == scope).KeyId;
}

[Collection(GatewayCollection.Name)] public sealed class QuotasOnSqlite(GatewayFixture gw) : QuotaTests(gw);
[Collection(MySqlCollection.Name)] public sealed class QuotasOnMySql(MySqlGateway gw) : QuotaTests(gw);
