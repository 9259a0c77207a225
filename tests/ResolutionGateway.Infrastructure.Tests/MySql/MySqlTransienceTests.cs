using System.Data;
using Dapper;
using MySqlConnector;
using ResolutionGateway.Infrastructure.MySql;
using ResolutionGateway.Infrastructure.Tests.TestSupport;

namespace ResolutionGateway.Infrastructure.Tests.MySql;

/// <summary>Which real MariaDB failures the resilience pipeline may retry.</summary>
[Collection(MySqlCollection.Name)]
public sealed class MySqlTransienceTests(MySqlStoreFixture fixture, Xunit.Abstractions.ITestOutputHelper output)
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
    public async Task IsTransient_ConnectionClosedBeforeReply_True()
    {
        // What a client saw while MariaDB shut down (seen in FailoverTests): an open connection is
        // closed before the reply to BEGIN, and MySqlConnector throws a bare MySqlEndOfStreamException.
        var target = new MySqlConnectionStringBuilder(fixture.ConnectionString);
        await using var proxy = await CuttingProxy.StartAsync((int)target.Port);
        var builder = new MySqlConnectionStringBuilder(fixture.ConnectionString) { Port = (uint)proxy.Port, Pooling = false };
        await using var c = new MySqlConnection(builder.ConnectionString);
        await c.OpenAsync();

        proxy.CutOnNextCommand();
        var e = await Record.ExceptionAsync(async () => await c.BeginTransactionAsync(IsolationLevel.ReadCommitted));

        Assert.NotNull(e);
        output.WriteLine($"{e.GetType().FullName}: {e.Message} (inner {e.InnerException?.GetType().Name})");
        Assert.IsAssignableFrom<EndOfStreamException>(e);
        Assert.True(MySqlTransience.IsTransient(e), $"{e.GetType().Name} should be transient");
    }

    [Theory]
    [InlineData(1047)] // Galera: the node is not ready (joining, donor, non-primary)
    [InlineData(1213)] // a certification conflict, reported as a deadlock, also at COMMIT
    [InlineData(1205)] // a lock wait timeout while a node leaves the cluster
    public async Task IsTransient_GaleraErrorFromServer_True(int number)
    {
        // The server raises the error number a Galera node sends, so the exception is the one
        // MySqlConnector builds from a real error packet.
        await using var source = new MySqlDataSource(fixture.ConnectionString);
        await using var c = await source.OpenConnectionAsync();

        var e = await Assert.ThrowsAsync<MySqlException>(async () =>
            await c.ExecuteAsync($"SIGNAL SQLSTATE '08S01' SET MYSQL_ERRNO = {number}, MESSAGE_TEXT = 'galera'"));

        Assert.Equal(number, e.Number);
        Assert.True(MySqlTransience.IsTransient(e));
    }

    [Fact]
    public async Task IsTransient_DuplicateKeyFromServer_False()
    {
        await using var source = new MySqlDataSource(fixture.ConnectionString);
        await using var c = await source.OpenConnectionAsync();

        var e = await Assert.ThrowsAsync<MySqlException>(async () =>
            await c.ExecuteAsync("SIGNAL SQLSTATE '23000' SET MYSQL_ERRNO = 1062, MESSAGE_TEXT = 'duplicate'"));

        Assert.False(MySqlTransience.IsTransient(e));
    }

    /// <summary>A loopback TCP proxy to the test MariaDB that can drop its connection at once.</summary>
    private sealed class CuttingProxy : IAsyncDisposable
    {
        private readonly System.Net.Sockets.TcpListener _listener = new(System.Net.IPAddress.Loopback, 0);
        private readonly List<System.Net.Sockets.Socket> _sockets = [];
        private Task _pump = Task.CompletedTask;
        private volatile bool _cutOnNextCommand;

        public int Port => ((System.Net.IPEndPoint)_listener.LocalEndpoint).Port;

        public static Task<CuttingProxy> StartAsync(int targetPort)
        {
            var proxy = new CuttingProxy();
            proxy._listener.Start();
            proxy._pump = Task.Run(async () =>
            {
                var client = await proxy._listener.AcceptSocketAsync();
                var server = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                await server.ConnectAsync(System.Net.IPAddress.Loopback, targetPort);
                lock (proxy._sockets)
                {
                    proxy._sockets.AddRange([client, server]);
                }
                await Task.WhenAny(proxy.CopyAsync(client, server, fromClient: true), proxy.CopyAsync(server, client, fromClient: false));
            });
            return Task.FromResult(proxy);
        }

        /// <summary>The next bytes the client sends are not forwarded: the connection is closed instead.</summary>
        public void CutOnNextCommand() => _cutOnNextCommand = true;

        public void Cut()
        {
            lock (_sockets)
            {
                // An orderly FIN, as a server that shuts down sends, not a reset.
                foreach (var s in _sockets)
                {
                    try
                    {
                        s.Shutdown(System.Net.Sockets.SocketShutdown.Both);
                    }
                    catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException)
                    {
                    }
                    s.Close();
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            Cut();
            _listener.Stop();
            await Task.WhenAny(_pump, Task.Delay(1000));
        }

        private async Task CopyAsync(System.Net.Sockets.Socket from, System.Net.Sockets.Socket to, bool fromClient)
        {
            var buffer = new byte[16384];
            try
            {
                int n;
                while ((n = await from.ReceiveAsync(buffer)) > 0)
                {
                    if (fromClient && _cutOnNextCommand)
                    {
                        Cut();
                        return;
                    }
                    await to.SendAsync(buffer.AsMemory(0, n));
                }
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException)
            {
            }
        }
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
    public void IsTransient_NonDatabaseErrors_OnlyTimeoutsAndNetworkErrors()
    {
        Assert.True(MySqlTransience.IsTransient(new TimeoutException()));
        Assert.True(MySqlTransience.IsTransient(new System.Net.Sockets.SocketException()));
        Assert.True(MySqlTransience.IsTransient(new EndOfStreamException()));
        Assert.False(MySqlTransience.IsTransient(new InvalidOperationException()));
        Assert.False(MySqlTransience.IsTransient(new OperationCanceledException()));
    }
}
