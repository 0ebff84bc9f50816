using NetTopologySuite.Geometries;
using RedEducation.Geo.Testing;

namespace RedEducation.Geo.Tests;

public sealed class RouterTests
{
    private static Router Monaco => GeoData.MonacoRouter;

    [Fact]
    public void Snap_PointBesideARoad_LandsOnTheRoadWithGeodesicDistance()
    {
        var graph = GeoData.MonacoGraph;
        var node = graph.NodeCoordinate(100);
        var (perLat, _) = Geodesic.MetresPerDegree(node.Y);
        var beside = new Coordinate(node.X, node.Y + (5 / perLat)); // 5 m north of a junction

        var snapped = Monaco.Snap(beside);

        Assert.NotNull(snapped);
        Assert.InRange(snapped.DistanceMeters, 0, 5.01);
        Assert.Equal(snapped.DistanceMeters, Geodesic.Distance(beside.Y, beside.X, snapped.Point.Y, snapped.Point.X), 6);
    }

    [Fact]
    public void Snap_ExactNode_HasZeroDistance()
    {
        var snapped = Monaco.Snap(GeoData.MonacoGraph.NodeCoordinate(42));
        Assert.NotNull(snapped);
        Assert.Equal(0, snapped.DistanceMeters, 6);
    }

    [Fact]
    public void Snap_FarAwayPoint_StillFindsTheNearestRoad()
    {
        var snapped = Monaco.Snap(new Coordinate(7.0, 43.0)); // in the sea, ~90 km away
        Assert.NotNull(snapped);
        Assert.InRange(snapped.DistanceMeters, 50_000, 150_000);
    }

    [Fact]
    public void Shortest_BetweenNodeCoordinates_EqualsNodeRoute()
    {
        var graph = GeoData.MonacoGraph;
        var random = new Random(17);
        for (var i = 0; i < 30; i++)
        {
            TestContext.Current.CancellationToken.ThrowIfCancellationRequested();
            var (a, b) = (random.Next(graph.NodeCount), random.Next(graph.NodeCount));
            var byNodes = Monaco.ShortestBetweenNodes(a, b, RouteMetric.Time);
            var byCoordinates = Monaco.Shortest(graph.NodeCoordinate(a), graph.NodeCoordinate(b), RouteMetric.Time);
            Assert.Equal(byNodes is null, byCoordinates is null);
            if (byNodes is not null && byCoordinates is not null)
            {
                Assert.Equal(byNodes.DurationSeconds, byCoordinates.DurationSeconds, 0.01);
            }
        }
    }

    [Theory]
    [InlineData(RouteMetric.Time)]
    [InlineData(RouteMetric.Distance)]
    public void Shortest_RandomPoints_GeometryStartsAtSnappedPointsAndMeasuresTheDistance(RouteMetric metric)
    {
        var random = new Random(23);
        var found = 0;
        for (var i = 0; i < 40; i++)
        {
            TestContext.Current.CancellationToken.ThrowIfCancellationRequested();
            var from = new Coordinate(7.41 + (random.NextDouble() * 0.025), 43.727 + (random.NextDouble() * 0.015));
            var to = new Coordinate(7.41 + (random.NextDouble() * 0.025), 43.727 + (random.NextDouble() * 0.015));
            var route = Monaco.Shortest(from, to, metric);
            if (route is null)
            {
                continue;
            }

            found++;
            Assert.Equal(4326, route.Geometry.SRID);
            Assert.Equal(Monaco.Snap(from)!.Point, route.Geometry.Coordinates[0]);
            Assert.Equal(Monaco.Snap(to)!.Point, route.Geometry.Coordinates[^1]);
            var drawn = 0.0;
            var c = route.Geometry.Coordinates;
            for (var k = 1; k < c.Length; k++)
            {
                drawn += Geodesic.Distance(c[k - 1].Y, c[k - 1].X, c[k].Y, c[k].X);
            }

            Assert.Equal(route.DistanceMeters, drawn, Math.Max(0.5, route.DistanceMeters * 1e-6));
            Assert.True(route.DurationSeconds > 0 || route.DistanceMeters < 0.01);
        }

        Assert.True(found >= 30, $"only {found} of 40 random pairs routed");
    }

    [Fact]
    public void Shortest_DistanceMetric_IsNeverLongerAndTimeMetricNeverSlower()
    {
        var graph = GeoData.MonacoGraph;
        var random = new Random(29);
        var differing = 0;
        for (var i = 0; i < 100; i++)
        {
            var (a, b) = (graph.NodeCoordinate(random.Next(graph.NodeCount)), graph.NodeCoordinate(random.Next(graph.NodeCount)));
            var fastest = Monaco.Shortest(a, b, RouteMetric.Time);
            var shortest = Monaco.Shortest(a, b, RouteMetric.Distance);
            Assert.Equal(fastest is null, shortest is null);
            if (fastest is null || shortest is null)
            {
                continue;
            }

            Assert.True(shortest.DistanceMeters <= fastest.DistanceMeters + 0.05);
            Assert.True(fastest.DurationSeconds <= shortest.DurationSeconds + 0.05);
            differing += shortest.DistanceMeters < fastest.DistanceMeters - 1 ? 1 : 0;
        }

        Assert.True(differing > 0, "the two metrics never chose different routes");
    }

    [Fact]
    public void Shortest_SamePieceBothDirections_DrivesAlongThePieceOrAround()
    {
        // A straight two-way road 0-1 and a one-way road 2-3, each ~1.1 km, far apart.
        var builder = new RoadGraphBuilder();
        var a = builder.AddNode(41.80, 123.40);
        var b = builder.AddNode(41.81, 123.40);
        var c = builder.AddNode(41.80, 123.50);
        var d = builder.AddNode(41.81, 123.50);
        builder.AddRoad(a, b, [], RoadClass.Residential, 36);
        builder.AddRoad(c, d, [], RoadClass.Residential, 36, RoadDirection.Forward);
        var router = Router.Create(builder.Build());

        var up = router.Shortest(new Coordinate(123.40, 41.802), new Coordinate(123.40, 41.808));
        var down = router.Shortest(new Coordinate(123.40, 41.808), new Coordinate(123.40, 41.802));
        var oneWayAlong = router.Shortest(new Coordinate(123.50, 41.802), new Coordinate(123.50, 41.808));
        var oneWayAgainst = router.Shortest(new Coordinate(123.50, 41.808), new Coordinate(123.50, 41.802));
        var otherRoad = router.Shortest(new Coordinate(123.40, 41.805), new Coordinate(123.50, 41.805));

        var expected = Geodesic.Distance(41.802, 123.40, 41.808, 123.40);
        Assert.NotNull(up);
        Assert.NotNull(down);
        Assert.NotNull(oneWayAlong);
        Assert.Equal(expected, up.DistanceMeters, 0.01);
        Assert.Equal(expected, down.DistanceMeters, 0.01);
        Assert.Equal(expected, oneWayAlong.DistanceMeters, 0.01);
        Assert.Equal(expected / 10, up.DurationSeconds, 0.01); // 36 km/h = 10 m/s
        Assert.Null(oneWayAgainst);
        Assert.Null(otherRoad);
    }

    [Fact]
    public void DurationMatrix_Disconnected_IsInfiniteThereAndMatchesRoutesElsewhere()
    {
        var builder = new RoadGraphBuilder();
        var a = builder.AddNode(41.80, 123.40);
        var b = builder.AddNode(41.81, 123.40);
        var c = builder.AddNode(41.81, 123.41);
        var far1 = builder.AddNode(42.80, 123.40);
        var far2 = builder.AddNode(42.81, 123.40);
        builder.AddRoad(a, b, [], RoadClass.Primary, 60);
        builder.AddRoad(b, c, [], RoadClass.Primary, 60, RoadDirection.Forward);
        builder.AddRoad(far1, far2, [], RoadClass.Primary, 60);
        var router = Router.Create(builder.Build());
        Coordinate[] points = [new(123.40, 41.80), new(123.41, 41.81), new(123.40, 42.805)];

        var durations = router.DurationMatrix(points);
        var distances = router.DistanceMatrix(points);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(0, durations[i, i]);
            Assert.Equal(0, distances[i, i]);
        }

        var route = router.Shortest(points[0], points[1])!;
        Assert.Equal(route.DurationSeconds, durations[0, 1], 6);
        Assert.Equal(route.DistanceMeters, distances[0, 1], 6);
        Assert.Equal(double.PositiveInfinity, durations[1, 0]); // b -> c is one-way
        Assert.Equal(double.PositiveInfinity, durations[0, 2]);
        Assert.Equal(double.PositiveInfinity, distances[2, 1]);
    }

    [Fact]
    public void SaveLoad_Monaco_RoundTripGivesIdenticalRoutes()
    {
        var original = GeoData.MonacoGraph;
        using var buffer = new MemoryStream();
        original.Save(buffer);
        buffer.Position = 0;

        var loaded = RoadGraph.Load(buffer);
        var router = Router.Create(loaded);

        Assert.Equal(original.NodeCount, loaded.NodeCount);
        Assert.Equal(original.EdgeCount, loaded.EdgeCount);
        var random = new Random(31);
        for (var i = 0; i < 50; i++)
        {
            var (a, b) = (random.Next(original.NodeCount), random.Next(original.NodeCount));
            Assert.Equal(original.OsmNodeId(a), loaded.OsmNodeId(a));
            var expected = Monaco.ShortestBetweenNodes(a, b);
            var actual = router.ShortestBetweenNodes(a, b);
            Assert.Equal(expected?.DistanceMeters, actual?.DistanceMeters);
            Assert.Equal(expected?.DurationSeconds, actual?.DurationSeconds);
            Assert.True(expected is null || expected.Geometry.EqualsExact(actual!.Geometry));
        }
    }

    [Fact]
    public void Load_Garbage_ThrowsInvalidData()
    {
        Assert.Throws<InvalidDataException>(() => RoadGraph.Load(new MemoryStream(new byte[64])));
    }

    [Theory]
    [InlineData(0.0, 110_574.0)]
    [InlineData(45.0, 111_132.0)]
    [InlineData(89.0, 111_694.0)]
    public void Distance_OneDegreeOfLatitude_IsAbout111Km(double latitude, double expectedMeters)
    {
        Assert.Equal(expectedMeters, Geodesic.Distance(latitude - 0.5, 10, latitude + 0.5, 10), 2.0);
    }

    [Fact]
    public void Distance_OneDegreeOfLongitudeAtEquatorAndShenyang_FollowsTheEllipsoid()
    {
        Assert.Equal(111_319.5, Geodesic.Distance(0, 123, 0, 124), 1.0);
        Assert.Equal(83_000, Geodesic.Distance(41.8, 123, 41.8, 124), tolerance: 300);
    }
}
