using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ResolutionGateway.Core.UseCases;
using ResolutionGateway.Infrastructure.Webhooks;

namespace ResolutionGateway.IntegrationTests;

/// <summary>
/// Two gateway nodes sharing one store and one hand-driven clock, both running the deadline worker
/// and the webhook dispatcher, plus a real HTTP receiver for webhooks. The clock starts on Friday
/// 2026-09-25 10:00 China time, the last working day before the Mid-Autumn and National Day holidays.
/// </summary>
public abstract class ClockedNodes : IAsyncLifetime
{
    /// <summary>Friday 2026-09-25 10:00 (UTC+8).</summary>
    public static readonly DateTimeOffset Start = new(2026, 9, 25, 2, 0, 0, TimeSpan.Zero);

    /// <summary>Fast polling so tests wait milliseconds, not seconds, after moving the clock.</summary>
    protected static readonly string[] Args =
    [
        "--Deadlines:PollInterval=00:00:00.100",
        "--Webhooks:AllowHttp=true",
        "--Webhooks:PollInterval=00:00:00.100",
        "--Webhooks:AttemptTimeout=00:00:02",
        "--Policies:RefreshInterval=00:00:00.200",
    ];

    public FakeTimeProvider Time { get; } = new(Start);

    public WebhookReceiver Receiver { get; } = new();

    public GatewayFixture A { get; protected set; } = null!;

    public GatewayFixture B { get; protected set; } = null!;

    /// <summary>Creates and starts both nodes.</summary>
    protected abstract Task StartNodesAsync();

    public async Task InitializeAsync()
    {
        await Receiver.StartAsync();
        await StartNodesAsync();
        B.AdminToken = A.AdminToken;
    }

    public async Task DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync();
        await Receiver.DisposeAsync();
    }

    /// <summary>Moves the clock and wakes both nodes' workers (they also poll every 100 ms on their own).</summary>
    public void Advance(TimeSpan by)
    {
        Time.Advance(by);
        foreach (var node in new[] { A, B })
        {
            node.Services.GetRequiredService<WebhookDispatcher>().Wake();
        }
    }

    /// <summary>Runs both nodes' deadline passes at the same moment (on top of their background workers).</summary>
    public Task RaceDeadlinePassesAsync() => Task.WhenAll(
        A.Services.GetRequiredService<DeadlineEnforcer>().RunDueAsync(1000, CancellationToken.None),
        B.Services.GetRequiredService<DeadlineEnforcer>().RunDueAsync(1000, CancellationToken.None));

    /// <summary>
    /// Polls until <paramref name="condition"/> holds; fails with <paramref name="what"/> and the
    /// nodes' recent warnings after <paramref name="limit"/> (default 20 s).
    /// </summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                var problems = A.Logs.Concat(B.Logs).Where(l => l.Contains(" Warning ", StringComparison.Ordinal) || l.Contains(" Error ", StringComparison.Ordinal)).TakeLast(20);
                Assert.Fail($"timed out waiting until {what}; recent warnings:\n{string.Join("\n", problems)}");
            }
            await Task.Delay(50);
        }
    }
}

/// <summary>Two nodes on one embedded store file (SQLite serialises their writers).</summary>
public sealed class SqliteClockedNodes : ClockedNodes
{
    protected override async Task StartNodesAsync()
    {
        A = new GatewayFixture(Time, Args);
        await A.InitializeAsync();
        B = new GatewayFixture(Time, Args) { SharedDataDirectory = A.DataDirectory };
        await B.InitializeAsync();
    }
}

/// <summary>Two nodes on one MariaDB database and one Redis.</summary>
public sealed class MySqlClockedNodes : ClockedNodes
{
    protected override async Task StartNodesAsync()
    {
        var a = new MySqlGateway(Time, Args);
        A = a;
        await A.InitializeAsync();
        B = new MySqlGateway(Time, Args) { SharedConnectionString = a.ConnectionString };
        await B.InitializeAsync();
    }
}
