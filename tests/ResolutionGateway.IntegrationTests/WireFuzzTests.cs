using System.Collections.Concurrent;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Health.V1;
using ResolutionGateway.Contracts.V1;
using Xunit.Abstractions;

namespace ResolutionGateway.IntegrationTests;

/// <summary>
/// The wire-level fuzzer against the real app (Kestrel, HTTP/2, embedded store): every RPC of every
/// service (reflection's bidirectional stream aside), sent by each role and by no one. The test
/// command runs a bounded smoke (RG_FUZZ_CALLS, 20,000 by default); a longer run is
/// <c>RG_FUZZ_CALLS=500000 RG_FUZZ_SEED=7 dotnet test tests/ResolutionGateway.IntegrationTests --no-build --filter FullyQualifiedName~WireFuzz</c>.
/// </summary>
public sealed class WireFuzzTests(GatewayFixture gw, ITestOutputHelper output) : IClassFixture<GatewayFixture>
{
    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(b => b, b => b);

    [Fact]
    public async Task AnyRpc_MalformedOrBrokenRequests_NoInternalUnknownStateChangeOrErrorLog()
    {
        // Arrange: a world with one dispute, a key per role, and the state the fuzz must not change.
        var s = await Scenario.CreateAsync(gw);
        var dispute = (await s.Channel.OpenDisputeAsync(s.OpenRequest())).Dispute;
        string?[] tokens =
        [
            null, "not-a-key", gw.AdminToken, s.ChannelToken, s.MerchantToken,
            await gw.KeyAsync(CredentialRole.Regulator, "3301"), await gw.KeyAsync(CredentialRole.Analyst, ""),
        ];
        var methods = new[] { DisputeService.Descriptor, AdminService.Descriptor, ReportingService.Descriptor, Health.Descriptor }
            .SelectMany(d => d.Methods).Where(m => !m.IsClientStreaming).ToArray();
        var calls = int.Parse(Environment.GetEnvironmentVariable("RG_FUZZ_CALLS") ?? "20000");
        var seed = int.Parse(Environment.GetEnvironmentVariable("RG_FUZZ_SEED") ?? "13");
        var before = await SnapshotAsync(s, dispute.DisputeId);
        var errorLinesBefore = ErrorLines().Count;
        var invoker = gw.Invoker(null);
        var histogram = new ConcurrentDictionary<StatusCode, int>();
        var defects = new ConcurrentQueue<string>();

        // Act
        await Parallel.ForEachAsync(Enumerable.Range(0, calls), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            var method = methods[i % methods.Length];
            var token = tokens[i / methods.Length % tokens.Length];
            var request = new WireFuzzer(unchecked(seed * 1_000_003 + i)).Next(method.InputType);
            var (code, fields) = await CallAsync(invoker, method, token, request.Payload);
            histogram.AddOrUpdate(code, 1, (_, n) => n + 1);
            if (code is StatusCode.Internal or StatusCode.Unknown)
            {
                defects.Enqueue($"{method.FullName} {request.Case} as {Role(token)}: {code}");
            }
            else if (request.ExpectedField is { } field && (code != StatusCode.InvalidArgument || !fields.Contains(field)))
            {
                defects.Enqueue($"{method.FullName} {request.Case} in {field}: {code} naming [{string.Join(", ", fields)}]");
            }
        });

        // Assert
        output.WriteLine($"{calls} calls over {methods.Length} RPCs, seed {seed}: "
            + string.Join(", ", histogram.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value}")));
        Assert.Empty(defects.Take(20));
        Assert.DoesNotContain(StatusCode.Internal, histogram.Keys);
        Assert.DoesNotContain(StatusCode.Unknown, histogram.Keys);
        Assert.Equal(before, await SnapshotAsync(s, dispute.DisputeId));
        Assert.Empty(ErrorLines().Skip(errorLinesBefore).Take(5));
    }

    [Fact]
    public async Task OpenDispute_InvalidUtf8InNestedString_InvalidArgumentNamingFieldWithoutErrorLog()
    {
        // Arrange: a valid request whose second line item's name is not UTF-8.
        var s = await Scenario.CreateAsync(gw);
        var r = s.OpenRequest();
        r.Order.LineItems.Add(new LineItem { Sku = "b", Name = "\u0001marker\u0001", Quantity = 1 });
        var bytes = Google.Protobuf.MessageExtensions.ToByteArray(r);
        var at = IndexOf(bytes, "\u0001marker\u0001"u8.ToArray());
        bytes[at] = 0xFF;
        var errorLinesBefore = ErrorLines().Count;

        // Act
        var (code, fields) = await CallAsync(gw.Invoker(null), DisputeService.Descriptor.FindMethodByName("OpenDispute"), s.ChannelToken, bytes);

        // Assert
        Assert.Equal(StatusCode.InvalidArgument, code);
        Assert.Equal([$"order.line_items[{r.Order.LineItems.Count - 1}].name"], fields);
        Assert.Empty(ErrorLines().Skip(errorLinesBefore));
        Assert.Empty((await s.Channel.ListDisputesAsync(new ListDisputesRequest { ConsumerRef = "c-1" })).Disputes);
    }

    [Fact]
    public async Task ResolveRegionPolicy_OpenTimeOutOfRange_InvalidArgumentNamingField()
    {
        // Arrange: year 10000.
        var request = new ResolveRegionPolicyRequest { RegionCode = "330106", OpenTime = new Timestamp { Seconds = 253_402_300_800 } };

        // Act
        var e = await RpcAssert.FailsWith(StatusCode.InvalidArgument, () => gw.Admin().ResolveRegionPolicyAsync(request).ResponseAsync);

        // Assert
        Assert.Equal(["open_time"], RpcAssert.Fields(e));
    }

    [Fact]
    public async Task WatchDisputes_ClientCancels_LoggedAsCancelledNotError()
    {
        // Arrange: a stream that has delivered one event.
        var s = await Scenario.CreateAsync(gw);
        await s.Channel.OpenDisputeAsync(s.OpenRequest());
        var errorLinesBefore = ErrorLines().Count;
        using var cts = new CancellationTokenSource();
        using var call = s.Channel.WatchDisputes(new WatchDisputesRequest(), cancellationToken: cts.Token);
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));

        // Act
        await cts.CancelAsync();
        var e = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        // Assert: the server's call log line says Cancelled (waiting for it, the server ends the call on its own time).
        Assert.Equal(StatusCode.Cancelled, e.StatusCode);
        for (var i = 0; i < 100 && !gw.Logs.Any(l => l.Contains("/WatchDisputes Cancelled", StringComparison.Ordinal)); i++)
        {
            await Task.Delay(50);
        }
        Assert.Contains(gw.Logs, l => l.Contains("/WatchDisputes Cancelled", StringComparison.Ordinal));
        Assert.Empty(ErrorLines().Skip(errorLinesBefore));
    }

    private static async Task<(StatusCode Code, string[] Fields)> CallAsync(CallInvoker invoker, MethodDescriptor m, string? token, byte[] payload)
    {
        var headers = new Metadata();
        if (token is not null)
        {
            headers.Add("authorization", "Bearer " + token);
        }
        try
        {
            if (m.IsServerStreaming)
            {
                // A well-formed watch streams until its deadline: DEADLINE_EXCEEDED is its success.
                var method = new Method<byte[], byte[]>(MethodType.ServerStreaming, m.Service.FullName, m.Name, Raw, Raw);
                using var call = invoker.AsyncServerStreamingCall(method, null, new CallOptions(headers, DateTime.UtcNow.AddMilliseconds(300)), payload);
                while (await call.ResponseStream.MoveNext(CancellationToken.None))
                {
                }
            }
            else
            {
                var method = new Method<byte[], byte[]>(MethodType.Unary, m.Service.FullName, m.Name, Raw, Raw);
                await invoker.AsyncUnaryCall(method, null, new CallOptions(headers, DateTime.UtcNow.AddSeconds(30)), payload);
            }
            return (StatusCode.OK, []);
        }
        catch (RpcException e)
        {
            var badRequest = e.GetRpcStatus()?.GetDetail<Google.Rpc.BadRequest>();
            return (e.StatusCode, badRequest?.FieldViolations.Select(v => v.Field).ToArray() ?? []);
        }
    }

    // Everything a malformed call could have changed, as text: keys, disputes, the dispute's event log, webhooks, policies, calendars, statistics.
    private async Task<string> SnapshotAsync(Scenario s, string disputeId)
    {
        var admin = gw.Admin();
        var reporting = new ReportingService.ReportingServiceClient(gw.Invoker(gw.AdminToken));
        Google.Protobuf.IMessage[] parts =
        [
            await admin.ListApiKeysAsync(new ListApiKeysRequest { IncludeRevoked = true }),
            await s.AdminReader.ListDisputesAsync(new ListDisputesRequest { PageSize = 100 }),
            await s.AdminReader.ListDisputeEventsAsync(new ListDisputeEventsRequest { DisputeId = disputeId }),
            await admin.ListWebhookEndpointsAsync(new ListWebhookEndpointsRequest()),
            await admin.ListRegionPoliciesAsync(new ListRegionPoliciesRequest()),
            await admin.ListWorkingCalendarsAsync(new ListWorkingCalendarsRequest()),
            await reporting.GetResolutionStatsAsync(new GetResolutionStatsRequest
            {
                Filter = new ReportFilter { FromDate = s.Now.AddDays(-2).ToString("yyyy-MM-dd"), ToDate = s.Now.AddDays(2).ToString("yyyy-MM-dd") },
            }),
        ];
        return string.Join("\n", parts.Select(p => p.ToString()));
    }

    private List<string> ErrorLines() =>
        gw.Logs.Where(l => l.Split(' ', 3) is [_, "Error" or "Critical", _]).ToList();

    private string Role(string? token) =>
        token is null ? "no key" : token == gw.AdminToken ? "admin" : token == "not-a-key" ? "a wrong key" : "a party";

    private static int IndexOf(byte[] haystack, byte[] needle) =>
        Enumerable.Range(0, haystack.Length - needle.Length + 1).First(i => haystack.AsSpan(i, needle.Length).SequenceEqual(needle));
}
