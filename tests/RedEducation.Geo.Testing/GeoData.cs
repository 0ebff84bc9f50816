namespace RedEducation.Geo.Testing;

/// <summary>Where the shared geodata lives: ../shared/geodata next to the repository root (the folder with RedEducation.sln).</summary>
public static class GeoData
{
    private static readonly Lazy<RoadGraph> Monaco = new(() =>
    {
        using var file = File.OpenRead(MonacoPbfPath);
        return OsmImport.FromPbf(file);
    });

    private static readonly Lazy<Router> MonacoRouterLazy = new(() => Router.Create(Monaco.Value));

    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "RedEducation.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new DirectoryNotFoundException($"No RedEducation.sln above {AppContext.BaseDirectory}.");
        }
    }

    public static string SharedGeodata => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "geodata"));

    public static string MonacoPbfPath => Path.Combine(SharedGeodata, "monaco.osm.pbf");

    /// <summary>The Monaco graph, imported once per process.</summary>
    public static RoadGraph MonacoGraph => Monaco.Value;

    /// <summary>A router over the Monaco graph, preprocessed once per process.</summary>
    public static Router MonacoRouter => MonacoRouterLazy.Value;
}
