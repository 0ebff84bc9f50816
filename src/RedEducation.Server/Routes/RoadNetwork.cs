using Microsoft.Extensions.Options;
using NetTopologySuite.Geometries;
using RedEducation.Domain.Geography;
using RedEducation.Geo;
using RedEducation.Server.Hosting;

namespace RedEducation.Server.Routes;

/// <summary>
/// The road network the planner routes on, loaded once at start: an imported OSM extract (data/roads/graph.bin, made
/// by the import-osm command) when there is one, else the shipped Liaoning skeleton (geodata/roads/liaoning.geojson).
/// Read-only after loading and shared by every request.
/// </summary>
public sealed class RoadNetwork
{
    public RoadNetwork(IOptions<RedEducationOptions> options)
    {
        var imported = ImportedGraphPath(options.Value);
        if (File.Exists(imported))
        {
            using var file = File.OpenRead(imported);
            Graph = RoadGraph.Load(file);
            Source = $"imported OSM extract ({imported})";
        }
        else
        {
            var path = options.Value.RoadFilePath;
            Graph = RoadGeoJson.FromGeoJson(File.ReadAllText(path));
            Source = $"road skeleton ({Path.GetFileName(path)})";
        }
        // Planning uses travel time only; the distance metric costs a second contraction, which a province extract does not need.
        Router = Router.Create(Graph, prepareDistance: false);
    }

    public RoadGraph Graph { get; }
    public Router Router { get; }
    public string Source { get; }

    public static string ImportedGraphPath(RedEducationOptions options) => options.DataPath("roads", "graph.bin");

    /// <summary>WGS84 coordinates from input in any datum Chinese maps use.</summary>
    public static Coordinate ToWgs84(double lat, double lon, Datum datum)
    {
        var p = datum switch
        {
            Datum.Gcj02 => ChinaCoordinates.Gcj02ToWgs84(new LatLon(lat, lon)),
            Datum.Bd09 => ChinaCoordinates.Bd09ToWgs84(new LatLon(lat, lon)),
            _ => new LatLon(lat, lon),
        };
        return new Coordinate(p.Lon, p.Lat);
    }
}

public enum Datum
{
    Wgs84,
    Gcj02,
    Bd09,
}
