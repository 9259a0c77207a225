using System.Diagnostics;
using OpenTelemetry.Trace;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.IntegrationTests;

/// <summary>The spans of one OpenDispute and of one webhook delivery, captured in memory from the real app.</summary>
public sealed class TracingTests
{
    [Fact]
    public async Task Traces_OpenDisputeAndWebhookDelivery_FormTreesWithoutPersonalData()
    {
        var spans = new List<Activity>();
        await using var receiver = new WebhookReceiver();
        await receiver.StartAsync();
        var gw = new GatewayFixture(null, "--Webhooks:AllowHttp=true", "--Webhooks:PollInterval=00:00:00.200", "--Tracing:Enabled=true")
        {
            Configure = b => b.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)),
        };
        await gw.InitializeAsync();
        try
        {
            var s = await Scenario.CreateAsync(gw);
            var path = "m-" + s.Suffix;
            await gw.Admin().CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest
            {
                OwnerKind = WebhookOwnerKind.Merchant, OwnerId = s.MerchantId, Url = receiver.Url(path),
            });

            var d = await s.OpenAsync();
            await WaitAsync(() => receiver.Delivered(path).Count == 1, "the webhook is delivered");
            var delivered = receiver.Delivered(path)[0];
            var all = await WaitForSpansAsync(spans, a => a.DisplayName == "webhook deliver" && a.GetTagItem("rg.webhook.result") is "delivered");

            // One trace for the RPC: the server span, with the store write and the event hub publish under it.
            var server = Assert.Single(all, a => a.Kind == ActivityKind.Server && (string?)a.GetTagItem("http.route") == "/resolution.v1.DisputeService/OpenDispute");
            Assert.Equal("0", server.GetTagItem("rpc.grpc.status_code"));
            var rpcTrace = all.Where(a => a.TraceId == server.TraceId).ToArray();
            Assert.Contains(rpcTrace, a => a.DisplayName == "store write" && a.ParentSpanId == server.SpanId);
            Assert.Contains(rpcTrace, a => a.DisplayName == "event_hub publish" && a.ParentSpanId == server.SpanId);

            // The delivery is a trace of its own; its POST is a child span whose context the receiver got.
            var deliver = Assert.Single(all, a => a.DisplayName == "webhook deliver" && a.GetTagItem("rg.webhook.result") is "delivered");
            Assert.Equal(default, deliver.ParentSpanId);
            Assert.NotEqual(server.TraceId, deliver.TraceId);
            var post = Assert.Single(all, a => a.Kind == ActivityKind.Client && a.ParentSpanId == deliver.SpanId && a.DisplayName.StartsWith("POST", StringComparison.Ordinal));
            Assert.StartsWith($"00-{post.TraceId}-{post.SpanId}-", delivered.TraceParent, StringComparison.Ordinal);
            Assert.Contains(all, a => a.DisplayName == "store read" && a.TraceId == deliver.TraceId);

            // Spans name operations, never the people in them.
            foreach (var a in all)
            {
                var text = a.DisplayName + " " + string.Join(" ", a.TagObjects.Select(t => $"{t.Key}={t.Value}"))
                    + " " + string.Join(" ", a.Events.Select(e => e.Name));
                Assert.DoesNotContain(Scenario.Mobile, text, StringComparison.Ordinal);
                Assert.DoesNotContain("Li Hua", text, StringComparison.Ordinal);
                Assert.DoesNotContain(d.DisputeId, text, StringComparison.Ordinal);
            }
        }
        finally
        {
            await gw.DisposeAsync();
        }
    }

    private static async Task<Activity[]> WaitForSpansAsync(List<Activity> spans, Func<Activity, bool> last)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Activity[] copy;
            lock (spans)
            {
                copy = spans.ToArray();
            }
            if (copy.Any(last))
            {
                return copy;
            }
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the spans were not exported");
            await Task.Delay(100);
        }
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "timed out waiting until " + what);
            await Task.Delay(100);
        }
    }
}
