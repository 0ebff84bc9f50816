using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace RedEducation.Cli;

public static partial class Cli
{
    private static void AddImportCommand(RootCommand root)
    {
        var file = Text("file", "OpenStreetMap 提取文件 an .osm.pbf extract, e.g. liaoning-latest.osm.pbf");
        var dataDir = new Option<string?>("--data-dir") { Description = "服务器数据目录 the server's data directory (default: the server's own setting)" };
        var serverDll = new Option<string?>("--server-dll") { Description = "服务器程序 path to RedEducation.Server.dll (default: beside redu)" };
        var progress = new Option<ProgressStyle>("--progress")
        {
            Description = "进度显示 auto: a progress bar on a terminal, plain lines when output is redirected; bar; lines",
            DefaultValueFactory = _ => ProgressStyle.Auto,
        };
        var import = new Command("import-osm", "导入路网 build the road graph from an OSM extract (runs the server's import command)")
        {
            file, dataDir, serverDll, progress,
        };
        Handle(import, async (parsed, session) =>
        {
            var pbf = Path.GetFullPath(parsed.GetValue(file)!);
            var dir = parsed.GetValue(dataDir) is { Length: > 0 } d ? Path.GetFullPath(d) : null;
            var serverArgs = new List<string> { "import-osm", pbf };
            if (dir is not null)
            {
                serverArgs.Add($"--RedEducation:DataDirectory={dir}");
            }
            var dll = parsed.GetValue(serverDll) is { Length: > 0 } given ? Path.GetFullPath(given) : Path.Combine(AppContext.BaseDirectory, "RedEducation.Server.dll");
            if (!File.Exists(dll))
            {
                await session.Error.WriteLineAsync($"找不到服务器程序 the server is not beside redu ({dll}); give --server-dll, or run from the repository:");
                await session.Error.WriteLineAsync($"  dotnet run -c Release --project src/RedEducation.Server -- {string.Join(' ', serverArgs.Select(Quote))}");
                return ExitCodes.Usage;
            }
            if (!File.Exists(pbf))
            {
                throw new UsageException($"找不到文件 no such file: {pbf}");
            }
            // Under --json the progress goes to standard error, so that standard output holds only the summary.
            var progressOut = session.Json ? session.Error : session.Out;
            var style = parsed.GetValue(progress);
            var bar = style == ProgressStyle.Bar
                || (style == ProgressStyle.Auto && IsTerminal(progressOut) && Environment.GetEnvironmentVariable("TERM") is not "dumb");
            return await RunServerImportAsync(session, dll, serverArgs, new ImportProgress(progressOut, bar));
        });
        root.Subcommands.Add(import);
    }

    /// <summary>Whether <paramref name="writer"/> is the process's own console output and that is a terminal, not a pipe or file.</summary>
    private static bool IsTerminal(TextWriter writer) =>
        (ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected) || (ReferenceEquals(writer, Console.Error) && !Console.IsErrorRedirected);

    /// <summary>Runs <c>dotnet RedEducation.Server.dll import-osm …</c> and shows its progress lines as they come.</summary>
    private static async Task<int> RunServerImportAsync(Session session, string dll, List<string> serverArgs, ImportProgress progress)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in serverArgs)
        {
            start.ArgumentList.Add(arg);
        }
        await session.Error.WriteLineAsync($"运行 running: dotnet {Quote(dll)} {string.Join(' ', serverArgs.Select(Quote))}");
        using var process = Process.Start(start) ?? throw new UsageException("could not start dotnet");
        string? summary = null;
        async Task PumpOutputAsync()
        {
            while (await process.StandardOutput.ReadLineAsync(session.CancellationToken) is { } line)
            {
                if (line.StartsWith("imported ", StringComparison.Ordinal))
                {
                    summary = line;
                }
                await progress.LineAsync(line, session.CancellationToken);
            }
        }
        async Task PumpErrorAsync()
        {
            while (await process.StandardError.ReadLineAsync(session.CancellationToken) is { } line)
            {
                await session.Error.WriteLineAsync(line);
            }
        }
        await Task.WhenAll(PumpOutputAsync(), PumpErrorAsync());
        await process.WaitForExitAsync(session.CancellationToken);
        await progress.EndAsync(session.CancellationToken);
        if (process.ExitCode == 0 && session.Json && summary is not null)
        {
            await session.Out.WriteLineAsync(ImportSummary(summary).ToJsonString());
        }
        return process.ExitCode switch
        {
            0 => ExitCodes.Ok,
            2 => ExitCodes.Usage,
            _ => ExitCodes.ServerFault,
        };
    }

    /// <summary>The server's last line ("imported N nodes and M road edges in S s into PATH; …") as JSON for scripts.</summary>
    private static JsonObject ImportSummary(string line)
    {
        var m = ImportedLine().Match(line);
        return m.Success
            ? new JsonObject
            {
                ["nodes"] = long.Parse(m.Groups["nodes"].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture),
                ["edges"] = long.Parse(m.Groups["edges"].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture),
                ["seconds"] = double.Parse(m.Groups["seconds"].Value, CultureInfo.InvariantCulture),
                ["graphFile"] = m.Groups["file"].Value,
            }
            : new JsonObject { ["message"] = line };
    }

    [GeneratedRegex(@"^imported (?<nodes>[\d,]+) nodes and (?<edges>[\d,]+) road edges in (?<seconds>[\d.]+) s into (?<file>.+?); ")]
    private static partial Regex ImportedLine();

    private static string Quote(string arg) => arg.Any(char.IsWhiteSpace) ? $"\"{arg}\"" : arg;
}

/// <summary>How <c>import-osm</c> shows progress.</summary>
public enum ProgressStyle
{
    Auto,
    Bar,
    Lines,
}

/// <summary>
/// Shows the server import's progress lines ("  ways: 250,000 elements read, … (48% of the file)"): as they are, or as
/// one redrawn bar per pass over the file, finished with a newline when the next pass begins.
/// </summary>
public sealed partial class ImportProgress(TextWriter output, bool bar)
{
    private const int Width = 30;
    private string? _phase;
    private string _last = "";

    public async Task LineAsync(string line, CancellationToken cancellationToken)
    {
        var m = ProgressLine().Match(line);
        if (!bar || !m.Success)
        {
            await EndAsync(cancellationToken);
            await output.WriteLineAsync(line);
            await output.FlushAsync(cancellationToken);
            return;
        }
        var phase = m.Groups["phase"].Value;
        if (_phase is not null && _phase != phase)
        {
            await DrawAsync(_phase, 100, _last);
            await output.WriteLineAsync();
        }
        _phase = phase;
        _last = m.Groups["counts"].Value;
        // The graph is built from what was read, once both passes are done: its one report is the end.
        await DrawAsync(phase, phase == "graph" ? 100 : int.Parse(m.Groups["percent"].Value, CultureInfo.InvariantCulture), _last);
        await output.FlushAsync(cancellationToken);
    }

    /// <summary>Completes a bar in progress, so that whatever is written next starts on a line of its own.</summary>
    public async Task EndAsync(CancellationToken cancellationToken)
    {
        if (_phase is null)
        {
            return;
        }
        await DrawAsync(_phase, 100, _last);
        await output.WriteLineAsync();
        await output.FlushAsync(cancellationToken);
        _phase = null;
    }

    private Task DrawAsync(string phase, int percent, string counts)
    {
        var filled = Math.Clamp(percent, 0, 100) * Width / 100;
        var name = PhaseName(phase);
        return output.WriteAsync(string.Create(CultureInfo.InvariantCulture,
            $"\r{name}{new string(' ', Math.Max(1, 16 - TextTable.DisplayWidth(name)))}[{new string('#', filled)}{new string('-', Width - filled)}] {percent,3}%  {counts}"));
    }

    private static string PhaseName(string phase) => phase switch
    {
        "ways" => "读取道路 ways",
        "nodes" => "读取节点 nodes",
        "graph" => "建图 graph",
        _ => phase,
    };

    [GeneratedRegex(@"^\s*(?<phase>\w+): (?<counts>.+?) \((?<percent>\d+)% of the file\)$")]
    private static partial Regex ProgressLine();
}
