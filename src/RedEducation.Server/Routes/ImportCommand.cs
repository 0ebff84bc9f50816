using System.Diagnostics;
using System.Globalization;
using RedEducation.Geo;
using RedEducation.Server.Hosting;

namespace RedEducation.Server.Routes;

/// <summary>
/// <c>RedEducation.Server import-osm &lt;file.osm.pbf&gt; [--RedEducation:DataDirectory=…]</c>: builds the road graph from
/// an OpenStreetMap extract (for example Geofabrik's liaoning-latest.osm.pbf) and stores it in the data directory,
/// where the server picks it up on its next start in place of the shipped skeleton.
/// </summary>
public static class ImportCommand
{
    public const string Name = "import-osm";

    public static bool Matches(string[] args) => args.Length > 0 && args[0] == Name;

    public static int Run(string[] args, TextWriter output)
    {
        if (args.Length < 2 || !File.Exists(args[1]))
        {
            output.WriteLine($"usage: {Name} <file.osm.pbf> [--RedEducation:DataDirectory=<dir>]  (file not found: {(args.Length > 1 ? args[1] : "none given")})");
            return 2;
        }
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args[2..])
            .Build();
        var options = configuration.GetSection(RedEducationOptions.Section).Get<RedEducationOptions>() ?? new RedEducationOptions();
        var target = RoadNetwork.ImportedGraphPath(options);
        var watch = Stopwatch.StartNew();
        RoadGraph graph;
        using (var pbf = File.OpenRead(args[1]))
        {
            graph = OsmImport.FromPbf(pbf, new Progress(output, pbf));
        }
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temporary = target + ".tmp";
        using (var file = File.Create(temporary))
        {
            graph.Save(file);
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, target, overwrite: true);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"imported {graph.NodeCount:N0} nodes and {graph.EdgeCount:N0} road edges in {watch.Elapsed.TotalSeconds:0.0} s into {target}; restart the server to use it"));
        return 0;
    }

    /// <summary>
    /// Writes progress as it comes, on the calling thread, so that the lines keep their order. Each line ends with how far
    /// through the file the current pass is (the import reads the file once for ways, then again for their nodes), which
    /// <c>redu import-osm</c> draws as a progress bar.
    /// </summary>
    private sealed class Progress(TextWriter output, FileStream file) : IProgress<OsmImportProgress>
    {
        public void Report(OsmImportProgress value)
        {
            var percent = file.Length == 0 ? 100 : (int)(100 * file.Position / file.Length);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {value.Phase}: {value.ElementsRead:N0} elements read, {value.WaysKept:N0} roads kept, {value.NodesKept:N0} nodes ({percent}% of the file)"));
            output.Flush();
        }
    }
}
