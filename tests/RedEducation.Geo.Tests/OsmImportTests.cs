using OsmSharp;
using OsmSharp.Streams;
using OsmSharp.Tags;
using RedEducation.Geo.Testing;

namespace RedEducation.Geo.Tests;

public sealed class OsmImportTests
{
    [Fact]
    public void FromPbf_Monaco_HasPlausibleSizeAndOsmIds()
    {
        var graph = GeoData.MonacoGraph;

        // Monaco is ~2 km²: a couple of thousand junctions, each road drivable in one or two directions.
        Assert.InRange(graph.NodeCount, 1_000, 10_000);
        Assert.InRange(graph.EdgeCount, graph.PieceCount, 2 * graph.PieceCount);
        Assert.True(graph.HasOsmIds);
        for (var v = 0; v < graph.NodeCount; v++)
        {
            var c = graph.NodeCoordinate(v);
            Assert.InRange(c.Y, 43.60, 43.80); // the extract's cut polygon, with French roads around Monaco
            Assert.InRange(c.X, 7.30, 7.55);
        }
    }

    [Fact]
    public void FromPbf_Monaco_KeepsEveryCarClassAndSomeOneWays()
    {
        var graph = GeoData.MonacoGraph;
        var classes = Enumerable.Range(0, graph.EdgeCount).Select(graph.EdgeRoadClass).ToHashSet();
        Assert.Contains(RoadClass.Primary, classes);
        Assert.Contains(RoadClass.Residential, classes);
        Assert.Contains(RoadClass.Service, classes);
        Assert.Contains(RoadClass.Link, classes);

        var oneWay = Enumerable.Range(0, graph.PieceCount).Count(p => (graph.PieceForwardEdge[p] < 0) != (graph.PieceBackwardEdge[p] < 0));
        Assert.InRange(oneWay, 100, graph.PieceCount - 100);
    }

    [Fact]
    public void ShortestBetweenNodes_MonacoOneWayPiece_WayBackTakesAnotherRoad()
    {
        var graph = GeoData.MonacoGraph;
        var router = GeoData.MonacoRouter;
        // Pieces whose end nodes are joined by no other piece, so the way back must go around.
        var pairs = Enumerable.Range(0, graph.PieceCount)
            .GroupBy(p => (Math.Min(graph.PieceFrom[p], graph.PieceTo[p]), Math.Max(graph.PieceFrom[p], graph.PieceTo[p])))
            .Where(g => g.Count() == 1).Select(g => g.Single()).ToHashSet();
        var checkedPieces = 0;
        for (var p = 0; p < graph.PieceCount && checkedPieces < 20; p++)
        {
            var forward = graph.PieceForwardEdge[p];
            if (forward < 0 || graph.PieceBackwardEdge[p] >= 0 || graph.PieceFrom[p] == graph.PieceTo[p] || graph.PieceLength[p] < 30 || !pairs.Contains(p))
            {
                continue;
            }

            var (a, b) = (graph.PieceFrom[p], graph.PieceTo[p]);
            var there = router.ShortestBetweenNodes(a, b, RouteMetric.Distance);
            var back = router.ShortestBetweenNodes(b, a, RouteMetric.Distance);
            Assert.NotNull(there);
            Assert.True(there.DistanceMeters <= graph.PieceLength[p] + 0.01);
            if (there.DistanceMeters < graph.PieceLength[p] - 0.01)
            {
                continue; // some other road links the two ends more directly in both directions
            }

            // The way back cannot use the one-way piece, so it is another road (longer or shorter) or none.
            Assert.True(back is null || Math.Abs(back.DistanceMeters - there.DistanceMeters) > 0.5,
                $"one-way piece {p}: back {back?.DistanceMeters} vs there {there.DistanceMeters}");
            Assert.True(back is null || !back.Geometry.Reverse().EqualsExact(there.Geometry));
            checkedPieces++;
        }

        Assert.Equal(20, checkedPieces);
    }

    [Fact]
    public void FromPbf_HandMadeExtract_AppliesClassAccessOnewayAndSpeedRules()
    {
        // 1-2-3 residential; 3-4 footway; 3-5 private service; 2-6 primary oneway=-1 30 mph; 6-7-8 pedestrian area;
        // 8-9 motorway (implied one-way); 6-9 unclassified access=no motor_vehicle=yes; 9-10 reversible (skipped).
        var nodes = new (long Id, double Lat, double Lon)[]
        {
            (1, 41.80, 123.40), (2, 41.80, 123.41), (3, 41.80, 123.42), (4, 41.81, 123.42), (5, 41.79, 123.42),
            (6, 41.81, 123.41), (7, 41.82, 123.41), (8, 41.82, 123.40), (9, 41.81, 123.40), (10, 41.81, 123.39),
        };
        var ways = new (long Id, long[] Refs, string[] Tags)[]
        {
            (100, [1, 2, 3], ["highway", "residential"]),
            (101, [3, 4], ["highway", "footway"]),
            (102, [3, 5], ["highway", "service", "access", "private"]),
            (103, [2, 6], ["highway", "primary", "oneway", "-1", "maxspeed", "30 mph"]),
            (104, [6, 7, 8], ["highway", "pedestrian", "area", "yes"]),
            (105, [8, 9], ["highway", "motorway"]),
            (106, [6, 9], ["highway", "unclassified", "access", "no", "motor_vehicle", "yes"]),
            (107, [9, 10], ["highway", "tertiary", "oneway", "reversible"]),
        };

        var graph = OsmImport.FromPbf(new MemoryStream(WritePbf(nodes, ways)));

        Assert.False(graph.TryGetNodeByOsmId(4, out _));
        Assert.False(graph.TryGetNodeByOsmId(5, out _));
        Assert.False(graph.TryGetNodeByOsmId(7, out _));
        Assert.False(graph.TryGetNodeByOsmId(10, out _));
        Assert.True(graph.TryGetNodeByOsmId(2, out var n2)); // shared by ways 100 and 103: a junction
        Assert.True(graph.TryGetNodeByOsmId(6, out var n6));
        Assert.True(graph.TryGetNodeByOsmId(8, out var n8));
        Assert.True(graph.TryGetNodeByOsmId(9, out var n9));
        Assert.Equal(6, graph.NodeCount); // 1, 2, 3, 6, 8, 9

        var primary = Assert.Single(Edges(graph), e => graph.EdgeRoadClass(e) == RoadClass.Primary);
        Assert.Equal(n2, graph.EdgeHead(primary)); // oneway=-1: only 6 -> 2
        Assert.Equal(graph.EdgeLengthMeters(primary) / (30 * 1.609344 / 3.6), graph.EdgeDurationSeconds(primary), 6);

        var motorway = Assert.Single(Edges(graph), e => graph.EdgeRoadClass(e) == RoadClass.Motorway);
        Assert.Equal(n9, graph.EdgeHead(motorway)); // implied one-way along the way: 8 -> 9
        Assert.Equal(graph.EdgeLengthMeters(motorway) / (100 / 3.6), graph.EdgeDurationSeconds(motorway), 6);

        Assert.Equal(2, Edges(graph).Count(e => graph.EdgeRoadClass(e) == RoadClass.Unclassified)); // 6 <-> 9 allowed
        Assert.Equal(4, Edges(graph).Count(e => graph.EdgeRoadClass(e) == RoadClass.Residential));   // 1-2, 2-3 both ways
        _ = n6;
        _ = n8;
    }

    [Theory]
    [InlineData("50", 50.0)]
    [InlineData("50 km/h", 50.0)]
    [InlineData("30 mph", 48.28032)]
    [InlineData("10 knots", 18.52)]
    [InlineData("CN:urban", 50.0)]
    [InlineData("CN:rural", 70.0)]
    [InlineData("DE:zone30", 30.0)]
    [InlineData("RU:living_street", 20.0)]
    [InlineData("60;80", 60.0)]
    [InlineData("walk", 6.0)]
    [InlineData("none", 130.0)]
    [InlineData("70.5", 70.5)]
    public void ParseMaxSpeed_KnownForms_GiveKmh(string value, double expected)
    {
        Assert.Equal(expected, OsmTagRules.ParseMaxSpeed(value)!.Value, 6);
    }

    [Theory]
    [InlineData("signals")]
    [InlineData("variable")]
    [InlineData("fast")]
    [InlineData("")]
    [InlineData("-5")]
    public void ParseMaxSpeed_Unusable_IsNull(string value)
    {
        Assert.Null(OsmTagRules.ParseMaxSpeed(value));
    }

    [Theory]
    [InlineData("yes", "residential", null, RoadDirection.Forward)]
    [InlineData("1", "residential", null, RoadDirection.Forward)]
    [InlineData("true", "residential", null, RoadDirection.Forward)]
    [InlineData("-1", "residential", null, RoadDirection.Backward)]
    [InlineData(null, "motorway", null, RoadDirection.Forward)]
    [InlineData("no", "motorway", null, RoadDirection.Both)]
    [InlineData(null, "tertiary", "roundabout", RoadDirection.Forward)]
    [InlineData(null, "tertiary", null, RoadDirection.Both)]
    [InlineData(null, "motorway_link", null, RoadDirection.Both)]
    public void ParseOneway_Tags_GiveDirection(string? oneway, string highway, string? junction, RoadDirection expected)
    {
        Assert.Equal(expected, OsmTagRules.ParseOneway(oneway, highway, junction));
    }

    private static IEnumerable<int> Edges(RoadGraph graph) => Enumerable.Range(0, graph.EdgeCount);

    private static byte[] WritePbf((long Id, double Lat, double Lon)[] nodes, (long Id, long[] Refs, string[] Tags)[] ways)
    {
        var stamp = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var elements = new List<OsmGeo>();
        foreach (var (id, lat, lon) in nodes)
        {
            elements.Add(new Node { Id = id, Latitude = lat, Longitude = lon, Version = 1, TimeStamp = stamp, ChangeSetId = 1, UserId = 1, UserName = "test", Visible = true, Tags = new TagsCollection() });
        }

        foreach (var (id, refs, tags) in ways)
        {
            var collection = new TagsCollection();
            for (var i = 0; i < tags.Length; i += 2)
            {
                collection.Add(tags[i], tags[i + 1]);
            }

            elements.Add(new Way { Id = id, Nodes = refs, Tags = collection, Version = 1, TimeStamp = stamp, ChangeSetId = 1, UserId = 1, UserName = "test", Visible = true });
        }

        using var buffer = new MemoryStream();
        var target = new PBFOsmStreamTarget(buffer);
        target.RegisterSource(new OsmEnumerableStreamSource(elements));
        target.Pull();
        target.Flush();
        return buffer.ToArray();
    }
}
