using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Grpc.Core;
using MySqlConnector;
using ResolutionGateway.Contracts.V1;

namespace ResolutionGateway.IntegrationTests;

/// <summary>
/// Personal data at rest through the real app, on each backend: the store's files (SQLite and its
/// WAL) or a mariadb-dump hold neither the consumer's name nor number in any form, and erasure.
/// </summary>
public abstract class PersonalDataTests(GatewayFixture gw)
{
    private ReportingService.ReportingServiceClient Reporting() => new(gw.Invoker(gw.AdminToken));

    [Fact]
    public async Task FullFlow_DistinctiveConsumer_StoreLogsMetricsAndExportHoldNeitherNameNorMobile()
    {
        var s = await Scenario.CreateAsync(gw);
        var (name, mobile) = Distinctive(s);
        var open = s.OpenRequest(consumerRef: "c-" + s.Suffix);
        open.Consumer.Name = name;
        open.Consumer.Mobile = mobile;
        var d = (await s.Channel.OpenDisputeAsync(open)).Dispute;
        var offer = await s.Merchant.MakeOfferAsync(new MakeOfferRequest { RequestId = "o", DisputeId = d.DisputeId, Remedy = Remedy.Repair });
        await s.Channel.RespondToOfferAsync(new RespondToOfferRequest { RequestId = "r", DisputeId = d.DisputeId, OfferId = offer.Offer.OfferId, Decision = OfferDecision.Accept });
        var export = await ExportedAsync(s.ChannelId, 1);

        var channelView = (await s.Channel.GetDisputeAsync(new GetDisputeRequest { DisputeId = d.DisputeId })).Dispute;
        var merchantView = (await s.Merchant.GetDisputeAsync(new GetDisputeRequest { DisputeId = d.DisputeId })).Dispute;
        var raw = await RawStoreAsync();
        using var http = new HttpClient();
        var scrape = await http.GetStringAsync(gw.MetricsUrl);

        Assert.Equal((name, mobile), (channelView.Consumer.Name, channelView.Consumer.Mobile));
        Assert.Contains("rg_", scrape, StringComparison.Ordinal); // the scrape holds the gateway's series
        Assert.Equal(mobile[..3] + "****" + mobile[7..], merchantView.Consumer.Mobile);
        Assert.True(IndexOf(raw, Encoding.UTF8.GetBytes(d.DisputeId)) >= 0, "the scan sees the store's rows");
        foreach (var secret in new[] { name, mobile, Ascii(name), "诸葛亮" })
        {
            foreach (var form in Forms(secret))
            {
                Assert.True(IndexOf(raw, form) < 0, $"the store holds a form of a personal field: {Encoding.UTF8.GetString(form)}");
            }
            Assert.DoesNotContain(gw.Logs, l => l.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(secret, export, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, scrape, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task EraseConsumerData_AfterFlows_EveryViewErasedStatisticsEqualRetryNoOp()
    {
        var s = await Scenario.CreateAsync(gw);
        var (name, mobile) = Distinctive(s);
        var consumer = "c-" + s.Suffix;
        var disputes = new List<Dispute>();
        foreach (var order in new[] { "o-1", "o-2" })
        {
            var r = s.OpenRequest(orderId: order + s.Suffix, consumerRef: consumer);
            r.Consumer.Name = name;
            r.Consumer.Mobile = mobile;
            disputes.Add((await s.Channel.OpenDisputeAsync(r)).Dispute);
        }
        var other = await s.OpenAsync(consumerRef: "other-" + s.Suffix);
        var accepted = await s.Merchant.AcceptDemandAsync(new AcceptDemandRequest { RequestId = "a", DisputeId = disputes[0].DisputeId });
        var exportBefore = await ExportedAsync(s.ChannelId, 1);
        var beijing = s.Now.ToOffset(TimeSpan.FromHours(8));
        var filter = new ReportFilter
        {
            ChannelId = s.ChannelId,
            FromDate = beijing.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ToDate = beijing.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        };
        var statsBefore = await Reporting().GetResolutionStatsAsync(new GetResolutionStatsRequest { Filter = filter });
        var request = new EraseConsumerDataRequest { ChannelId = s.ChannelId, ConsumerRef = consumer };

        var first = await gw.Admin().EraseConsumerDataAsync(request);
        var again = await gw.Admin().EraseConsumerDataAsync(request);

        Assert.NotNull(first.EraseTime);
        Assert.Equal(first.EraseTime, again.EraseTime);
        foreach (var d in disputes)
        {
            var get = new GetDisputeRequest { DisputeId = d.DisputeId };
            foreach (var reader in new[] { s.Channel, s.Merchant, s.Hangzhou, s.AdminReader })
            {
                var view = (await reader.GetDisputeAsync(get)).Dispute;
                Assert.Equal(("", "", first.EraseTime), (view.Consumer.Name, view.Consumer.Mobile, view.Consumer.EraseTime));
                Assert.Equal(consumer, view.Consumer.ConsumerRef);
            }
            var events = await s.EventsAsync(d.DisputeId);
            Assert.Equal("", events[0].Opened.Dispute.Consumer.Name);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            using var watch = s.Channel.WatchDispute(new WatchDisputeRequest { DisputeId = d.DisputeId }, cancellationToken: cts.Token);
            Assert.True(await watch.ResponseStream.MoveNext(cts.Token));
            Assert.Equal(("", ""), (watch.ResponseStream.Current.Event.Opened.Dispute.Consumer.Name, watch.ResponseStream.Current.Event.Opened.Dispute.Consumer.Mobile));
        }
        var list = await s.Channel.ListDisputesAsync(new ListDisputesRequest { ConsumerRef = consumer });
        Assert.Equal(2, list.Disputes.Count);
        Assert.All(list.Disputes, x => Assert.Equal(("", ""), (x.Consumer.Name, x.Consumer.Mobile)));
        Assert.DoesNotContain(name, list.ToString(), StringComparison.Ordinal);
        var untouched = (await s.Channel.GetDisputeAsync(new GetDisputeRequest { DisputeId = other.DisputeId })).Dispute.Consumer;
        Assert.Equal(("Li Hua", Scenario.Mobile, null), (untouched.Name, untouched.Mobile, untouched.EraseTime));
        Assert.Equal(statsBefore, await Reporting().GetResolutionStatsAsync(new GetResolutionStatsRequest { Filter = filter }));
        Assert.Equal(exportBefore, await ExportedAsync(s.ChannelId, 1));
        Assert.Equal(DisputeStatus.Resolved, accepted.Dispute.Status);
        var audit = await gw.Admin().ListAuditEventsAsync(new ListAuditEventsRequest { KeyId = (await gw.Admin().GetCallerAsync(new GetCallerRequest())).KeyId });
        Assert.Contains(audit.Events, e => e.Rpc == "/resolution.v1.AdminService/EraseConsumerData" && e.ObjectId == s.ChannelId + "/" + consumer && e.Kind == AuditKind.AdminAction);
    }

    [Fact]
    public async Task CreateAndRotateWebhookSecret_StoreHoldsNeitherSecretInAnyForm()
    {
        var s = await Scenario.CreateAsync(gw);
        var created = await gw.Admin().CreateWebhookEndpointAsync(new CreateWebhookEndpointRequest
        {
            OwnerKind = WebhookOwnerKind.Channel,
            OwnerId = s.ChannelId,
            Url = "https://hooks.example.com/rg/" + s.Suffix,
        });
        var rotated = await gw.Admin().RotateWebhookSecretAsync(new RotateWebhookSecretRequest { EndpointId = created.Endpoint.EndpointId });

        var raw = await RawStoreAsync();

        Assert.True(IndexOf(raw, Encoding.UTF8.GetBytes(created.Endpoint.EndpointId)) >= 0, "the scan sees the endpoint's row");
        foreach (var secret in new[] { created.Secret, rotated.Secret })
        {
            Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
            foreach (var form in Forms(secret).Concat(Forms(secret["whsec_".Length..])))
            {
                Assert.True(IndexOf(raw, form) < 0, $"the store holds a form of a webhook secret: {Encoding.UTF8.GetString(form)}");
            }
            Assert.DoesNotContain(gw.Logs, l => l.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task EraseConsumerData_BadCallers_ClearStatusAndNothingErased()
    {
        var s = await Scenario.CreateAsync(gw);
        var d = await s.OpenAsync(consumerRef: "keep-" + s.Suffix);
        var admin = gw.Admin();

        await RpcAssert.FailsWith(StatusCode.PermissionDenied, () =>
            new AdminService.AdminServiceClient(gw.Invoker(s.ChannelToken)).EraseConsumerDataAsync(
                new EraseConsumerDataRequest { ChannelId = s.ChannelId, ConsumerRef = "keep-" + s.Suffix }).ResponseAsync);
        var missing = await RpcAssert.FailsWith(StatusCode.InvalidArgument, () =>
            admin.EraseConsumerDataAsync(new EraseConsumerDataRequest { ChannelId = s.ChannelId }).ResponseAsync);
        await RpcAssert.FailsWith(StatusCode.NotFound, () =>
            admin.EraseConsumerDataAsync(new EraseConsumerDataRequest { ChannelId = s.ChannelId, ConsumerRef = "nobody-" + s.Suffix }).ResponseAsync);

        Assert.Contains("consumer_ref", RpcAssert.Fields(missing));
        Assert.Equal("Li Hua", (await s.Channel.GetDisputeAsync(new GetDisputeRequest { DisputeId = d.DisputeId })).Dispute.Consumer.Name);
    }

    // A name (ASCII and Chinese) and a number no other test uses.
    private static (string Name, string Mobile) Distinctive(Scenario s) =>
        ("诸葛亮 Kongming" + s.Suffix, "1390" + RandomNumberGenerator.GetInt32(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static string Ascii(string s) => new string(s.Where(char.IsAscii).ToArray()).Trim();

    // Plain UTF-8, JSON's \u escapes, hex (either case) and base64 at each of the three alignments.
    private static IEnumerable<byte[]> Forms(string secret)
    {
        var utf8 = Encoding.UTF8.GetBytes(secret);
        yield return utf8;
        var escaped = string.Concat(secret.Select(c => c < 128 ? c.ToString() : $"\\u{(int)c:x4}"));
        yield return Encoding.ASCII.GetBytes(escaped);
        yield return Encoding.ASCII.GetBytes(escaped.ToUpperInvariant().Replace("\\U", "\\u", StringComparison.Ordinal));
        yield return Encoding.ASCII.GetBytes(Convert.ToHexStringLower(utf8));
        yield return Encoding.ASCII.GetBytes(Convert.ToHexString(utf8));
        for (var pad = 0; pad < 3; pad++)
        {
            // The characters that depend on the secret alone: after the padding's, before the last group.
            var b64 = Convert.ToBase64String(new byte[pad].Concat(utf8).ToArray());
            var start = pad == 0 ? 0 : 4;
            var end = b64.Length - 4;
            if (end - start >= 8)
            {
                yield return Encoding.ASCII.GetBytes(b64[start..end]);
            }
        }
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);

    // Everything the store holds: the SQLite file with its WAL, or a mariadb-dump of the database.
    private async Task<byte[]> RawStoreAsync()
    {
        if (gw is MySqlGateway mysql)
        {
            var cs = new MySqlConnectionStringBuilder(mysql.ConnectionString);
            var dump = Process.Start(new ProcessStartInfo("mariadb-dump",
                ["--host", cs.Server, "--port", cs.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--user", cs.UserID, "--password=" + cs.Password, "--skip-extended-insert", cs.Database])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            using var output = new MemoryStream();
            var copy = dump.StandardOutput.BaseStream.CopyToAsync(output);
            var errors = dump.StandardError.ReadToEndAsync();
            await dump.WaitForExitAsync();
            await copy;
            Assert.True(dump.ExitCode == 0, "mariadb-dump failed: " + await errors);
            return output.ToArray();
        }
        var all = new MemoryStream();
        foreach (var file in Directory.GetFiles(gw.DataDirectory))
        {
            await using var f = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            await f.CopyToAsync(all);
        }
        return all.ToArray();
    }

    // The channel's exported outcome records as JSON, once at least `atLeast` are positioned.
    private async Task<string> ExportedAsync(string channelId, int atLeast)
    {
        var records = new List<string>();
        for (var waited = 0; waited < 50; waited++)
        {
            records.Clear();
            using var call = Reporting().ExportOutcomes(new ExportOutcomesRequest { Filter = new ReportFilter { ChannelId = channelId } });
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                records.Add(JsonFormatter.Default.Format(call.ResponseStream.Current));
            }
            if (records.Count >= atLeast)
            {
                break;
            }
            await Task.Delay(100);
        }
        Assert.True(records.Count >= atLeast, "the outcome records were not exported");
        return string.Join("\n", records);
    }
}

[Collection(GatewayCollection.Name)] public sealed class PersonalDataOnSqlite(GatewayFixture gw) : PersonalDataTests(gw);
[Collection(MySqlCollection.Name)] public sealed class PersonalDataOnMySql(MySqlGateway gw) : PersonalDataTests(gw);
