using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RedEducation.Testing;

/// <summary>
/// A private PostgreSQL cluster in a temp dir on a free port (socket in the same dir), stopped and deleted on
/// dispose. PostgreSQL refuses to run as root, so as root the server runs as the Debian 'postgres' user.
/// By default it runs with fsync and synchronous_commit off (fast, for tests and routing queries, where durability
/// does not matter); <c>Start(durable: true)</c> keeps PostgreSQL's own defaults, so that a commit waits for the disk,
/// which is what a durability comparison must measure.
/// </summary>
public sealed class ThrowawayPostgres : IDisposable
{
    private readonly string bin;
    private readonly string dataDir;
    private bool started;

    private ThrowawayPostgres(string bin, string root, int port)
    {
        this.bin = bin;
        Root = root;
        Port = port;
        dataDir = Path.Combine(root, "data");
    }

    public string Root { get; }

    public int Port { get; }

    public static bool IsRoot => Environment.UserName == "root";

    public string ConnectionString(string database = "postgres", bool pooling = false) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling={(pooling ? "true" : "false")};Timeout=30;Command Timeout=600";

    public static ThrowawayPostgres Start(bool durable = false, int maxConnections = 100)
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault()
            ?? throw new InvalidOperationException("PostgreSQL server binaries not found; run scripts/install-test-deps.sh.");
        var root = Directory.CreateTempSubdirectory("redu-pg-").FullName;
        var server = new ThrowawayPostgres(bin, root, Ports.Free());
        try
        {
            if (IsRoot)
            {
                Shell.Run("chown", ["postgres:postgres", root]);
            }

            server.RunServerTool("initdb", ["-D", server.dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C"]);
            server.RunServerTool("pg_ctl", ["-D", server.dataDir, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60", "start",
                "-o", $"-p {server.Port} -k {root} -c listen_addresses=127.0.0.1 -c max_connections={maxConnections} " +
                    (durable ? "-c fsync=on -c synchronous_commit=on" : "-c fsync=off -c synchronous_commit=off")]);
            server.started = true;
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (started)
        {
            try
            {
                RunServerTool("pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"]);
            }
            catch (InvalidOperationException)
            {
                // the server may already be gone; the directory is removed regardless
            }

            started = false;
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void RunServerTool(string tool, string[] args)
    {
        var exe = Path.Combine(bin, tool);
        if (IsRoot)
        {
            Shell.Run("runuser", ["-u", "postgres", "--", exe, .. args], Root);
        }
        else
        {
            Shell.Run(exe, args, Root);
        }
    }

}

/// <summary>Runs a program to completion and throws with its output when it fails.</summary>
public static class Shell
{
    public static string Run(string file, IEnumerable<string> args, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}:\n{stdout}\n{stderr.Result}");
        }

        return stdout;
    }
}
