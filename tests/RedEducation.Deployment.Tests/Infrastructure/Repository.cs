using RedEducation.Testing;

namespace RedEducation.Deployment.Tests.Infrastructure;

internal static class Repository
{
    /// <summary>The repository root: the nearest directory upwards holding RedEducation.sln.</summary>
    public static string Root { get; } = FindRoot();

    public static string K8s => Path.Combine(Root, "k8s");

    public static ManifestSet Manifests() => ManifestSet.Load(K8s);

    /// <summary>
    /// A copy of k8s/ with deliberate faults: in each edit, Find replaced by Replace in File (the text must occur, so
    /// that a test never checks an unchanged copy).
    /// </summary>
    public static ManifestSet Broken(TempDirectory scratch, params (string File, string Find, string Replace)[] edits)
    {
        foreach (var source in Directory.GetFiles(K8s))
        {
            File.Copy(source, Path.Combine(scratch.Path, Path.GetFileName(source)), overwrite: true);
        }
        foreach (var (file, find, replace) in edits)
        {
            var path = Path.Combine(scratch.Path, file);
            var text = File.ReadAllText(path);
            Assert.Contains(find, text, StringComparison.Ordinal);
            File.WriteAllText(path, text.Replace(find, replace, StringComparison.Ordinal));
        }
        return ManifestSet.Load(scratch.Path);
    }

    /// <summary>Runs <paramref name="check"/> on a broken copy and insists that it reports <paramref name="expected"/>.</summary>
    public static void AssertReported(Func<ManifestSet, List<string>> check, string expected, params (string File, string Find, string Replace)[] edits)
    {
        using var scratch = new TempDirectory();
        var problems = check(Broken(scratch, edits));
        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RedEducation.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no RedEducation.sln above {AppContext.BaseDirectory}");
    }
}
