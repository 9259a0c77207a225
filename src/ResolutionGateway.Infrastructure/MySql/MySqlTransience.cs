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

    // Galera's "WSREP has not yet prepared node for application use" (ER_UNKNOWN_COM_ERROR): the node
    // is joining, donating or has lost the primary component, which lasts until it is synced again
    // or the balancer moves the connection to another node. Certification conflicts surface as
    // deadlocks (1213, also at COMMIT) and a node leaving the view as lock wait timeouts (1205): both
    // are already transient for MySqlConnector, and retrying is safe under the request id.
    private const int GaleraNotReady = 1047;

    /// <summary>
    /// True for deadlocks, lock wait timeouts and too many connections (<see cref="MySqlException.IsTransient"/>),
    /// for failures to reach the server or losing it (connection refused or reset, server shutdown,
    /// network errors, which is how opening a connection fails), for a Galera node that is not ready
    /// (1047), and for timeouts.
    /// </summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        MySqlException e => e.IsTransient
            || e.ErrorCode is MySqlErrorCode.UnableToConnectToHost or MySqlErrorCode.ServerShutdown
                or MySqlErrorCode.TooManyUserConnections or MySqlErrorCode.ClientInteractionTimeout
            || e.Number is MariaDbConnectionKilled or GaleraNotReady
            || e.InnerException is SocketException or IOException or TimeoutException,
        // A connection that ends inside a reply (the server shutting down) surfaces unwrapped as
        // MySqlEndOfStreamException, an IOException; so do other network failures on an open connection.
        TimeoutException or SocketException or IOException => true,
        _ => false,
    };
}
