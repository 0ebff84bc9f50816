using RedEducation.Deployment.Tests.Infrastructure;

namespace RedEducation.Deployment.Tests.Checks;

/// <summary>Do the manifests configure the application with settings it has, values it accepts, and ports it uses?</summary>
internal static class ConfigurationChecks
{
    /// <summary>Every RedEducation__ key of a ConfigMap, a Secret or a container's env names a real option with a value of its kind.</summary>
    public static List<string> OptionKeys(ManifestSet set)
    {
        var problems = new List<string>();
        foreach (var source in set.OfKind("ConfigMap").Concat(set.OfKind("Secret")))
        {
            foreach (var (key, value) in Container.DataOf(source).Where(d => IsOption(d.Key)))
            {
                Add(problems, source.ToString(), Infrastructure.OptionKeys.Problem(key, value));
            }
        }
        foreach (var container in set.Workloads.SelectMany(w => w.Containers))
        {
            foreach (var entry in (container.Node["env"]?.AsArray() ?? []).OfType<System.Text.Json.Nodes.JsonObject>())
            {
                var name = (string?)entry["name"] ?? "";
                if (IsOption(name))
                {
                    Add(problems, container.ToString(), Infrastructure.OptionKeys.Problem(name, (string?)entry["value"]));
                }
            }
        }
        return problems;
    }

    /// <summary>Each server container's whole configuration binds and validates as the server does it at start-up.</summary>
    public static List<string> Binding(ManifestSet set)
    {
        var problems = new List<string>();
        foreach (var container in set.AppContainers)
        {
            var (_, problem) = Infrastructure.OptionKeys.Bind(Infrastructure.OptionKeys.Configuration(Infrastructure.OptionKeys.EnvironmentOf(container, set)));
            Add(problems, container.ToString(), problem);
        }
        return problems;
    }

    /// <summary>
    /// Container ports are the ports the configured server listens on (HTTP always; silo and gateway where a silo runs),
    /// Services point at ports the selected pods have, and the image exposes them all.
    /// </summary>
    public static List<string> Ports(ManifestSet set)
    {
        var problems = new List<string>();
        var exposed = set.Dockerfile.FinalStage.All("EXPOSE").SelectMany(e => e.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToHashSet();
        foreach (var container in set.AppContainers)
        {
            var configuration = Infrastructure.OptionKeys.Configuration(Infrastructure.OptionKeys.EnvironmentOf(container, set));
            var (options, _) = Infrastructure.OptionKeys.Bind(configuration);
            if (options is null)
            {
                problems.Add($"{container}: the configuration does not bind (see the binding check)");
                continue;
            }
            var ports = container.Ports;
            var (http, httpProblem) = Infrastructure.OptionKeys.HttpPort(configuration);
            Add(problems, container.ToString(), httpProblem);
            Expect("http", http);
            if (Infrastructure.OptionKeys.HostsSilo(options))
            {
                Expect("silo", options.SiloPort);
                Expect("gateway", options.GatewayPort);
            }
            foreach (var (name, port) in ports)
            {
                if (!exposed.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                {
                    problems.Add($"{container}: port {name} ({port}) is not EXPOSEd by the Dockerfile");
                }
            }

            void Expect(string name, int? port)
            {
                if (!ports.TryGetValue(name, out var declared))
                {
                    problems.Add($"{container}: no container port named {name} (the server listens on {port})");
                }
                else if (declared != port)
                {
                    problems.Add($"{container}: container port {name} is {declared}, but the server listens on {port}");
                }
            }
        }
        foreach (var service in set.OfKind("Service"))
        {
            var selector = Workload.Labels(service.Node["spec"]?["selector"]);
            var pods = set.Workloads.Where(w => w.Selects(selector)).ToList();
            if (pods.Count == 0)
            {
                problems.Add($"{service}: its selector matches no pods");
                continue;
            }
            foreach (var port in (service.Node["spec"]?["ports"]?.AsArray() ?? []).OfType<System.Text.Json.Nodes.JsonObject>())
            {
                var target = (string?)port["targetPort"] ?? (string?)port["port"] ?? "";
                var found = pods.SelectMany(p => p.Containers).SelectMany(c => c.Ports)
                    .Any(p => p.Key == target || p.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) == target);
                if (!found)
                {
                    problems.Add($"{service}: targetPort {target} is no port of the pods it selects");
                }
            }
        }
        return problems;
    }

    /// <summary>The key directory a server is configured with is where the keys Secret is mounted, read-only.</summary>
    public static List<string> KeyMounts(ManifestSet set)
    {
        var problems = new List<string>();
        foreach (var container in set.AppContainers)
        {
            var (options, _) = Infrastructure.OptionKeys.Bind(Infrastructure.OptionKeys.Configuration(Infrastructure.OptionKeys.EnvironmentOf(container, set)));
            var directory = options is null ? null : Infrastructure.OptionKeys.Read(options, "KeyDirectory");
            if (directory is null)
            {
                problems.Add($"{container}: no RedEducation__KeyDirectory, so each pod would make keys of its own");
                continue;
            }
            var mount = (container.Node["volumeMounts"]?.AsArray() ?? []).OfType<System.Text.Json.Nodes.JsonObject>()
                .FirstOrDefault(m => (string?)m["mountPath"] == directory);
            var volume = mount is null ? null : (container.Owner.PodSpec["volumes"]?.AsArray() ?? []).OfType<System.Text.Json.Nodes.JsonObject>()
                .FirstOrDefault(v => (string?)v["name"] == (string?)mount["name"]);
            if (volume?["secret"]?["secretName"] is null)
            {
                problems.Add($"{container}: nothing from a Secret is mounted at the key directory {directory}");
            }
            else if ((string?)mount!["readOnly"] != "true")
            {
                problems.Add($"{container}: the keys at {directory} are mounted writable");
            }
        }
        return problems;
    }

    private static bool IsOption(string key) => key.StartsWith(Infrastructure.OptionKeys.Prefix, StringComparison.OrdinalIgnoreCase);

    private static void Add(List<string> problems, string where, string? problem)
    {
        if (problem is not null)
        {
            problems.Add($"{where}: {problem}");
        }
    }
}
