using System.Text;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace RedEducation.Deployment.Tests.Infrastructure;

/// <summary>One Kubernetes object of a manifest file, as JSON (every YAML scalar is a string).</summary>
internal sealed record Manifest(string File, JsonObject Node)
{
    public string Kind => (string?)Node["kind"] ?? "";

    public string Name => (string?)Node["metadata"]?["name"] ?? "";

    public string? Namespace => (string?)Node["metadata"]?["namespace"];

    public override string ToString() => $"{File}: {Kind} {Name}";
}

/// <summary>Every object in the *.yaml files of a directory (templates included), plus the Dockerfile beside them.</summary>
internal sealed class ManifestSet
{
    private ManifestSet(string directory, IReadOnlyList<Manifest> all)
    {
        Directory = directory;
        All = all;
    }

    public string Directory { get; }

    public IReadOnlyList<Manifest> All { get; }

    public IEnumerable<Workload> Workloads => All.Where(m => m.Kind is "Deployment" or "StatefulSet").Select(m => new Workload(m));

    /// <summary>The containers that run the RedEducation server: those given any RedEducation__ setting.</summary>
    public IEnumerable<Container> AppContainers =>
        Workloads.SelectMany(w => w.Containers).Where(c => c.Environment(this).Keys.Any(k => k.StartsWith(OptionKeys.Prefix, StringComparison.OrdinalIgnoreCase)));

    public IEnumerable<Manifest> OfKind(string kind) => All.Where(m => m.Kind == kind);

    public Manifest? Find(string kind, string name) => All.FirstOrDefault(m => m.Kind == kind && m.Name == name);

    public Dockerfile Dockerfile => Dockerfile.Read(Path.Combine(Directory, "Dockerfile"));

    public static ManifestSet Load(string directory)
    {
        var all = new List<Manifest>();
        foreach (var file in System.IO.Directory.GetFiles(directory, "*.yaml").Order(StringComparer.Ordinal))
        {
            var stream = new YamlStream();
            using (var reader = new StreamReader(file, Encoding.UTF8))
            {
                stream.Load(reader);
            }
            foreach (var document in stream.Documents)
            {
                if (ToJson(document.RootNode) is JsonObject node)
                {
                    all.Add(new Manifest(Path.GetFileName(file), node));
                }
            }
        }
        return new ManifestSet(directory, all);
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(p => KeyValuePair.Create(((YamlScalarNode)p.Key).Value ?? "", ToJson(p.Value)))),
        YamlSequenceNode list => new JsonArray([.. list.Children.Select(ToJson)]),
        YamlScalarNode { Value: null or "~" } scalar when scalar.Style == YamlDotNet.Core.ScalarStyle.Plain => null,
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => null,
    };
}

/// <summary>A Deployment or StatefulSet.</summary>
internal sealed record Workload(Manifest Manifest)
{
    public JsonObject Spec => Manifest.Node["spec"]?.AsObject() ?? [];

    public JsonObject PodSpec => Spec["template"]?["spec"]?.AsObject() ?? [];

    public IReadOnlyDictionary<string, string> PodLabels => Labels(Spec["template"]?["metadata"]?["labels"]);

    public IReadOnlyDictionary<string, string> SelectorLabels => Labels(Spec["selector"]?["matchLabels"]);

    public IEnumerable<Container> Containers =>
        (PodSpec["containers"]?.AsArray() ?? []).OfType<JsonObject>().Select(c => new Container(this, c));

    public static IReadOnlyDictionary<string, string> Labels(JsonNode? node) =>
        node is JsonObject o ? o.ToDictionary(p => p.Key, p => (string?)p.Value ?? "") : new Dictionary<string, string>();

    /// <summary>Whether every label of <paramref name="selector"/> is on the pods (an empty selector selects nothing here).</summary>
    public bool Selects(IReadOnlyDictionary<string, string> selector) =>
        selector.Count > 0 && selector.All(s => PodLabels.TryGetValue(s.Key, out var v) && v == s.Value);

    public override string ToString() => Manifest.ToString();
}

/// <summary>An environment variable as the container gets it: a value, or a field of the pod (downward API).</summary>
internal sealed record EnvValue(string? Value, string? FieldPath, string Source);

internal sealed record Container(Workload Owner, JsonObject Node)
{
    public string Name => (string?)Node["name"] ?? "";

    public IReadOnlyDictionary<string, int> Ports =>
        (Node["ports"]?.AsArray() ?? []).OfType<JsonObject>()
            .ToDictionary(p => (string?)p["name"] ?? "", p => int.Parse((string?)p["containerPort"] ?? "0", System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The environment: envFrom ConfigMaps and Secrets in order, then env entries, each overriding what came before.</summary>
    public IReadOnlyDictionary<string, EnvValue> Environment(ManifestSet set)
    {
        var env = new Dictionary<string, EnvValue>(StringComparer.Ordinal);
        foreach (var from in (Node["envFrom"]?.AsArray() ?? []).OfType<JsonObject>())
        {
            var (kind, reference) = from["configMapRef"] is { } c ? ("ConfigMap", c) : ("Secret", from["secretRef"]);
            var name = (string?)reference?["name"] ?? "";
            var source = set.Find(kind, name);
            foreach (var (key, value) in source is null ? [] : DataOf(source))
            {
                env[key] = new EnvValue(value, null, $"{source!.File} ({kind} {name})");
            }
        }
        foreach (var entry in (Node["env"]?.AsArray() ?? []).OfType<JsonObject>())
        {
            var name = (string?)entry["name"] ?? "";
            env[name] = new EnvValue((string?)entry["value"], (string?)entry["valueFrom"]?["fieldRef"]?["fieldPath"], $"{Owner.Manifest.File} ({Owner.Manifest.Name}/{Name})");
        }
        return env;
    }

    /// <summary>The keys of a ConfigMap (data) or Secret (stringData, or base64 data).</summary>
    public static IEnumerable<KeyValuePair<string, string>> DataOf(Manifest source)
    {
        foreach (var (key, value) in source.Node["data"]?.AsObject() ?? [])
        {
            var text = (string?)value ?? "";
            yield return KeyValuePair.Create(key, source.Kind == "Secret" ? Encoding.UTF8.GetString(Convert.FromBase64String(text)) : text);
        }
        foreach (var (key, value) in source.Node["stringData"]?.AsObject() ?? [])
        {
            yield return KeyValuePair.Create(key, (string?)value ?? "");
        }
    }

    public JsonObject? Probe(string kind) => Node[kind] as JsonObject;

    public override string ToString() => $"{Owner.Manifest.File}: {Owner.Manifest.Name}/{Name}";
}
