using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.IntegrationTests;

/// <summary>
/// A real Prometheus scrapes a real gateway while a flow runs; the figures are read back through
/// Prometheus's query API. The gateway runs on a hand-driven clock so webhook retries and deadlines
/// come due when the test says.
/// </summary>
public sealed class PrometheusTests
{
    [Fact]
    public async Task Scrape_FlowWithReceiverDownThenUp_ShowsOpenedBacklogDrainAndDeadlineLag()
    {
        var time = new FakeTimeProvider(ClockedNodes.Start);
        var receiver = new WebhookReceiver(); // not started: connections are refused, as from a receiver that is down
        var gw = new GatewayFixture(time,
            "--Webhooks:AllowHttp=true",
            "--Webhooks:PollInterval=00:00:00.200",
            "--Deadlines:Enforce=false",
            "--Metrics:GaugeInterval=00:00:00.500");
        await gw.InitializeAsync();
        try
        {
            await using var prometheus = await PrometheusServer.StartAsync(gw.MetricsUrl);
            var s = await Scenario.CreateAsync(gw);
            await gw.Admin().CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest
            {
                OwnerKind = WebhookOwnerKind.Merchant, OwnerId = s.MerchantId, Url = receiver.Url("m-" + s.Suffix),
            });

            // Three disputes opened and one refused: their webhooks pile up while the receiver is down.
            for (var i = 0; i < 3; i++)
            {
                await s.OpenAsync();
            }
            var bad = s.OpenRequest();
            bad.Consumer.Mobile = "1";
            await RpcAssert.FailsWith(StatusCode.InvalidArgument, () => s.Channel.OpenDisputeAsync(bad).ResponseAsync);

            await prometheus.WaitForAsync("rg_disputes_opened_total", v => v == 3, "three disputes opened");
            await prometheus.WaitForAsync("rg_events_appended_total{kind=\"opened\"}", v => v == 3, "three opened events");
            await prometheus.WaitForAsync("""sum(http_server_request_duration_seconds_count{http_route="/resolution.v1.DisputeService/OpenDispute",rpc_grpc_status_code="0"})""",
                v => v == 3, "three OpenDispute calls answered OK");
            await prometheus.WaitForAsync("""sum(http_server_request_duration_seconds_count{http_route="/resolution.v1.DisputeService/OpenDispute",rpc_grpc_status_code="3"})""",
                v => v == 1, "one OpenDispute call answered INVALID_ARGUMENT");
            await prometheus.WaitForAsync("rg_webhook_queue_depth", v => v == 3, "a backlog of three deliveries");
            await prometheus.WaitForAsync("rg_webhook_deliveries_total{result=\"retry\"}", v => v >= 3, "failed attempts");

            // The receiver comes back; an hour later (past any retry delay, well before giving up) the queue drains.
            await receiver.StartAsync();
            time.Advance(TimeSpan.FromHours(1));
            await prometheus.WaitForAsync("rg_webhook_queue_depth", v => v == 0, "the backlog drained");
            await prometheus.WaitForAsync("rg_webhook_deliveries_total{result=\"delivered\"}", v => v == 3, "three deliveries");
            Assert.Equal(3, receiver.Received.Count(r => r.AnsweredWith == 200));
            await prometheus.WaitForAsync("rg_webhook_dead_letters", v => v == 0, "no dead letter");

            // Deadlines are not enforced on this node: 100 hours after opening the first warning (84 h)
            // is 16 hours overdue, and the oldest due timer's age says so.
            await prometheus.WaitForAsync("rg_deadline_lag_seconds", v => v == 0, "no deadline due yet");
            time.Advance(TimeSpan.FromHours(99));
            await prometheus.WaitForAsync("rg_deadline_lag_seconds", v => v >= 15 * 3600 && v <= 17 * 3600, "a deadline lag of about 16 hours");
        }
        finally
        {
            await receiver.DisposeAsync();
            await gw.DisposeAsync();
        }
    }
}
