using System.Text.Json.Nodes;
using RedEducation.Deployment.Tests.Infrastructure;

namespace RedEducation.Deployment.Tests.Checks;

/// <summary>The Dockerfile builds the real server onto the matching runtime and runs it as a non-root user; kustomize applies every manifest.</summary>
internal static class ImageChecks
{
    /// <summary>The server's assembly file, as the runtime must be told to start it.</summary>
    public static string ServerAssembly => typeof(Program).Assembly.GetName().Name + ".dll";

    public static List<string> Dockerfile(ManifestSet set, string repositoryRoot)
    {
        var problems = new List<string>();
        var file = set.Dockerfile;
        var final = file.FinalStage;
        var entrypoint = final.Entrypoint;
        if (entrypoint.Count != 2 || entrypoint[0] != "dotnet" || entrypoint[1] != ServerAssembly)
        {
            problems.Add($"Dockerfile: ENTRYPOINT {string.Join(' ', entrypoint)} does not start {ServerAssembly} (exec form [\"dotnet\", \"{ServerAssembly}\"])");
        }
        var runtime = $"mcr.microsoft.com/dotnet/aspnet:{Environment.Version.Major}.0";
        if (!final.All("FROM").Single().StartsWith(runtime, StringComparison.Ordinal))
        {
            problems.Add($"Dockerfile: the final stage is {final.All("FROM").Single()}, not the ASP.NET Core runtime the server targets ({runtime})");
        }
        var sdk = $"mcr.microsoft.com/dotnet/sdk:{Environment.Version.Major}.0";
        if (!file.All("FROM").Any(f => f.StartsWith(sdk, StringComparison.Ordinal)))
        {
            problems.Add($"Dockerfile: no build stage FROM {sdk}");
        }
        var user = final.All("USER").LastOrDefault();
        if (user is null || user is "root" or "0" || user.StartsWith("0:", StringComparison.Ordinal))
        {
            problems.Add($"Dockerfile: the image runs as {user ?? "root (no USER)"}");
        }
        var publish = file.All("RUN").FirstOrDefault(r => r.Contains("dotnet publish", StringComparison.Ordinal));
        var project = publish?.Split(' ').FirstOrDefault(w => w.EndsWith(".csproj", StringComparison.Ordinal));
        if (project is null || !File.Exists(Path.Combine(repositoryRoot, project)))
        {
            problems.Add($"Dockerfile: publishes {project ?? "no project"}, which is not a project of the repository");
        }
        else if (Path.GetFileNameWithoutExtension(project) + ".dll" != ServerAssembly)
        {
            problems.Add($"Dockerfile: publishes {project}, whose assembly is not {ServerAssembly}");
        }
        foreach (var copy in file.All("COPY").Where(c => !c.StartsWith("--", StringComparison.Ordinal)))
        {
            var words = copy.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            foreach (var source in words[..^1].Where(w => !File.Exists(Path.Combine(repositoryRoot, w)) && !Directory.Exists(Path.Combine(repositoryRoot, w))))
            {
                problems.Add($"Dockerfile: COPY {source}, which the repository does not have");
            }
        }
        return problems;
    }

    /// <summary>kustomization.yaml lists every manifest except the templates (applied as filled-in copies), and nothing else.</summary>
    public static List<string> Kustomization(ManifestSet set)
    {
        var problems = new List<string>();
        var kustomization = set.OfKind("Kustomization").SingleOrDefault();
        var listed = (kustomization?.Node["resources"]?.AsArray() ?? []).Select(n => (string?)n ?? "").ToList();
        var manifests = set.All.Select(m => m.File).Distinct()
            .Where(f => f != "kustomization.yaml" && !f.EndsWith(".template.yaml", StringComparison.Ordinal)).ToList();
        problems.AddRange(manifests.Except(listed).Select(f => $"kustomization.yaml: {f} is not listed, so kubectl apply -k leaves it out"));
        problems.AddRange(listed.Except(manifests).Select(f => $"kustomization.yaml: lists {f}, which is not a manifest here"));
        if (listed.IndexOf("namespace.yaml") != 0)
        {
            problems.Add("kustomization.yaml: namespace.yaml must come first");
        }
        var namespaces = set.OfKind("Namespace").Select(n => n.Name).ToHashSet();
        foreach (var manifest in set.All.Where(m => m.Kind is not ("Namespace" or "Kustomization")))
        {
            if (manifest.Namespace is null || !namespaces.Contains(manifest.Namespace))
            {
                problems.Add($"{manifest}: namespace {manifest.Namespace ?? "(none)"} is not the one the manifests create");
            }
        }
        return problems;
    }

    /// <summary>The secret template holds placeholders only: every value a password could be in says CHANGE-ME.</summary>
    public static List<string> SecretTemplate(ManifestSet set)
    {
        var problems = new List<string>();
        foreach (var secret in set.OfKind("Secret"))
        {
            if (secret.Node["data"] is JsonObject)
            {
                problems.Add($"{secret}: base64 data in a template; use stringData placeholders");
            }
            foreach (var (key, value) in Container.DataOf(secret))
            {
                var secretive = key.Contains("password", StringComparison.OrdinalIgnoreCase) || value.Contains("password=", StringComparison.OrdinalIgnoreCase);
                if (secretive && !value.Contains("CHANGE-ME", StringComparison.Ordinal))
                {
                    problems.Add($"{secret}: {key} holds a value, not the CHANGE-ME placeholder");
                }
            }
        }
        return problems;
    }
}
