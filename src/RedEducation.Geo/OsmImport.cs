using OsmSharp;
using OsmSharp.Streams;
using OsmSharp.Tags;

namespace RedEducation.Geo;

/// <summary>Progress of an OSM import: the phase, how many OSM elements were read, and what was kept so far.</summary>
public sealed record OsmImportProgress(string Phase, long ElementsRead, int WaysKept, int NodesKept);

/// <summary>Builds a car road graph from an OpenStreetMap PBF extract.</summary>
public static class OsmImport
{
    private const int ReportEvery = 250_000;

    /// <summary>
    /// Reads the PBF twice (ways, then the coordinates of the nodes they use), keeps car-usable highways
    /// (see <see cref="OsmTagRules"/>), splits ways at shared nodes and keeps the other nodes as shape points.
    /// A non-seekable stream is buffered in memory first.
    /// </summary>
    public static RoadGraph FromPbf(Stream pbf, IProgress<OsmImportProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(pbf);
        if (!pbf.CanSeek)
        {
            var buffer = new MemoryStream();
            pbf.CopyTo(buffer);
            buffer.Position = 0;
            pbf = buffer;
        }

        var origin = pbf.Position;
        var assembler = new WayAssembler();
        long read = 0;
        foreach (var geo in new PBFOsmStreamSource(pbf))
        {
            if (++read % ReportEvery == 0)
            {
                progress?.Report(new OsmImportProgress("ways", read, assembler.WayCount, 0));
            }

            if (geo is Way { Nodes: { Length: >= 2 } refs, Tags: { } tags } && Accept(tags, out var cls, out var speed, out var direction))
            {
                assembler.AddWay(refs, cls, speed, direction);
            }
        }

        progress?.Report(new OsmImportProgress("ways", read, assembler.WayCount, 0));
        pbf.Position = origin;
        var coordinates = new Dictionary<long, (double Lat, double Lon)>();
        read = 0;
        foreach (var geo in new PBFOsmStreamSource(pbf))
        {
            if (++read % ReportEvery == 0)
            {
                progress?.Report(new OsmImportProgress("nodes", read, assembler.WayCount, coordinates.Count));
            }

            if (geo is Node { Id: { } id, Latitude: { } lat, Longitude: { } lon } && assembler.IsUsed(id))
            {
                coordinates[id] = (lat, lon);
            }
            else if (geo.Type != OsmGeoType.Node)
            {
                break; // PBF files store nodes first; ways and relations need not be decoded again
            }
        }

        progress?.Report(new OsmImportProgress("nodes", read, assembler.WayCount, coordinates.Count));
        var graph = assembler.Build(
            (long key, out double lat, out double lon) =>
            {
                var found = coordinates.TryGetValue(key, out var c);
                (lat, lon) = c;
                return found;
            },
            keysAreOsmIds: true);
        progress?.Report(new OsmImportProgress("graph", read, assembler.WayCount, graph.NodeCount));
        return graph;
    }

    private static bool Accept(TagsCollectionBase tags, out RoadClass roadClass, out double speedKmh, out RoadDirection direction)
    {
        roadClass = default;
        speedKmh = 0;
        direction = default;
        var highway = Tag("highway");
        if (OsmTagRules.Classify(highway) is not { } c || !OsmTagRules.IsCarAccessible(Tag))
        {
            return false;
        }

        if (OsmTagRules.ParseOneway(Tag("oneway"), highway, Tag("junction")) is not { } d)
        {
            return false;
        }

        roadClass = c.Class;
        speedKmh = OsmTagRules.ParseMaxSpeed(Tag("maxspeed")) ?? c.DefaultSpeedKmh;
        direction = d;
        return true;

        string? Tag(string key) => tags.TryGetValue(key, out var value) ? value : null;
    }
}
