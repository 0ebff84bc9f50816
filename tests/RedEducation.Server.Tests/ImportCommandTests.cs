using Microsoft.Extensions.Options;
using NetTopologySuite.Geometries;
using RedEducation.Geo.Testing;
using RedEducation.Server.Hosting;
using RedEducation.Server.Routes;
using RedEducation.Testing;

namespace RedEducation.Server.Tests;

public sealed class ImportCommandTests
{
    [Fact]
    public void ImportOsm_MonacoExtract_StoresAGraphTheServerLoadsInsteadOfTheSkeleton()
    {
        using var data = new TempDirectory();
        var output = new StringWriter();

        var exit = ImportCommand.Run([ImportCommand.Name, GeoData.MonacoPbfPath, $"--RedEducation:DataDirectory={data.Path}"], output);

        Assert.Equal(0, exit);
        Assert.Contains("imported", output.ToString(), StringComparison.Ordinal);
        // The ways pass reads the whole file; each progress line says how far through it the pass is.
        Assert.Contains("(100% of the file)", output.ToString(), StringComparison.Ordinal);
        var network = new RoadNetwork(Options.Create(new RedEducationOptions { DataDirectory = data.Path }));
        Assert.StartsWith("imported OSM extract", network.Source, StringComparison.Ordinal);
        // Monaco-Ville to Monte-Carlo casino: a couple of kilometres of streets.
        var route = network.Router.Shortest(new Coordinate(7.4215, 43.7311), new Coordinate(7.4275, 43.7395));
        Assert.NotNull(route);
        Assert.InRange(route.DistanceMeters, 1000, 4000);
    }

    [Fact]
    public void ImportOsm_MissingFile_UsageAndNonZeroExit()
    {
        var output = new StringWriter();

        var exit = ImportCommand.Run([ImportCommand.Name, "/nonexistent.osm.pbf"], output);

        Assert.Equal(2, exit);
        Assert.Contains("usage", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void RoadNetwork_NothingImported_UsesTheShippedLiaoningSkeleton()
    {
        using var data = new TempDirectory();

        var network = new RoadNetwork(Options.Create(new RedEducationOptions { DataDirectory = data.Path }));

        Assert.StartsWith("road skeleton", network.Source, StringComparison.Ordinal);
        Assert.NotNull(network.Router.Shortest(new Coordinate(123.43278, 41.79222), new Coordinate(121.60222, 38.91222))); // Shenyang - Dalian
    }
}
