using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Infrastructure.Quotas;
using ResolutionGateway.Infrastructure.Redis;
using StackExchange.Redis;

namespace ResolutionGateway.IntegrationTests;

/// <summary>
/// The gateway's Redis connection (<see cref="RedisConnection"/>) while the primary is dead and its
/// replica lives, as in the first seconds of a Sentinel failover: calls must go on without Redis
/// rather than wait for it. A Redis primary and replica of their own, on free ports.
/// </summary>
public sealed class RedisFailoverTests
{
    [Fact]
    public async Task TryAcquire_PrimaryKilledReplicaUp_CountedOnThisNodeWithoutWaitingForTheTimeout()
    {
        // Arrange: primary and replica; the multiplexer sees both, then the primary is killed -9.
        var (primaryPort, replicaPort) = (GatewayProcess.FreePort(), GatewayProcess.FreePort());
        using var primary = StartRedis(primaryPort);
        using var replica = StartRedis(replicaPort, "--replicaof", "127.0.0.1", primaryPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            var options = RedisConnection.Options($"127.0.0.1:{primaryPort},127.0.0.1:{replicaPort}");
            // Ten minutes: a call that waited for Redis instead of failing over to this node's count
            // would outlive the test's own guard below by far.
            options.AsyncTimeout = 600_000;
            options.SyncTimeout = 600_000;
            await GatewayProcess.WaitAsync(() => Answers(primaryPort) && Answers(replicaPort), "both Redis servers answer");
            using var redis = await ConnectionMultiplexer.ConnectAsync(options);
            await GatewayProcess.WaitAsync(() => redis.GetServer("127.0.0.1", primaryPort).IsConnected
                && redis.GetServer("127.0.0.1", replicaPort).IsConnected, "the multiplexer is connected to both");
            using var local = new LocalQuotaLimiter();
            var limiter = new RedisQuotaLimiter(redis, local, NullLogger<RedisQuotaLimiter>.Instance);
            var limits = new QuotaLimits(0.001, 2, 1);
            primary.Kill();
            await primary.WaitForExitAsync();
            await GatewayProcess.WaitAsync(() => !redis.GetServer("127.0.0.1", primaryPort).IsConnected, "the multiplexer sees the primary gone");
            Assert.True(redis.IsConnected); // through the replica: the state that used to hold every call

            // Act
            var calls = Task.Run(async () => (
                Requests: new[]
                {
                    await limiter.TryAcquireRequestAsync("key_failover", limits, CancellationToken.None),
                    await limiter.TryAcquireRequestAsync("key_failover", limits, CancellationToken.None),
                    await limiter.TryAcquireRequestAsync("key_failover", limits, CancellationToken.None),
                },
                Stream: await limiter.TryAcquireStreamAsync("key_failover", limits, CancellationToken.None)));
            var first = await Task.WhenAny(calls, Task.Delay(TimeSpan.FromSeconds(30)));

            // Assert: answered (not left waiting for the 10-minute timeout), by this node's own count.
            Assert.Same(calls, first);
            var (requests, stream) = await calls;
            Assert.Equal([true, true, false], requests.Select(d => d.Allowed));
            Assert.NotNull(stream);
        }
        finally
        {
            foreach (var p in new[] { primary, replica }.Where(p => !p.HasExited))
            {
                p.Kill();
                await p.WaitForExitAsync();
            }
        }
    }

    private static Process StartRedis(int port, params string[] args)
    {
        var lines = new ConcurrentQueue<string>();
        var info = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--dir", Path.GetTempPath(), .. args])
        {
            info.ArgumentList.Add(a);
        }
        var p = Process.Start(info)!;
        p.OutputDataReceived += (_, e) => GatewayProcess.Add(lines, e.Data);
        p.ErrorDataReceived += (_, e) => GatewayProcess.Add(lines, e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private static bool Answers(int port)
    {
        try
        {
            using var c = new System.Net.Sockets.TcpClient();
            c.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}
