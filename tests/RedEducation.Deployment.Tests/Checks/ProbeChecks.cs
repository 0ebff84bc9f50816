using RedEducation.Deployment.Tests.Infrastructure;

namespace RedEducation.Deployment.Tests.Checks;

/// <summary>Readiness and liveness probes ask the HTTP port for paths the server, in that container's role, answers.</summary>
internal static class ProbeChecks
{
    public static readonly string[] Kinds = ["readinessProbe", "livenessProbe"];

    /// <summary>Each server container's probes, by role: (role, probe kind, path, port).</summary>
    public static IEnumerable<(Container Container, string Role, string Kind, string? Path, string? Port)> Probes(ManifestSet set)
    {
        foreach (var container in set.AppContainers)
        {
            var (options, _) = OptionKeys.Bind(OptionKeys.Configuration(OptionKeys.EnvironmentOf(container, set)));
            var role = options is null ? "Combined" : OptionKeys.Role(options);
            foreach (var kind in Kinds)
            {
                var get = container.Probe(kind)?["httpGet"];
                yield return (container, role, kind, (string?)get?["path"], (string?)get?["port"]);
            }
        }
    }

    /// <summary>
    /// <paramref name="answersOk"/> tells whether a server of a role answers 200 to a GET of a path: the caller asks a
    /// real server.
    /// </summary>
    public static async Task<List<string>> CheckAsync(ManifestSet set, Func<string, string, Task<bool>> answersOk)
    {
        var problems = new List<string>();
        foreach (var (container, role, kind, path, port) in Probes(set))
        {
            if (path is null)
            {
                problems.Add($"{container}: no HTTP {kind}");
                continue;
            }
            var http = container.Ports.TryGetValue("http", out var p) ? p : (int?)null;
            if (port != "http" && port != http?.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                problems.Add($"{container}: the {kind} asks port {port}, not the HTTP port");
            }
            if (!await answersOk(role, path))
            {
                problems.Add($"{container}: the {kind} asks for {path}, which a {role} server does not answer with 200");
            }
        }
        return problems;
    }
}
