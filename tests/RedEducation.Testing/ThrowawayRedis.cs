using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RedEducation.Testing;

/// <summary>
/// A private redis-server (Debian's, see scripts/install-test-deps.sh) on a free loopback port, working in a temp dir,
/// with nothing saved to disk (<c>--save '' --appendonly no</c>); killed and deleted on dispose.
/// </summary>
public sealed class ThrowawayRedis : IDisposable
{
    private const int ReadyAttempts = 300;

    private readonly Process _process;

    private ThrowawayRedis(Process process, string root, int port)
    {
        _process = process;
        Root = root;
        Port = port;
    }

    public string Root { get; }

    public int Port { get; }

    /// <summary>A StackExchange.Redis configuration string for this server.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<ThrowawayRedis> StartAsync(CancellationToken cancellationToken)
    {
        var executable = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("redis-server not found; run scripts/install-test-deps.sh.");
        var root = Directory.CreateTempSubdirectory("redu-redis-").FullName;
        var port = Ports.Free();
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", $"{port}", "--bind", "127.0.0.1", "--dir", root, "--save", "", "--appendonly", "no", "--daemonize", "no" })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start redis-server");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var redis = new ThrowawayRedis(process, root, port);
        try
        {
            await redis.WaitUntilReadyAsync(cancellationToken);
            return redis;
        }
        catch
        {
            redis.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
            // Already reaped.
        }
        _process.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Until the server answers PING with PONG (the attempt bound turns a server that never starts into a failure).</summary>
    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= ReadyAttempts; attempt++)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with code {_process.ExitCode} on port {Port}");
            }
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
                var stream = client.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray(), cancellationToken);
                var buffer = new byte[16];
                var read = await stream.ReadAsync(buffer, cancellationToken);
                if (Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (SocketException)
            {
                // Not listening yet.
            }
            await Task.Delay(100, cancellationToken);
        }
        throw new InvalidOperationException($"redis-server on port {Port} did not answer PING in {ReadyAttempts} attempts");
    }
}
