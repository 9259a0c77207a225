using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.IntegrationTests;

/// <summary>
/// The web console in a real headless Chromium (Debian's chromium through playwright-core, see
/// tests/console/bridge.mjs) against the real gateway's HTTP listener, while the other parties act
/// over gRPC. Screenshots of each desk go to TestResults/console/.
/// </summary>
[Collection(GatewayCollection.Name)]
public class ConsoleBrowserTests(GatewayFixture gw)
{
    [Fact]
    public async Task MerchantDesk_DisputeOpenedAndAcceptedOverGrpc_AppearsAndResolvesLiveAfterReplyAndOffer()
    {
        var s = await Scenario.CreateAsync(gw);
        await using var browser = await Browser.StartAsync();
        await browser.SignInAsync(gw.HttpAddress, s.MerchantToken);
        await browser.Do(new { cmd = "waitFor", selector = "#live:not(:empty)" });

        var d = await s.OpenAsync();
        var row = $"tr[data-dispute-id=\"{d.DisputeId}\"]";
        // The live stream, not a reload, brings it: the page is never navigated in between.
        await browser.Do(new { cmd = "waitFor", selector = row, timeout = 2000 });
        var maskedOnDesk = await browser.Text($"{row} td:nth-child(3)");
        await browser.Do(new { cmd = "click", selector = $"{row} a" });
        await browser.Do(new { cmd = "waitFor", selector = $"#dispute[data-dispute-id=\"{d.DisputeId}\"]" });
        await browser.Do(new { cmd = "fill", selector = "#reply-text", value = "抱歉，我们退一半。" });
        await browser.Do(new { cmd = "fill", selector = "#reply-evidence", value = "https://cdn.example/receipt.jpg" });
        await browser.Do(new { cmd = "fill", selector = "#reply-sha256", value = new string('c', 64) });
        await browser.Do(new { cmd = "fill", selector = "#reply-type", value = "image/jpeg" });
        await browser.Do(new { cmd = "fill", selector = "#reply-size", value = "2048" });
        await browser.Do(new { cmd = "click", selector = "#reply-form button" });
        await browser.Do(new { cmd = "waitFor", selector = "#timeline li:nth-child(2)" });
        await browser.Do(new { cmd = "select", selector = "#offer-remedy", value = "REMEDY_PARTIAL_REFUND" });
        await browser.Do(new { cmd = "fill", selector = "#offer-amount", value = "64" });
        await browser.Do(new { cmd = "click", selector = "#offer-form button" });
        await browser.Do(new { cmd = "waitFor", selector = "#timeline li:nth-child(3)" });
        await browser.Screenshot("merchant-dispute.png");
        await browser.Do(new { cmd = "click", selector = "a[href=\"#/desk\"]" });
        await browser.Do(new { cmd = "waitFor", selector = $"{row}[data-status=\"DISPUTE_STATUS_NEGOTIATING\"]" });
        var offered = (await s.Merchant.GetDisputeAsync(new GetDisputeRequest { DisputeId = d.DisputeId })).Dispute;
        await s.Channel.RespondToOfferAsync(new RespondToOfferRequest
        {
            RequestId = "accept", DisputeId = d.DisputeId, OfferId = offered.CurrentOffer.OfferId, Decision = OfferDecision.Accept,
        });
        await browser.Do(new { cmd = "waitFor", selector = $"{row}[data-status=\"DISPUTE_STATUS_RESOLVED\"]" });
        await browser.Screenshot("merchant-desk.png");
        await browser.Do(new { cmd = "viewport", width = 390, height = 844 });
        await browser.Screenshot("merchant-desk-phone.png");
        var events = await s.EventsAsync(d.DisputeId);

        Assert.Equal("138****1234", maskedOnDesk?.Trim());
        Assert.Equal(6400, offered.CurrentOffer.Amount.MinorUnits);
        Assert.Equal(Remedy.PartialRefund, offered.CurrentOffer.Remedy);
        Assert.Contains(events, e => e.MessagePosted?.Evidence.Any(x => x.Uri == "https://cdn.example/receipt.jpg") == true);
        Assert.Empty(await browser.Errors());
    }

    [Fact]
    public async Task RegulatorDesk_EscalatedDispute_PostsMessageAndRecordsMediationOutcome()
    {
        var s = await Scenario.CreateAsync(gw);
        var d = await s.OpenAsync();
        await s.Merchant.PostMessageAsync(new PostMessageRequest { RequestId = "m", DisputeId = d.DisputeId, Text = "no" });
        await s.Channel.EscalateDisputeAsync(new EscalateDisputeRequest { RequestId = "e", DisputeId = d.DisputeId, Note = "not satisfied" });
        await using var browser = await Browser.StartAsync();

        await browser.SignInAsync(gw.HttpAddress, await gw.KeyAsync(CredentialRole.Regulator, "3301"));
        var row = $"tr[data-dispute-id=\"{d.DisputeId}\"]";
        await browser.Do(new { cmd = "waitFor", selector = row });
        await browser.Do(new { cmd = "waitFor", selector = "#region-figures .figure" });
        await browser.Screenshot("regulator-desk.png");
        await browser.Do(new { cmd = "click", selector = $"{row} a" });
        await browser.Do(new { cmd = "waitFor", selector = "#timeline li:nth-child(3)" });
        await browser.Do(new { cmd = "fill", selector = "#reply-text", value = "请双方于周五前提交材料。" });
        await browser.Do(new { cmd = "click", selector = "#reply-form button" });
        await browser.Do(new { cmd = "waitFor", selector = "#timeline li:nth-child(4)" });
        await browser.Do(new { cmd = "select", selector = "#outcome", value = "OUTCOME_RESOLVED_BY_MEDIATION" });
        await browser.Do(new { cmd = "fill", selector = "#outcome-note", value = "refund agreed" });
        await browser.Do(new { cmd = "click", selector = "#outcome-form button" });
        await browser.Do(new { cmd = "waitFor", selector = "#dispute[data-status=\"DISPUTE_STATUS_RESOLVED\"]" });
        await browser.Screenshot("regulator-dispute.png");
        var after = (await s.Hangzhou.GetDisputeAsync(new GetDisputeRequest { DisputeId = d.DisputeId })).Dispute;

        Assert.Equal(DisputeStatus.Resolved, after.Status);
        Assert.Equal(Outcome.ResolvedByMediation, after.Outcome);
        Assert.Contains(await s.EventsAsync(d.DisputeId), e => e.MessagePosted?.Text == "请双方于周五前提交材料。");
        Assert.Empty(await browser.Errors());
    }

    [Fact]
    public async Task Dashboard_MerchantFilter_FiguresEqualGetResolutionStats()
    {
        var s = await Scenario.CreateAsync(gw);
        await s.OpenAsync();
        var (d, _) = await s.OpenWithOfferAsync();
        await s.Merchant.AcceptDemandAsync(new AcceptDemandRequest { RequestId = "a", DisputeId = d.DisputeId });
        await s.Channel.RateResolutionAsync(new RateResolutionRequest { RequestId = "r", DisputeId = d.DisputeId, Rating = 4 });
        var beijing = s.Now.ToOffset(TimeSpan.FromHours(8));
        var filter = new ReportFilter
        {
            MerchantId = s.MerchantId,
            FromDate = beijing.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ToDate = beijing.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        await using var browser = await Browser.StartAsync();

        await browser.SignInAsync(gw.HttpAddress, await gw.KeyAsync(CredentialRole.Analyst, ""));
        await browser.Do(new { cmd = "waitFor", selector = "#figures .figure" });
        await browser.Do(new { cmd = "fill", selector = "#f-from", value = filter.FromDate });
        await browser.Do(new { cmd = "fill", selector = "#f-to", value = filter.ToDate });
        await browser.Do(new { cmd = "fill", selector = "#f-merchant", value = filter.MerchantId });
        await browser.Do(new { cmd = "click", selector = "#f-apply" });
        await browser.Do(new { cmd = "waitFor", selector = $"#figures[data-loaded*=\"{filter.MerchantId}\"]" });
        await browser.Screenshot("dashboard.png");
        var expected = (await new ReportingService.ReportingServiceClient(gw.Invoker(gw.AdminToken))
            .GetResolutionStatsAsync(new GetResolutionStatsRequest { Filter = filter })).Total;
        var expectedJson = JsonNode.Parse(JsonFormatter.Default.Format(expected))!.AsObject();
        var figures = new[] { "opened", "negotiationSettlementRate", "resolutionRate", "onTimeFirstResponseRate", "timeToCloseP50Seconds", "timeToCloseP90Seconds", "agreedAmountFen", "averageSatisfaction",
            "caseAcceptanceRate", "mediationOnTimeRate", "acceptedMediationSuccessRate", "settlementOnTimeRate", "reopenRate" };
        var shown = new Dictionary<string, double>();
        foreach (var f in figures)
        {
            shown[f] = double.Parse((await browser.Attr($"[data-figure=\"{f}\"]", "data-value"))!, CultureInfo.InvariantCulture);
        }
        await browser.Do(new { cmd = "select", selector = "#lang", value = "en" });
        var englishTitle = await browser.Text("#view h1");

        Assert.Equal(2, expected.Opened);
        Assert.Equal(4.0, expected.AverageSatisfaction);
        foreach (var f in figures)
        {
            var want = expectedJson[f] is { } v ? double.Parse(v.ToString(), CultureInfo.InvariantCulture) : 0.0;
            Assert.True(Math.Abs(want - shown[f]) < 1e-9, $"{f}: console {shown[f]}, GetResolutionStats {want}");
        }
        Assert.Equal("Dashboard", englishTitle);
        Assert.Empty(await browser.Errors());
    }

    /// <summary>One headless Chromium behind tests/console/bridge.mjs, driven line by line.</summary>
    private sealed class Browser : IAsyncDisposable
    {
        private readonly Process _node;

        private Browser(Process node) => _node = node;

        public static string RepoRoot => Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(TestServers.Script)))!;

        public static async Task<Browser> StartAsync()
        {
            var dir = Path.Combine(RepoRoot, "tests", "console");
            Assert.True(Directory.Exists(Path.Combine(dir, "node_modules", "playwright-core")),
                "playwright-core is not installed: tools/test.sh installs it (npm ci --prefix tests/console), with Debian's chromium");
            var psi = new ProcessStartInfo("node", "bridge.mjs")
            {
                WorkingDirectory = dir,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = false,
                UseShellExecute = false,
            };
            var browser = new Browser(Process.Start(psi)!);
            Assert.Equal("ready", (await browser.ReadAsync())?.GetValue<string>());
            return browser;
        }

        public async Task SignInAsync(string httpAddress, string token)
        {
            await Do(new { cmd = "goto", url = httpAddress + "/console/" });
            await Do(new { cmd = "fill", selector = "#apikey", value = token });
            await Do(new { cmd = "press", selector = "#apikey", key = "Enter" });
            await Do(new { cmd = "waitFor", selector = "#who[data-role]" });
        }

        public async Task<JsonNode?> Do(object command)
        {
            await _node.StandardInput.WriteLineAsync(JsonSerializer.Serialize(command));
            await _node.StandardInput.FlushAsync();
            return await ReadAsync();
        }

        public async Task<string?> Text(string selector) => (await Do(new { cmd = "text", selector }))?.GetValue<string>();

        public async Task<string?> Attr(string selector, string name) => (await Do(new { cmd = "attr", selector, name }))?.GetValue<string>();

        public async Task<IReadOnlyList<string>> Errors() =>
            (await Do(new { cmd = "errors" }))!.AsArray().Select(e => e!.GetValue<string>()).ToArray();

        public async Task Screenshot(string name)
        {
            var dir = Path.Combine(RepoRoot, "TestResults", "console");
            Directory.CreateDirectory(dir);
            await Do(new { cmd = "screenshot", path = Path.Combine(dir, name) });
        }

        private async Task<JsonNode?> ReadAsync()
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var line = await _node.StandardOutput.ReadLineAsync(cts.Token) ?? throw new InvalidOperationException("the browser bridge exited");
            var answer = JsonNode.Parse(line)!;
            Assert.True(answer["ok"]!.GetValue<bool>(), answer["error"]?.ToString());
            return answer["value"];
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await _node.StandardInput.WriteLineAsync("""{"cmd":"quit"}""");
                await _node.StandardInput.FlushAsync();
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _node.WaitForExitAsync(cts.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
                _node.Kill(entireProcessTree: true);
            }
            _node.Dispose();
        }
    }
}
