using System.Net;
using System.Net.Sockets;

namespace ResolutionGateway.Infrastructure.Tests.TestSupport;

/// <summary>
/// A loopback port nothing listens on, for as long as this lives: the socket is bound (so no one
/// else can take the port) but never listens, so connecting to it is refused at once.
/// </summary>
public sealed class ClosedPort : IDisposable
{
    private readonly Socket _socket;

    private ClosedPort(Socket socket) => _socket = socket;

    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    public static ClosedPort Reserve()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return new ClosedPort(socket);
    }

    public void Dispose() => _socket.Dispose();
}
