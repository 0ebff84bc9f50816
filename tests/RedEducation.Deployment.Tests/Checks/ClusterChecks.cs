using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Orleans.Hosting.Kubernetes;
using RedEducation.Deployment.Tests.Infrastructure;

namespace RedEducation.Deployment.Tests.Checks;

/// <summary>Labels, selectors, the downward API and RBAC as Orleans Kubernetes hosting needs them.</summary>
internal static partial class ClusterChecks
{
    /// <summary>The environment Orleans Kubernetes hosting reads, and the pod field each must come from.</summary>
    public static readonly IReadOnlyDictionary<string, string> DownwardApi = new Dictionary<string, string>
    {
        [KubernetesHostingOptions.PodNameEnvironmentVariable] = "metadata.name",
        [KubernetesHostingOptions.PodNamespaceEnvironmentVariable] = "metadata.namespace",
        [KubernetesHostingOptions.PodIPEnvironmentVariable] = "status.podIP",
        [KubernetesHostingOptions.ServiceIdEnvironmentVariable] = $"metadata.labels['{KubernetesHostingOptions.ServiceIdLabel}']",
        [KubernetesHostingOptions.ClusterIdEnvironmentVariable] = $"metadata.labels['{KubernetesHostingOptions.ClusterIdLabel}']",
    };

    /// <summary>
    /// Selectors select their own pods; every Service and the PodDisruptionBudget select pods that exist; silo pods carry
    /// orleans/serviceId and orleans/clusterId equal to the configured ServiceId and ClusterId, and no other pod carries both.
    /// </summary>
    public static List<string> Labels(ManifestSet set)
    {
        var problems = new List<string>();
        foreach (var workload in set.Workloads)
        {
            if (!workload.Selects(workload.SelectorLabels))
            {
                problems.Add($"{workload}: spec.selector does not match the pod template's labels");
            }
            if (workload.Manifest.Node["spec"]?["serviceName"] is { } serviceName && set.Find("Service", (string?)serviceName ?? "") is null)
            {
                problems.Add($"{workload}: serviceName {serviceName} names no Service");
            }
        }
        foreach (var selecting in set.OfKind("Service").Concat(set.OfKind("PodDisruptionBudget")))
        {
            var selector = Workload.Labels(selecting.Kind == "Service" ? selecting.Node["spec"]?["selector"] : selecting.Node["spec"]?["selector"]?["matchLabels"]);
            var selected = set.Workloads.Where(w => w.Selects(selector)).ToList();
            if (selected.Count != 1)
            {
                problems.Add($"{selecting}: selects the pods of {selected.Count} workloads, not one");
            }
            else if (selecting.Kind == "PodDisruptionBudget" && !IsSiloWorkload(set, selected[0]))
            {
                problems.Add($"{selecting}: protects {selected[0].Manifest.Name}, which runs no silo");
            }
        }
        foreach (var container in set.AppContainers)
        {
            var (options, _) = OptionKeys.Bind(OptionKeys.Configuration(OptionKeys.EnvironmentOf(container, set)));
            if (options is null)
            {
                continue;
            }
            var labels = container.Owner.PodLabels;
            if (OptionKeys.HostsSilo(options))
            {
                Expect(KubernetesHostingOptions.ServiceIdLabel, options.ServiceId);
                Expect(KubernetesHostingOptions.ClusterIdLabel, options.ClusterId);
            }
            else if (labels.ContainsKey(KubernetesHostingOptions.ServiceIdLabel) && labels.ContainsKey(KubernetesHostingOptions.ClusterIdLabel))
            {
                problems.Add($"{container}: runs no silo but carries both orleans labels, so the silos' Kubernetes agent would count it as a silo pod");
            }

            void Expect(string label, string value)
            {
                if (!labels.TryGetValue(label, out var actual) || actual != value)
                {
                    problems.Add($"{container}: pod label {label} is '{actual}', but the silo is configured with '{value}'");
                }
            }
        }
        return problems;
    }

    /// <summary>Silo containers get the pod name, namespace, IP and the orleans labels through the downward API.</summary>
    public static List<string> DownwardApiEnvironment(ManifestSet set)
    {
        var problems = new List<string>();
        foreach (var container in SiloContainers(set))
        {
            var env = container.Environment(set);
            foreach (var (name, field) in DownwardApi)
            {
                if (!env.TryGetValue(name, out var value) || value.FieldPath != field)
                {
                    problems.Add($"{container}: {name} must come from the pod field {field}, not {(value is null ? "nowhere" : value.FieldPath ?? "a fixed value")}");
                }
            }
        }
        return problems;
    }

    /// <summary>Each silo pod's service account is bound to a Role that allows every verb on pods the hosting package uses.</summary>
    public static List<string> Rbac(ManifestSet set, IReadOnlySet<string> requiredVerbs)
    {
        var problems = new List<string>();
        foreach (var workload in set.Workloads.Where(w => IsSiloWorkload(set, w)))
        {
            var ns = workload.Manifest.Namespace;
            var account = (string?)workload.PodSpec["serviceAccountName"] ?? "default";
            if (account != "default" && !set.OfKind("ServiceAccount").Any(a => a.Name == account && a.Namespace == ns))
            {
                problems.Add($"{workload}: service account {account} is not defined in namespace {ns}");
            }
            var granted = new HashSet<string>();
            foreach (var binding in set.OfKind("RoleBinding").Where(b => b.Namespace == ns))
            {
                var bound = (binding.Node["subjects"]?.AsArray() ?? []).OfType<JsonObject>().Any(s =>
                    (string?)s["kind"] == "ServiceAccount" && (string?)s["name"] == account && ((string?)s["namespace"] ?? ns) == ns);
                var roleRef = binding.Node["roleRef"];
                var role = (string?)roleRef?["kind"] == "Role" ? set.OfKind("Role").FirstOrDefault(r => r.Name == (string?)roleRef?["name"] && r.Namespace == ns) : null;
                if (!bound || role is null)
                {
                    continue;
                }
                foreach (var rule in (role.Node["rules"]?.AsArray() ?? []).OfType<JsonObject>())
                {
                    if (Strings(rule["apiGroups"]).Contains("") && Strings(rule["resources"]).Overlaps(["pods", "*"]))
                    {
                        granted.UnionWith(Strings(rule["verbs"]));
                    }
                }
            }
            var missing = granted.Contains("*") ? [] : requiredVerbs.Except(granted).Order(StringComparer.Ordinal).ToList();
            if (missing.Count > 0)
            {
                problems.Add($"{workload}: service account {account} may not {string.Join(", ", missing)} pods in {ns}, which Orleans Kubernetes hosting does");
            }
        }
        return problems;
    }

    /// <summary>
    /// The verbs on pods that Microsoft.Orleans.Hosting.Kubernetes uses, read from its code: every call it makes to the
    /// Kubernetes client's Read/List/Patch/Delete/Create/Replace…NamespacedPod methods and to its watch helper.
    /// </summary>
    public static IReadOnlySet<string> PodVerbsUsedByHosting()
    {
        var verbs = new SortedSet<string>(StringComparer.Ordinal);
        var assembly = typeof(KubernetesHostingOptions).Assembly;
        foreach (var type in assembly.GetTypes())
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                var il = method.GetMethodBody()?.GetILAsByteArray() ?? [];
                for (var i = 0; i + 4 < il.Length; i++)
                {
                    // call, callvirt; the operand is a method token (a few byte patterns that are not calls fail to resolve).
                    if (il[i] is not (0x28 or 0x6F))
                    {
                        continue;
                    }
                    MethodBase? callee;
                    try
                    {
                        callee = type.Module.ResolveMethod(BitConverter.ToInt32(il, i + 1),
                            type.IsGenericType ? type.GetGenericArguments() : null, method.IsGenericMethod ? method.GetGenericArguments() : null);
                    }
                    catch (Exception e) when (e is ArgumentException or BadImageFormatException or TypeLoadException or FileNotFoundException)
                    {
                        continue;
                    }
                    if (callee?.DeclaringType?.Namespace?.StartsWith("k8s", StringComparison.Ordinal) != true)
                    {
                        continue;
                    }
                    var verb = PodCall().Match(callee.Name) is { Success: true } m ? m.Groups[1].Value switch
                    {
                        "Read" => "get",
                        "List" => "list",
                        "Patch" => "patch",
                        "Delete" => "delete",
                        "Create" => "create",
                        "Replace" => "update",
                        _ => null,
                    } : callee.Name.StartsWith("Watch", StringComparison.Ordinal) ? "watch" : null;
                    if (verb is not null)
                    {
                        verbs.Add(verb);
                    }
                }
            }
        }
        return verbs;
    }

    [GeneratedRegex("^(Read|List|Patch|Delete|Create|Replace)NamespacedPod(WithHttpMessages)?Async$")]
    private static partial Regex PodCall();

    private static bool IsSiloWorkload(ManifestSet set, Workload workload) => SiloContainers(set).Any(c => c.Owner == workload);

    private static IEnumerable<Container> SiloContainers(ManifestSet set) => set.AppContainers.Where(c =>
        OptionKeys.Bind(OptionKeys.Configuration(OptionKeys.EnvironmentOf(c, set))).Options is { } o && OptionKeys.HostsSilo(o));

    private static HashSet<string> Strings(JsonNode? node) => [.. (node?.AsArray() ?? []).Select(n => (string?)n ?? "")];
}
