using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Reflection;

namespace RedEducation.Testing;

/// <summary>
/// The real server, built with the same configuration as these tests, run as a child process on a data directory and
/// free loopback ports, so that it can be killed with SIGKILL like a crashed production process.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private const int OutputLines = 200;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(2);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The last lines the server wrote, for failure messages.</summary>
    public string OutputTail => string.Join(Environment.NewLine, _output);

    /// <summary>Starts the embedded default (silo and API in one) on <paramref name="dataDirectory"/>; returns once /health/ready answers 200.</summary>
    public static Task<ServerProcess> StartAsync(string dataDirectory, HttpClient http, CancellationToken cancellationToken) =>
        StartAsync(http, cancellationToken,
            $"--RedEducation:DataDirectory={dataDirectory}",
            $"--RedEducation:SiloPort={Ports.Free()}",
            $"--RedEducation:GatewayPort={Ports.Free()}");

    /// <summary>
    /// Starts the server with the demo accounts, a free HTTP port and <paramref name="settings"/> (command-line
    /// configuration such as <c>--RedEducation:Role=Silo</c>); returns once /health/ready answers 200.
    /// </summary>
    public static async Task<ServerProcess> StartAsync(HttpClient http, CancellationToken cancellationToken, params string[] settings)
    {
        var serverDirectory = ServerDirectory();
        var httpPort = Ports.Free();
        var start = Start(serverDirectory, ["--urls", $"http://127.0.0.1:{httpPort}", "--RedEducation:SeedDemoAccounts=true",
            // Tests and benchmarks book thousands of groups as a few accounts in seconds: far past any per-account limit.
            "--RedEducation:Limits:BookingChangesPerMinute=1000000", .. settings]);
        var process = new Process { StartInfo = start };
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{httpPort}"));
        process.OutputDataReceived += (_, e) => server.Remember(e.Data);
        process.ErrorDataReceived += (_, e) => server.Remember(e.Data);
        process.Start();
        // Draining both pipes matters: a server whose pipe buffer fills up blocks on its next log line.
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilReadyAsync(http, cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// SIGKILL on Linux: no shutdown code runs, nothing is flushed that was not already written. Only the server's own
    /// process (it starts none): walking the whole process tree first takes milliseconds on a busy machine, long enough
    /// for the server to answer every request that was in flight, which is exactly what a kill test must not allow.
    /// </summary>
    public void Kill() => _process.Kill(entireProcessTree: false);

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started, or already reaped.
        }
        _process.Dispose();
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }
        _output.Enqueue(line);
        while (_output.Count > OutputLines && _output.TryDequeue(out _))
        {
        }
    }

    private async Task WaitUntilReadyAsync(HttpClient http, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReadyTimeout);
        var ready = new Uri(BaseAddress, "/health/ready");
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the server exited with code {_process.ExitCode} before it was ready:{Environment.NewLine}{OutputTail}");
            }
            try
            {
                using var response = await http.GetAsync(ready, timeout.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"the server was not ready within {ReadyTimeout}:{Environment.NewLine}{OutputTail}");
            }
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), timeout.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"the server was not ready within {ReadyTimeout}:{Environment.NewLine}{OutputTail}");
            }
        }
    }

    /// <summary>Runs a command of the server (such as <c>generate-keys &lt;dir&gt;</c>) to completion; returns what it printed.</summary>
    public static string RunCommand(params string[] arguments)
    {
        var serverDirectory = ServerDirectory();
        return Shell.Run(DotnetHost(), [Path.Combine(serverDirectory, "RedEducation.Server.dll"), .. arguments], serverDirectory);
    }

    private static ProcessStartInfo Start(string serverDirectory, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            // The README's run command starts the server from its own folder: appsettings.json is read from there.
            WorkingDirectory = serverDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(serverDirectory, "RedEducation.Server.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return start;
    }

    /// <summary>src/RedEducation.Server/bin/{the configuration these tests were built in}/net10.0 of this repository.</summary>
    private static string ServerDirectory()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "RedEducation.sln")))
        {
            root = root.Parent;
        }
        if (root is null)
        {
            throw new InvalidOperationException($"no RedEducation.sln above {AppContext.BaseDirectory}");
        }
        var configuration = typeof(ServerProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var directory = Path.Combine(root.FullName, "src", "RedEducation.Server", "bin", configuration, "net10.0");
        if (!File.Exists(Path.Combine(directory, "RedEducation.Server.dll")))
        {
            throw new InvalidOperationException($"the server is not built in {directory}; build the test project, which builds it first");
        }
        return directory;
    }

    /// <summary>The dotnet host that runs these tests when it is known (dotnet test/run set it), else the one on PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
