using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using ResolutionGateway.Core.Security;
using ResolutionGateway.Infrastructure.Quotas;
using ResolutionGateway.Infrastructure.Redis;
using StackExchange.Redis;

namespace ResolutionGateway.IntegrationTests;

/// <summary>The Redis quota limiter against the real Redis (RG_REDIS), and against a Redis that is not there.</summary>
public sealed class QuotaLimiterTests
{
    [Fact]
    public async Task TryAcquireRequestAsync_TwoNodesOneRedis_ShareOneBucket()
    {
        // Arrange: two nodes (multiplexers and local fallbacks of their own), one key of burst 4.
        using var redisA = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);
        using var redisB = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);
        using var localA = new LocalQuotaLimiter();
        using var localB = new LocalQuotaLimiter();
        var nodeA = new RedisQuotaLimiter(redisA, localA, NullLogger<RedisQuotaLimiter>.Instance);
        var nodeB = new RedisQuotaLimiter(redisB, localB, NullLogger<RedisQuotaLimiter>.Instance);
        var keyId = "key_test" + Guid.NewGuid().ToString("N");
        var limits = new QuotaLimits(0.001, 4, 1);

        // Act: ten calls, alternating between the nodes.
        var allowed = 0;
        for (var i = 0; i < 10; i++)
        {
            var decision = await (i % 2 == 0 ? nodeA : nodeB).TryAcquireRequestAsync(keyId, limits, CancellationToken.None);
            allowed += decision.Allowed ? 1 : 0;
        }

        // Assert: the burst is the key's, not each node's.
        Assert.Equal(4, allowed);
    }

    [Fact]
    public async Task TryAcquireStreamAsync_TwoNodesOneRedis_ShareTheStreamCount()
    {
        // Arrange
        using var redisA = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);
        using var redisB = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);
        using var local = new LocalQuotaLimiter();
        var nodeA = new RedisQuotaLimiter(redisA, local, NullLogger<RedisQuotaLimiter>.Instance);
        var nodeB = new RedisQuotaLimiter(redisB, local, NullLogger<RedisQuotaLimiter>.Instance);
        var keyId = "key_test" + Guid.NewGuid().ToString("N");
        var limits = new QuotaLimits(1000, 1000, 2);

        // Act
        var first = await nodeA.TryAcquireStreamAsync(keyId, limits, CancellationToken.None);
        var second = await nodeB.TryAcquireStreamAsync(keyId, limits, CancellationToken.None);
        var third = await nodeA.TryAcquireStreamAsync(keyId, limits, CancellationToken.None);
        first!.Dispose();
        await redisA.GetDatabase().PingAsync();
        var fourth = await nodeB.TryAcquireStreamAsync(keyId, limits, CancellationToken.None);

        // Assert
        Assert.NotNull(second);
        Assert.Null(third);
        Assert.NotNull(fourth);
    }

    [Fact]
    public async Task TryAcquireStreamAsync_NodeStopsHeartbeating_ItsSlotsFreeWithinTheLease()
    {
        // Arrange: node A takes the key's two slots, then dies (no heartbeat, no release).
        var lease = TimeSpan.FromSeconds(2);
        using var redisA = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);
        using var redisB = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);
        using var localA = new LocalQuotaLimiter();
        using var localB = new LocalQuotaLimiter();
        var nodeA = new RedisQuotaLimiter(redisA, localA, NullLogger<RedisQuotaLimiter>.Instance) { SlotLease = lease };
        var nodeB = new RedisQuotaLimiter(redisB, localB, NullLogger<RedisQuotaLimiter>.Instance) { SlotLease = lease };
        var keyId = "key_test" + Guid.NewGuid().ToString("N");
        var limits = new QuotaLimits(1000, 1000, 2);
        Assert.NotNull(await nodeA.TryAcquireStreamAsync(keyId, limits, CancellationToken.None));
        Assert.NotNull(await nodeA.TryAcquireStreamAsync(keyId, limits, CancellationToken.None));
        var died = Stopwatch.StartNew();

        // Act: node B tries to reconnect a watcher, every 100 ms, for up to twice the lease.
        var refusedWhileAlive = await nodeB.TryAcquireStreamAsync(keyId, limits, CancellationToken.None);
        IDisposable? reconnected = null;
        while (reconnected is null && died.Elapsed < lease * 2)
        {
            await Task.Delay(100);
            reconnected = await nodeB.TryAcquireStreamAsync(keyId, limits, CancellationToken.None);
        }

        // Assert: refused while A's lease ran, given once it ended (within the lease plus a beat of slack).
        Assert.Null(refusedWhileAlive);
        Assert.NotNull(reconnected);
        Assert.True(died.Elapsed >= lease - TimeSpan.FromMilliseconds(200), $"slots freed after {died.Elapsed}, before the lease ended");
        Assert.NotNull(await nodeB.TryAcquireStreamAsync(keyId, limits, CancellationToken.None));
        Assert.Null(await nodeB.TryAcquireStreamAsync(keyId, limits, CancellationToken.None));
    }

    [Fact]
    public async Task HeartbeatAsync_LiveNodePastItsLease_KeepsItsSlots()
    {
        // Arrange: node A holds the key's only slot and heartbeats; its lease is 1 s.
        var lease = TimeSpan.FromSeconds(1);
        using var redisA = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);
        using var redisB = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);
        using var localA = new LocalQuotaLimiter();
        using var localB = new LocalQuotaLimiter();
        var nodeA = new RedisQuotaLimiter(redisA, localA, NullLogger<RedisQuotaLimiter>.Instance) { SlotLease = lease };
        var nodeB = new RedisQuotaLimiter(redisB, localB, NullLogger<RedisQuotaLimiter>.Instance) { SlotLease = lease };
        var keyId = "key_test" + Guid.NewGuid().ToString("N");
        var limits = new QuotaLimits(1000, 1000, 1);
        var held = await nodeA.TryAcquireStreamAsync(keyId, limits, CancellationToken.None);
        // Redis loses the key's count (as after a failover to a replica that had not seen it).
        await redisA.GetDatabase().KeyDeleteAsync("rg:quota:" + keyId + ":slots");

        // Act: three lease lengths of beats, then node B asks.
        for (var i = 0; i < 9; i++)
        {
            await nodeA.HeartbeatAsync(CancellationToken.None);
            await Task.Delay(lease / 3);
        }
        await nodeA.HeartbeatAsync(CancellationToken.None);
        var whileHeld = await nodeB.TryAcquireStreamAsync(keyId, limits, CancellationToken.None);
        held!.Dispose();
        await redisA.GetDatabase().PingAsync();
        var afterRelease = await nodeB.TryAcquireStreamAsync(keyId, limits, CancellationToken.None);

        // Assert: the beats kept (and restored) A's slot; its release freed it at once.
        Assert.NotNull(held);
        Assert.Null(whileHeld);
        Assert.NotNull(afterRelease);
    }

    [Fact]
    public async Task TryAcquireRequestAsync_RedisDown_CountedOnThisNodeWithoutFailing()
    {
        // Arrange: a Redis address where nothing listens.
        using var closed = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        closed.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var options = ConfigurationOptions.Parse($"127.0.0.1:{((IPEndPoint)closed.LocalEndPoint!).Port}");
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 200;
        using var redis = await ConnectionMultiplexer.ConnectAsync(options);
        using var local = new LocalQuotaLimiter();
        var limiter = new RedisQuotaLimiter(redis, local, NullLogger<RedisQuotaLimiter>.Instance);
        var limits = new QuotaLimits(0.001, 3, 1);

        // Act
        var decisions = new List<QuotaDecision>();
        for (var i = 0; i < 10; i++)
        {
            decisions.Add(await limiter.TryAcquireRequestAsync("key_down", limits, CancellationToken.None));
        }
        var stream = await limiter.TryAcquireStreamAsync("key_down", limits, CancellationToken.None);
        var secondStream = await limiter.TryAcquireStreamAsync("key_down", limits, CancellationToken.None);

        // Assert: this node's own count applies: 3 calls, then RetryAfter; one stream.
        Assert.Equal(3, decisions.Count(d => d.Allowed));
        Assert.All(decisions.Where(d => !d.Allowed), d => Assert.True(d.RetryAfter > TimeSpan.Zero));
        Assert.NotNull(stream);
        Assert.Null(secondStream);
    }
}
