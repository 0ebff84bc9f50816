using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace RedEducation.CheckInBench;

/// <summary>
/// The real server, started from its Release build as a child process on Kestrel over loopback, with its own data
/// directory and free ports; killed and its data removed on dispose.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dataDirectory;
    private readonly Queue<string> _output = new();

    private ServerProcess(Process process, string dataDirectory, Uri baseAddress)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        BaseAddress = baseAddress;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        // A benchmark that dies must not leave a server behind.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Kill();
        Console.CancelKeyPress += (_, _) => Kill();
    }

    public Uri BaseAddress { get; }

    public int Id => _process.Id;

    /// <summary>The server's data directory (its SQLite database and keys).</summary>
    public string DataDirectory => _dataDirectory;

    /// <summary>The last lines the server wrote, for a failure report.</summary>
    public string RecentOutput
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>User plus system CPU time the server has used so far, from /proc.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Resident memory of the server now, in MiB.</summary>
    public double ResidentMiB
    {
        get
        {
            _process.Refresh();
            return _process.WorkingSet64 / (1024.0 * 1024.0);
        }
    }

    /// <summary>Where the server's Release build is in the repository at <paramref name="root"/>.</summary>
    public static string ReleaseDirectory(string root) => Path.Combine(root, "src", "RedEducation.Server", "bin", "Release", "net10.0");

    public static async Task<ServerProcess> StartAsync(
        string serverDirectory, IEnumerable<string> extraArguments, IEnumerable<KeyValuePair<string, string>> environment, CancellationToken cancellationToken)
    {
        var dll = Path.Combine(serverDirectory, "RedEducation.Server.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"build the server in Release first (dotnet build -c Release): {dll} is missing", dll);
        }
        var data = Path.Combine(Path.GetTempPath(), $"rededucation-checkin-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(data);
        var httpPort = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            dll,
            "--urls", $"http://127.0.0.1:{httpPort}",
            $"--RedEducation:DataDirectory={data}",
            $"--RedEducation:SiloPort={FreePort()}",
            $"--RedEducation:GatewayPort={FreePort()}",
            // Setting up thousands of bookings as a few units: far past the per-account booking limit.
            "--RedEducation:Limits:BookingChangesPerMinute=1000000",
        }.Concat(extraArguments))
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the server");
        var server = new ServerProcess(process, data, new Uri($"http://127.0.0.1:{httpPort}/"));
        try
        {
            await server.WaitUntilReadyAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by the dying process; the temp directory is cleaned by the system.
        }
        return ValueTask.CompletedTask;
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 60;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the server exited with code {_process.ExitCode}:\n{RecentOutput}");
            }
            try
            {
                using var response = await probe.GetAsync(new Uri("health/ready", UriKind.Relative), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Listening but not answering yet.
            }
            await Task.Delay(100, cancellationToken);
        }
        throw new TimeoutException($"the server did not become ready within 60 s:\n{RecentOutput}");
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > 40)
            {
                _output.Dequeue();
            }
        }
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static int FreePort()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"server pid {Id} at {BaseAddress}");
}
