using System.Net;
using System.Net.Sockets;

namespace RedEducation.Testing;

/// <summary>
/// Ports for throwaway servers. They come from below Linux's ephemeral range (32768 and up), which the kernel gives to
/// outgoing connections and to "any free port" requests: a port picked there and let go could be taken by the next
/// outgoing connection before the server bound it, which once failed a test fixture with "address already in use".
/// No port is handed out twice by one test process.
/// </summary>
public static class Ports
{
    private static readonly HashSet<int> Given = [];

    /// <summary>A TCP port nobody listens on right now, not handed out before by this process.</summary>
    public static int Free()
    {
        lock (Given)
        {
            while (true)
            {
                var port = Random.Shared.Next(20_000, 32_000);
                if (!Given.Add(port))
                {
                    continue;
                }
                try
                {
                    var listener = new TcpListener(IPAddress.Loopback, port);
                    listener.Start();
                    listener.Stop();
                    return port;
                }
                catch (SocketException)
                {
                    // In use: try another.
                }
            }
        }
    }
}
