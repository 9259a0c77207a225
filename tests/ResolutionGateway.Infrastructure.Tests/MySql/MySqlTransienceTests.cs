using System.Data;
using Dapper;
using MySqlConnector;
using ResolutionGateway.Infrastructure.MySql;
using ResolutionGateway.Infrastructure.Tests.TestSupport;

namespace ResolutionGateway.Infrastructure.Tests.MySql;

/// <summary>Which real MariaDB failures the resilience pipeline may retry.</summary>
[Collection(MySqlCollection.Name)]
public sealed class MySqlTransienceTests(MySqlStoreFixture fixture)
{
    [Fact]
    public async Task IsTransient_ConnectionRefused_True()
    {
        using var closed = ClosedPort.Reserve();
        var builder = new MySqlConnectionStringBuilder(fixture.ConnectionString) { Port = (uint)closed.Port, ConnectionTimeout = 3 };
        await using var source = new MySqlDataSource(builder.ConnectionString);

        var e = await Assert.ThrowsAsync<MySqlException>(async () => await source.OpenConnectionAsync());

        Assert.Equal(MySqlErrorCode.UnableToConnectToHost, e.ErrorCode);
        Assert.True(MySqlTransience.IsTransient(e));
    }

    [Fact]
    public async Task IsTransient_WrongPassword_False()
    {
        var builder = new MySqlConnectionStringBuilder(fixture.ConnectionString) { Password = "wrong" };
        await using var source = new MySqlDataSource(builder.ConnectionString);

        var e = await Assert.ThrowsAsync<MySqlException>(async () => await source.OpenConnectionAsync());

        Assert.Equal(MySqlErrorCode.AccessDenied, e.ErrorCode);
        Assert.False(MySqlTransience.IsTransient(e));
    }

    [Fact]
    public async Task IsTransient_Deadlock_True()
    {
        await using var c1 = await fixture.DataSource.OpenConnectionAsync();
        await using var c2 = await fixture.DataSource.OpenConnectionAsync();
        await using var t1 = await c1.BeginTransactionAsync(IsolationLevel.ReadCommitted);
        await using var t2 = await c2.BeginTransactionAsync(IsolationLevel.ReadCommitted);
        const string Lock = "SELECT last_position FROM feed_partitions WHERE partition_no = @P FOR UPDATE";
        await c1.ExecuteScalarAsync<long>(Lock, new { P = 14 }, t1);
        await c2.ExecuteScalarAsync<long>(Lock, new { P = 15 }, t2);

        var first = c1.ExecuteScalarAsync<long>(Lock, new { P = 15 }, t1);
        await Task.Delay(200);
        var second = c2.ExecuteScalarAsync<long>(Lock, new { P = 14 }, t2);
        var error = await Record.ExceptionAsync(() => Task.WhenAll(first, second));

        var e = Assert.IsType<MySqlException>(error);
        Assert.Equal(MySqlErrorCode.LockDeadlock, e.ErrorCode);
        Assert.True(MySqlTransience.IsTransient(e));
    }

    [Fact]
    public async Task IsTransient_DuplicateKey_False()
    {
        await using var c = await fixture.DataSource.OpenConnectionAsync();

        var e = await Assert.ThrowsAsync<MySqlException>(() => c.ExecuteAsync("INSERT INTO feed_partitions VALUES (0, 0)"));

        Assert.Equal(MySqlErrorCode.DuplicateKeyEntry, e.ErrorCode);
        Assert.False(MySqlTransience.IsTransient(e));
    }

    [Fact]
    public void IsTransient_NonDatabaseErrors_OnlyTimeoutsAndSocketErrors()
    {
        Assert.True(MySqlTransience.IsTransient(new TimeoutException()));
        Assert.True(MySqlTransience.IsTransient(new System.Net.Sockets.SocketException()));
        Assert.False(MySqlTransience.IsTransient(new InvalidOperationException()));
        Assert.False(MySqlTransience.IsTransient(new OperationCanceledException()));
    }
}
