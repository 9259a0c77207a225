using System.Text;
using ResolutionGateway.Contracts.V1;
using WebhookSignature = ResolutionGateway.Core.Webhooks.WebhookSignature;

namespace ResolutionGateway.IntegrationTests;

public sealed class WebhooksOnSqlite(SqliteClockedNodes nodes) : WebhookTests(nodes), IClassFixture<SqliteClockedNodes>;
public sealed class WebhooksOnMySql(MySqlClockedNodes nodes) : WebhookTests(nodes), IClassFixture<MySqlClockedNodes>;

/// <summary>Signed webhooks to a real HTTP receiver, from two nodes sharing the outbox, on a fake clock.</summary>
public abstract class WebhookTests(ClockedNodes nodes)
{
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    private sealed record Endpoints(string MerchantPath, string MerchantSecret, string ChannelPath, string ChannelSecret,
        string RegulatorPath, string RegulatorSecret, string MerchantEndpointId);

    private async Task<Endpoints> RegisterAsync(Scenario s, string regulatorPrefix = "3301")
    {
        var admin = nodes.A.Admin();
        var m = await admin.CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest
        {
            OwnerKind = WebhookOwnerKind.Merchant, OwnerId = s.MerchantId, Url = nodes.Receiver.Url("m-" + s.Suffix), Description = "POS",
        });
        var c = await admin.CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest
        {
            OwnerKind = WebhookOwnerKind.Channel, OwnerId = s.ChannelId, Url = nodes.Receiver.Url("c-" + s.Suffix),
        });
        var r = await admin.CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest
        {
            OwnerKind = WebhookOwnerKind.Regulator, OwnerId = regulatorPrefix, Url = nodes.Receiver.Url("r-" + s.Suffix),
        });
        return new Endpoints("m-" + s.Suffix, m.Secret, "c-" + s.Suffix, c.Secret, "r-" + s.Suffix, r.Secret, m.Endpoint.EndpointId);
    }

    [Fact]
    public async Task Webhooks_ReceiverDownThenUp_EveryEventDeliveredInOrderPerDisputeWithValidSignatures()
    {
        var s = await Scenario.CreateAsync(nodes.A);
        var onB = await Scenario.CreateAsync(nodes.B);
        var e = await RegisterAsync(s);
        var started = nodes.Time.GetUtcNow();
        await nodes.Receiver.StopAsync();
        var disputes = new List<string>();
        try
        {
            // Three disputes with 5-6 events each, written on both nodes while the receiver is down.
            for (var i = 0; i < 3; i++)
            {
                var channel = i % 2 == 0 ? s.Channel : onB.Gateway.Disputes(s.ChannelToken);
                var merchant = i % 2 == 0 ? s.Merchant : onB.Gateway.Disputes(s.MerchantToken);
                var d = (await channel.OpenDisputeAsync(s.OpenRequest())).Dispute;
                disputes.Add(d.DisputeId);
                await merchant.PostMessageAsync(new PostMessageRequest { RequestId = "m" + i, DisputeId = d.DisputeId, Text = "Sorry." });
                var offer = await merchant.MakeOfferAsync(new MakeOfferRequest { RequestId = "o" + i, DisputeId = d.DisputeId, Remedy = Remedy.Repair });
                await channel.RespondToOfferAsync(new RespondToOfferRequest
                {
                    RequestId = "r" + i, DisputeId = d.DisputeId, OfferId = offer.Offer.OfferId, Decision = OfferDecision.Reject,
                });
                await channel.EscalateDisputeAsync(new EscalateDisputeRequest { RequestId = "e" + i, DisputeId = d.DisputeId, Note = "not satisfied" });
                await s.Hangzhou.PostMessageAsync(new PostMessageRequest { RequestId = "h" + i, DisputeId = d.DisputeId, Text = "We will call you." });
                nodes.Advance(TimeSpan.FromSeconds(30));
            }
            // Attempts fail (connection refused) and back off.
            await nodes.WaitUntilAsync(async () => (await DeliveriesAsync(e.MerchantEndpointId)).Any(x => x.Attempts >= 1 && x.LastError.Length > 0),
                "attempts have failed");
        }
        finally
        {
            await nodes.Receiver.StartAsync();
        }
        await nodes.WaitUntilAsync(() =>
        {
            nodes.Advance(TimeSpan.FromMinutes(5));
            return Task.FromResult(Count(e.MerchantPath, disputes) == 18 && Count(e.ChannelPath, disputes) == 18 && Count(e.RegulatorPath, disputes) == 6);
        }, "every event reached every endpoint", TimeSpan.FromSeconds(60));

        var now = nodes.Time.GetUtcNow();
        // The wait above moves the fake clock 5 minutes per poll, so on a slow machine the first
        // deliveries were signed hours of fake time before "now": accept any signature time since the
        // test began (stale timestamps are refused in the test below).
        var tolerance = now - started + TimeSpan.FromMinutes(5);
        foreach (var (path, secret) in new[] { (e.MerchantPath, e.MerchantSecret), (e.ChannelPath, e.ChannelSecret), (e.RegulatorPath, e.RegulatorSecret) })
        {
            var got = nodes.Receiver.Delivered(path).Where(r => disputes.Any(id => r.EventId.StartsWith(id + "/", StringComparison.Ordinal))).ToArray();
            Assert.All(got, r => Assert.True(WebhookSignature.Verify(r.Signature, r.Body, secret, now, tolerance), $"signature of {r.EventId} on {path}"));
            foreach (var id in disputes)
            {
                var seqs = got.Where(r => r.EventId.StartsWith(id + "/", StringComparison.Ordinal)).Select(r => r.Parse().Event.Seq).ToArray();
                Assert.Equal(seqs.Order(), seqs);
            }
        }
        var merchantOpened = nodes.Receiver.Delivered(e.MerchantPath).First(r => r.EventId == disputes[0] + "/events/1").Parse();
        var channelOpened = nodes.Receiver.Delivered(e.ChannelPath).First(r => r.EventId == disputes[0] + "/events/1").Parse();
        var escalation = nodes.Receiver.Delivered(e.RegulatorPath).First(r => r.EventId == disputes[0] + "/events/5").Parse();
        Assert.Equal("138****1234", merchantOpened.Dispute.Consumer.Mobile);
        Assert.DoesNotContain(Scenario.Mobile, nodes.Receiver.Delivered(e.MerchantPath)[0].Text);
        Assert.Equal(Scenario.Mobile, channelOpened.Dispute.Consumer.Mobile);
        Assert.Equal("dispute.escalated", escalation.EventType);
        Assert.Equal(new long[] { 1, 2, 3, 4, 5 }, escalation.Trail.Select(x => x.Seq));
        Assert.Equal(WebhookOwnerKind.Regulator, escalation.Audience);
        Assert.DoesNotContain(nodes.A.Logs.Concat(nodes.B.Logs), l => l.Contains(Scenario.Mobile, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Webhooks_EndpointRegisteredByTheMerchant_ReceivesItsEventsWithTheMobileMasked()
    {
        var s = await Scenario.CreateAsync(nodes.A);
        var path = "own-" + s.Suffix;
        var created = await nodes.A.Admin(s.MerchantToken).CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest { Url = nodes.Receiver.Url(path) });

        var d = await s.OpenAsync();
        await nodes.WaitUntilAsync(() => Task.FromResult(nodes.Receiver.Delivered(path).Count == 1), "the merchant's own endpoint gets the opening");

        var got = nodes.Receiver.Delivered(path)[0];
        var body = got.Parse();
        Assert.Equal(d.DisputeId + "/events/1", got.EventId);
        Assert.Equal(WebhookOwnerKind.Merchant, body.Audience);
        Assert.Equal(created.Endpoint.EndpointId, body.EndpointId);
        Assert.Equal("138****1234", body.Dispute.Consumer.Mobile);
        Assert.DoesNotContain(Scenario.Mobile, got.Text);
        Assert.True(WebhookSignature.Verify(got.Signature, got.Body, created.Secret, nodes.Time.GetUtcNow(), Tolerance));
    }

    [Fact]
    public async Task Webhooks_ConsumerErasedBeforeDelivery_BodiesShowErasedNeitherNameNorMobile()
    {
        var s = await Scenario.CreateAsync(nodes.A);
        var e = await RegisterAsync(s);
        var name = "欧阳 Webhook" + s.Suffix;
        var mobile = "1391" + System.Security.Cryptography.RandomNumberGenerator.GetInt32(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var consumer = "c-erased-" + s.Suffix;
        nodes.Receiver.SetMode(e.ChannelPath, ReceiverMode.Failing);
        nodes.Receiver.SetMode(e.MerchantPath, ReceiverMode.Failing);
        var open = s.OpenRequest(consumerRef: consumer);
        open.Consumer.Name = name;
        open.Consumer.Mobile = mobile;
        var d = (await s.Channel.OpenDisputeAsync(open)).Dispute;
        await s.Merchant.PostMessageAsync(new PostMessageRequest { RequestId = "m", DisputeId = d.DisputeId, Text = "Sorry." });
        await nodes.WaitUntilAsync(async () => (await DeliveriesAsync(e.MerchantEndpointId)).Any(x => x.Attempts >= 1), "attempts have failed");

        var erased = await nodes.A.Admin().EraseConsumerDataAsync(new EraseConsumerDataRequest { ChannelId = s.ChannelId, ConsumerRef = consumer });
        nodes.Receiver.SetMode(e.ChannelPath, ReceiverMode.Up);
        nodes.Receiver.SetMode(e.MerchantPath, ReceiverMode.Up);
        await nodes.WaitUntilAsync(() =>
        {
            nodes.Advance(TimeSpan.FromMinutes(5));
            return Task.FromResult(nodes.Receiver.Delivered(e.ChannelPath).Count(r => r.EventId.StartsWith(d.DisputeId + "/", StringComparison.Ordinal)) == 2
                && nodes.Receiver.Delivered(e.MerchantPath).Count(r => r.EventId.StartsWith(d.DisputeId + "/", StringComparison.Ordinal)) == 2);
        }, "both events reached both endpoints after the erasure", TimeSpan.FromSeconds(60));

        var bodies = nodes.Receiver.Delivered(e.ChannelPath).Concat(nodes.Receiver.Delivered(e.MerchantPath))
            .Where(r => r.EventId.StartsWith(d.DisputeId + "/", StringComparison.Ordinal)).ToArray();
        Assert.Equal(4, bodies.Length);
        Assert.All(bodies, r =>
        {
            Assert.DoesNotContain(mobile, r.Text, StringComparison.Ordinal);
            Assert.DoesNotContain(mobile[..3] + "****" + mobile[7..], r.Text, StringComparison.Ordinal);
            Assert.DoesNotContain(name, r.Text, StringComparison.Ordinal);
            var consumerView = r.Parse().Dispute.Consumer;
            Assert.Equal(("", "", erased.EraseTime), (consumerView.Name, consumerView.Mobile, consumerView.EraseTime));
        });
        Assert.Equal(name, d.Consumer.Name); // the opening answered in plain before the erasure
    }

    [Fact]
    public async Task Webhooks_TamperedBodyWrongSecretOrStaleTimestamp_VerificationFails()
    {
        var s = await Scenario.CreateAsync(nodes.A);
        var e = await RegisterAsync(s);
        var d = await s.OpenAsync();
        await nodes.WaitUntilAsync(() => Task.FromResult(nodes.Receiver.Delivered(e.ChannelPath).Count == 1), "the opening is delivered");
        var got = nodes.Receiver.Delivered(e.ChannelPath)[0];
        var now = nodes.Time.GetUtcNow();
        var tampered = Encoding.UTF8.GetBytes(got.Text.Replace("\"seq\": \"1\"", "\"seq\": \"2\"", StringComparison.Ordinal).Replace("FULL_REFUND", "COMPENSATION", StringComparison.Ordinal));

        Assert.Equal(d.DisputeId + "/events/1", got.EventId);
        Assert.Equal("dispute.opened", got.EventType);
        Assert.Equal(1, got.Attempt);
        Assert.True(WebhookSignature.Verify(got.Signature, got.Body, e.ChannelSecret, now, Tolerance));
        Assert.NotEqual(got.Body, tampered);
        Assert.False(WebhookSignature.Verify(got.Signature, tampered, e.ChannelSecret, now, Tolerance));
        Assert.False(WebhookSignature.Verify(got.Signature, got.Body, e.MerchantSecret, now, Tolerance));
        Assert.False(WebhookSignature.Verify(got.Signature, got.Body, e.ChannelSecret, now.AddMinutes(6), Tolerance));
        Assert.False(WebhookSignature.Verify(got.Signature.Replace("t=", "t=1", StringComparison.Ordinal), got.Body, e.ChannelSecret, now, Tolerance));
    }

    [Fact]
    public async Task Webhooks_SecretRotated_BothSignaturesUntilThePreviousExpires()
    {
        var s = await Scenario.CreateAsync(nodes.A);
        var e = await RegisterAsync(s);
        var channelEndpoint = (await nodes.A.Admin().ListWebhookEndpointsAsync(new ListWebhookEndpointsRequest
        {
            OwnerKind = WebhookOwnerKind.Channel, OwnerId = s.ChannelId,
        })).Endpoints.Single();
        var rotated = await nodes.A.Admin().RotateWebhookSecretAsync(new RotateWebhookSecretRequest
        {
            EndpointId = channelEndpoint.EndpointId, PreviousSecretTtlSeconds = 3600,
        });
        await s.OpenAsync();
        await nodes.WaitUntilAsync(() => Task.FromResult(nodes.Receiver.Delivered(e.ChannelPath).Count == 1), "the first event is delivered");
        nodes.Advance(TimeSpan.FromHours(2));
        await s.OpenAsync();
        await nodes.WaitUntilAsync(() => Task.FromResult(nodes.Receiver.Delivered(e.ChannelPath).Count == 2), "the second event is delivered");
        var (during, after) = (nodes.Receiver.Delivered(e.ChannelPath)[0], nodes.Receiver.Delivered(e.ChannelPath)[1]);
        var now = nodes.Time.GetUtcNow();

        Assert.NotEqual(e.ChannelSecret, rotated.Secret);
        Assert.NotNull(rotated.Endpoint.PreviousSecretExpireTime);
        Assert.Equal(2, during.Signature.Split(",v1=").Length - 1);
        Assert.True(WebhookSignature.Verify(during.Signature, during.Body, e.ChannelSecret, now, TimeSpan.FromHours(3)));
        Assert.True(WebhookSignature.Verify(during.Signature, during.Body, rotated.Secret, now, TimeSpan.FromHours(3)));
        Assert.Equal(1, after.Signature.Split(",v1=").Length - 1);
        Assert.False(WebhookSignature.Verify(after.Signature, after.Body, e.ChannelSecret, now, Tolerance));
        Assert.True(WebhookSignature.Verify(after.Signature, after.Body, rotated.Secret, now, Tolerance));
    }

    [Fact]
    public async Task Webhooks_EndpointAnswers410_DeadLetteredDisabledAndNeverCalledAgain()
    {
        var s = await Scenario.CreateAsync(nodes.A);
        var e = await RegisterAsync(s);
        nodes.Receiver.SetMode(e.MerchantPath, ReceiverMode.Gone);
        var d = await s.OpenAsync();
        await nodes.WaitUntilAsync(async () => (await DeliveriesAsync(e.MerchantEndpointId)).Any(x => x.Status == WebhookDeliveryStatus.DeadLettered),
            "the 410 dead-letters the delivery");
        await s.Merchant.PostMessageAsync(new PostMessageRequest { RequestId = "after-410", DisputeId = d.DisputeId, Text = "hello?" });
        nodes.Advance(TimeSpan.FromHours(1));
        await nodes.WaitUntilAsync(() => Task.FromResult(nodes.Receiver.Delivered(e.ChannelPath).Count == 2), "the channel gets both events");
        var endpoint = (await nodes.A.Admin().ListWebhookEndpointsAsync(new ListWebhookEndpointsRequest
        {
            OwnerKind = WebhookOwnerKind.Merchant, OwnerId = s.MerchantId,
        })).Endpoints.Single();
        var deliveries = await DeliveriesAsync(e.MerchantEndpointId);

        Assert.Single(nodes.Receiver.Received, r => r.Path == e.MerchantPath);
        Assert.False(endpoint.Enabled);
        Assert.Contains("410", endpoint.DisabledReason, StringComparison.Ordinal);
        var dead = Assert.Single(deliveries);
        Assert.Equal(WebhookDeliveryStatus.DeadLettered, dead.Status);
        Assert.Equal(410, dead.LastHttpStatus);
        await RpcAssert.FailsWith(global::Grpc.Core.StatusCode.FailedPrecondition, () => nodes.A.Admin().RedeliverWebhookDeliveriesAsync(
            new RedeliverWebhookDeliveriesRequest { EndpointId = e.MerchantEndpointId }).ResponseAsync);
    }

    [Fact]
    public async Task Webhooks_OneEndpointHangs_OtherEndpointsServedWithoutWaiting()
    {
        var s = await Scenario.CreateAsync(nodes.A);
        var e = await RegisterAsync(s);
        nodes.Receiver.SetMode(e.MerchantPath, ReceiverMode.Hang);
        try
        {
            var started = DateTime.UtcNow;
            for (var i = 0; i < 5; i++)
            {
                await s.OpenAsync();
            }
            await nodes.WaitUntilAsync(() => Task.FromResult(nodes.Receiver.Delivered(e.ChannelPath).Count == 5), "the channel gets all five", TimeSpan.FromSeconds(5));
            var channelDone = DateTime.UtcNow - started;

            Assert.Empty(nodes.Receiver.Delivered(e.MerchantPath));
            Assert.True(channelDone < TimeSpan.FromSeconds(5), $"channel took {channelDone}");
        }
        finally
        {
            nodes.Receiver.SetMode(e.MerchantPath, ReceiverMode.Up);
            nodes.Receiver.ReleaseHeld();
        }
        await nodes.WaitUntilAsync(() =>
        {
            nodes.Advance(TimeSpan.FromMinutes(1));
            return Task.FromResult(nodes.Receiver.Delivered(e.MerchantPath).Count == 5);
        }, "the merchant gets all five after it recovers", TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Webhooks_FailingForThreeDays_DeadLetteredThenRedeliveredOnRequest()
    {
        var s = await Scenario.CreateAsync(nodes.A);
        var e = await RegisterAsync(s);
        nodes.Receiver.SetMode(e.MerchantPath, ReceiverMode.Failing);
        var d = await s.OpenAsync();
        await nodes.WaitUntilAsync(async () => (await DeliveriesAsync(e.MerchantEndpointId)).Any(x => x.Attempts >= 1), "the first attempt");
        var first = (await DeliveriesAsync(e.MerchantEndpointId)).Single();

        // Drive the clock through the retry schedule in 2-hour steps (longer than the longest
        // backoff, so each step makes an attempt due), giving each step a moment to make it. A step
        // that lands while an attempt is in flight may make none; the next step catches up.
        for (var step = 0; step < 80; step++)
        {
            var before = (await DeliveriesAsync(e.MerchantEndpointId)).Single();
            if (before.Status == WebhookDeliveryStatus.DeadLettered)
            {
                break;
            }
            nodes.Advance(TimeSpan.FromHours(2));
            for (var wait = 0; wait < 40; wait++)
            {
                var x = (await DeliveriesAsync(e.MerchantEndpointId)).Single();
                if (x.Attempts > before.Attempts || x.Status == WebhookDeliveryStatus.DeadLettered)
                {
                    break;
                }
                await Task.Delay(50);
            }
        }
        var dead = (await nodes.A.Admin().ListWebhookDeliveriesAsync(new ListWebhookDeliveriesRequest
        {
            EndpointId = e.MerchantEndpointId, Status = WebhookDeliveryStatus.DeadLettered,
        })).Deliveries.Single();
        var gaveUpAfter = nodes.Time.GetUtcNow() - first.FirstAttemptTime.ToDateTimeOffset();
        nodes.Receiver.SetMode(e.MerchantPath, ReceiverMode.Up);
        var requeued = await nodes.A.Admin().RedeliverWebhookDeliveriesAsync(new RedeliverWebhookDeliveriesRequest { EndpointId = e.MerchantEndpointId });
        await nodes.WaitUntilAsync(() => Task.FromResult(nodes.Receiver.Delivered(e.MerchantPath).Count == 1), "the redelivery arrives");
        var delivered = (await DeliveriesAsync(e.MerchantEndpointId)).Single();

        Assert.Equal(d.DisputeId, dead.DisputeId);
        Assert.StartsWith("gave up after", dead.DeadLetterReason, StringComparison.Ordinal);
        Assert.Equal(503, dead.LastHttpStatus);
        Assert.InRange(dead.Attempts, 30, 200);
        Assert.InRange(gaveUpAfter, TimeSpan.FromDays(2.9), TimeSpan.FromDays(3.4));
        Assert.Equal(1, requeued.Requeued);
        Assert.Equal(WebhookDeliveryStatus.Delivered, delivered.Status);
        Assert.Equal(1, delivered.Attempts);
    }

    private async Task<IReadOnlyList<WebhookDelivery>> DeliveriesAsync(string endpointId) =>
        (await nodes.A.Admin().ListWebhookDeliveriesAsync(new ListWebhookDeliveriesRequest { EndpointId = endpointId, PageSize = 500 })).Deliveries;

    private int Count(string path, IReadOnlyList<string> disputes) =>
        nodes.Receiver.Delivered(path).Count(r => disputes.Any(id => r.EventId.StartsWith(id + "/", StringComparison.Ordinal)));
}
