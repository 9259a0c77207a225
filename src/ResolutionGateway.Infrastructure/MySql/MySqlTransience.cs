using System.Net.Sockets;
using MySqlConnector;

namespace ResolutionGateway.Infrastructure.MySql;

/// <summary>
/// Which failures of the MySQL store are worth retrying (for a resilience pipeline). Retrying whole
/// store operations is safe: dispute writes are idempotent by request id, directory writes are upserts.
/// </summary>
public static class MySqlTransience
{
    // MariaDB's ER_CONNECTION_KILLED (the server is shutting down or killed the session); not in MySqlErrorCode.
    private const int MariaDbConnectionKilled = 1927;

    /// <summary>
    /// True for deadlocks, lock wait timeouts and too many connections (<see cref="MySqlException.IsTransient"/>),
    /// for failures to reach the server or losing it (connection refused or reset, server shutdown,
    /// network errors, which is how opening a connection fails), and for timeouts.
    /// </summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        MySqlException e => e.IsTransient
            || e.ErrorCode is MySqlErrorCode.UnableToConnectToHost or MySqlErrorCode.ServerShutdown
                or MySqlErrorCode.TooManyUserConnections or MySqlErrorCode.ClientInteractionTimeout
            || e.Number == MariaDbConnectionKilled
            || e.InnerException is SocketException or IOException or TimeoutException,
        // A connection that ends inside a reply (the server shutting down) surfaces unwrapped as
        // MySqlEndOfStreamException, an IOException; so do other network failures on an open connection.
        TimeoutException or SocketException or IOException => true,
        _ => false,
    };
}
