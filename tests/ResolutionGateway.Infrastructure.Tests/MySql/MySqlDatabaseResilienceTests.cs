using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using MySqlConnector;
using Polly.CircuitBreaker;
using ResolutionGateway.Core.Errors;
using ResolutionGateway.Core.Storage;
using ResolutionGateway.Infrastructure.MySql;
using ResolutionGateway.Infrastructure.Repositories;
using ResolutionGateway.Infrastructure.Resilience;
using ResolutionGateway.Infrastructure.Tests.TestSupport;

namespace ResolutionGateway.Infrastructure.Tests.MySql;

/// <summary>Retries and the breaker inside the MySQL database: a live database passes through, a dead one becomes UNAVAILABLE fast.</summary>
[Collection(MySqlCollection.Name)]
public sealed class MySqlDatabaseResilienceTests(MySqlStoreFixture fixture)
{
    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task CreateAsync_DatabaseUp_PassesThroughToTheStore()
    {
        var store = Resilient(fixture.DataSource);
        var change = Samples.Open("ch-resilient", Samples.Unique("c"), "m-resilient", "330106");
        var request = Samples.OpenRequest(change);

        var created = await store.CreateAsync(change, request, Ct);

        Assert.Equal(CreateOutcome.Created, created.Outcome);
        Assert.Equal(Samples.Json(change.State), Samples.Json((await store.GetAsync(change.State.DisputeId, Ct))!));
        Assert.Equal(request, await store.FindRequestAsync(request.PartyKey, request.RequestId, Ct));
    }

    [Fact]
    public async Task GetAsync_DatabaseUnreachable_ServiceUnavailableWithinSeconds()
    {
        using var closed = ClosedPort.Reserve();
        await using var dead = DeadDataSource(closed.Port);
        var store = Resilient(dead);
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<ServiceUnavailableException>(() => store.GetAsync("dsp_any", Ct));

        clock.Stop();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        // Retried, then given up on: the cause is the refused connection, not an open breaker.
        var cause = Assert.IsType<MySqlException>(e.Cause);
        Assert.Equal(MySqlErrorCode.UnableToConnectToHost, cause.ErrorCode);
    }

    [Fact]
    public async Task GetAsync_DatabaseStaysUnreachable_BreakerOpensAndCallsFailFast()
    {
        using var closed = ClosedPort.Reserve();
        await using var dead = DeadDataSource(closed.Port);
        var store = Resilient(dead);
        // Fail until the breaker has seen enough failures to open (each call is several attempts).
        var opened = false;
        for (var call = 0; call < 5 && !opened; call++)
        {
            var e = await Assert.ThrowsAsync<ServiceUnavailableException>(() => store.GetAsync("dsp_any", Ct));
            opened = e.Cause is BrokenCircuitException;
        }
        Assert.True(opened, "the breaker did not open after 5 failed calls");

        var times = new List<TimeSpan>();
        var causes = new List<Exception?>();
        for (var call = 0; call < 5; call++)
        {
            var clock = Stopwatch.StartNew();
            var e = await Assert.ThrowsAsync<ServiceUnavailableException>(() => store.ReadFeedHeadAsync(Ct));
            times.Add(clock.Elapsed);
            causes.Add(e.Cause);
        }

        Assert.All(times, t => Assert.True(t < TimeSpan.FromMilliseconds(100), $"took {t}"));
        Assert.All(causes, c => Assert.IsType<BrokenCircuitException>(c));
    }

    private static DisputeRepository Resilient(MySqlDataSource source)
    {
        var database = new MySqlDatabase(source, NullLogger<MySqlDatabase>.Instance, TimeProvider.System,
            new StorageResilience(NullLogger<StorageResilience>.Instance, TimeProvider.System));
        return new(database, TestKeys.For(database));
    }

    // The fixture's server and credentials, on a port nothing listens on; the connect timeout is
    // production's, in case the refusal ever turns into silence.
    private MySqlDataSource DeadDataSource(int port) =>
        new MySqlOptions
        {
            ConnectionString = new MySqlConnectionStringBuilder(fixture.ConnectionString) { Port = (uint)port, ConnectionTimeout = 3 }.ConnectionString,
        }.CreateDataSource();
}
