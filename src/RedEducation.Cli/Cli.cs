using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;

namespace RedEducation.Cli;

/// <summary>
/// <c>redu</c>: a thin client of the RedEducation HTTP API. Text output is Chinese first with English; --json prints
/// the server's JSON unchanged. Exit codes are in <see cref="ExitCodes"/>.
/// </summary>
public static partial class Cli
{
    public const string DefaultServer = "http://localhost:5080";

    private static readonly Option<string> ServerOption = new("--server")
    {
        Description = "服务器地址 server URL (default REDU_SERVER or " + DefaultServer + ")",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("REDU_SERVER") is { Length: > 0 } url ? url : DefaultServer,
    };

    private static readonly Option<bool> JsonOption = new("--json")
    {
        Description = "输出服务器原始 JSON print the server's JSON unchanged",
        Recursive = true,
    };

    private static readonly Option<string?> ConfigDirOption = new("--config-dir")
    {
        Description = "配置目录 where the token is kept (default REDU_CONFIG_DIR, $XDG_CONFIG_HOME/redu or ~/.config/redu)",
        Recursive = true,
    };

    /// <summary>Runs one command line, writing to <paramref name="stdout"/> and <paramref name="stderr"/>; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var root = BuildRoot();
        var parsed = root.Parse(args);
        var configuration = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors)
            {
                await stderr.WriteLineAsync(parseError.Message);
            }
            await stderr.WriteLineAsync("用法 usage: redu --help, or redu <command> --help");
            return ExitCodes.Usage;
        }
        return await parsed.InvokeAsync(configuration, cancellationToken);
    }

    private static RootCommand BuildRoot()
    {
        var root = new RootCommand(
            "redu — 红色教育预约系统命令行 RedEducation booking and check-in from the command line.\n"
            + "退出码 exit codes: 0 done; 1 refused by the server (its problem title, detail and type are printed) or not signed in; "
            + "2 usage (bad arguments, a missing file); 3 the server cannot be reached; 4 the server failed (5xx).");
        root.Options.Add(ServerOption);
        root.Options.Add(JsonOption);
        root.Options.Add(ConfigDirOption);
        AddAccountCommands(root);
        AddVenueCommands(root);
        AddBookingCommands(root);
        AddTicketCommands(root);
        AddCheckInCommands(root);
        AddDeskCommands(root);
        AddRouteCommands(root);
        AddStudyRouteCommands(root);
        AddImportCommand(root);
        AddAdminCommands(root);
        return root;
    }

    /// <summary>Sets a command's action: a session over the global options, with refusals and network failures turned into exit codes.</summary>
    private static void Handle(Command command, Func<ParseResult, Session, Task<int>> action) =>
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var output = parsed.InvocationConfiguration.Output;
            var error = parsed.InvocationConfiguration.Error;
            var serverText = parsed.GetValue(ServerOption) ?? DefaultServer;
            if (!Uri.TryCreate(serverText.EndsWith('/') ? serverText : serverText + "/", UriKind.Absolute, out var server)
                || server.Scheme is not ("http" or "https"))
            {
                await error.WriteLineAsync($"服务器地址无效 not a server URL: {serverText}");
                return ExitCodes.Usage;
            }
            var tokens = new TokenStore(parsed.GetValue(ConfigDirOption) is { Length: > 0 } dir ? dir : TokenStore.DefaultDirectory());
            using var session = new Session(server, parsed.GetValue(JsonOption), tokens, output, error, cancellationToken);
            try
            {
                return await action(parsed, session);
            }
            catch (ApiRefusalException refusal)
            {
                return session.Report(refusal);
            }
            catch (HttpRequestException exception)
            {
                return session.Unreachable(exception);
            }
            catch (TaskCanceledException exception) when (!cancellationToken.IsCancellationRequested)
            {
                return session.Unreachable(exception);
            }
            catch (InvalidDataException exception)
            {
                // A 2xx that is not the API's JSON: a proxy's page, or a server that is not RedEducation.
                await error.WriteLineAsync($"服务器回答无法识别 the answer from {server} is not RedEducation's API: {exception.Message}");
                return ExitCodes.ServerFault;
            }
            catch (UsageException usage)
            {
                await error.WriteLineAsync(usage.Message);
                return ExitCodes.Usage;
            }
            catch (IOException exception)
            {
                await error.WriteLineAsync($"文件错误 file error: {exception.Message}");
                return ExitCodes.Usage;
            }
            catch (UnauthorizedAccessException exception)
            {
                await error.WriteLineAsync($"文件错误 file error: {exception.Message}");
                return ExitCodes.Usage;
            }
        });

    private static Argument<string> Text(string name, string description) => new(name) { Description = description };

    private static Argument<int> Number(string name, string description) => new(name) { Description = description };

    /// <summary>A date argument checked as YYYY-MM-DD when parsed, so a wrong one is a usage error before any request.</summary>
    private static Argument<string> DateArgument(string name = "date")
    {
        var argument = new Argument<string>(name) { Description = "日期 date, YYYY-MM-DD" };
        argument.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                result.AddError($"日期格式 {name} must be YYYY-MM-DD, not '{value}'");
            }
        });
        return argument;
    }

    private static Argument<string> SlotArgument()
    {
        var argument = new Argument<string>("slot") { Description = "时段 slot start, HH:mm" };
        argument.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!TimeOnly.TryParseExact(value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                result.AddError($"时段格式 slot must be HH:mm, not '{value}'");
            }
        });
        return argument;
    }

    private static string S(JsonNode? node) => node switch
    {
        null => "",
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        _ => node.ToJsonString(),
    };

    private static int I(JsonNode? node) => node is JsonValue value && value.TryGetValue<int>(out var number) ? number : 0;

    private static double D(JsonNode? node) => node is JsonValue value && value.TryGetValue<double>(out var number) ? number : 0;

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A "HH:mm:ss" or "HH:mm" time as HH:mm.</summary>
    private static string Hm(JsonNode? node)
    {
        var text = S(node);
        return text.Length == 8 && text.EndsWith(":00", StringComparison.Ordinal) ? text[..5] : text;
    }

    private static string Km(double meters) => (meters / 1000).ToString("0.0", CultureInfo.InvariantCulture) + " km";

    private static string Duration(double seconds)
    {
        var span = TimeSpan.FromSeconds(Math.Round(seconds));
        return span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h {span.Minutes:00} min")
            : string.Create(CultureInfo.InvariantCulture, $"{span.Minutes} min");
    }

    private static string Bilingual(JsonNode? name) => name is JsonObject o ? $"{S(o["zh"])} {S(o["en"])}".Trim() : S(name);

    private static async Task SaveAsync(Session session, string path, byte[] content, string what)
    {
        var full = Path.GetFullPath(path);
        if (Path.GetDirectoryName(full) is { } directory)
        {
            Directory.CreateDirectory(directory);
        }
        await File.WriteAllBytesAsync(full, content, session.CancellationToken);
        var line = $"已保存 saved {what}: {full}";
        await (session.Json ? session.Error : session.Out).WriteLineAsync(line);
    }
}

/// <summary>A command that cannot run as given, found only once it runs (e.g. a file that does not exist).</summary>
public sealed class UsageException : Exception
{
    public UsageException()
    {
    }

    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
