using NetTopologySuite.Geometries;

namespace RedEducation.Geo.Tests;

public sealed class RoadGeoJsonTests
{
    [Fact]
    public void FromGeoJson_LinesCrossingAtASharedVertex_AreJoinedThere()
    {
        // An east-west road and a north-south road that share their middle vertex (written with noise below 1e-7).
        var json = Collection(
            Line("primary", null, null, (123.40, 41.80), (123.41, 41.80), (123.42, 41.80)),
            Line("residential", null, null, (123.41000000004, 41.79), (123.41, 41.80000000003), (123.41, 41.81)));

        var graph = RoadGeoJson.FromGeoJson(json);
        var router = Router.Create(graph);

        Assert.Equal(5, graph.NodeCount);
        Assert.Equal(8, graph.EdgeCount);
        var route = router.Shortest(new Coordinate(123.40, 41.80), new Coordinate(123.41, 41.81), RouteMetric.Distance);
        Assert.NotNull(route);
        var expected = Geodesic.Distance(41.80, 123.40, 41.80, 123.41) + Geodesic.Distance(41.80, 123.41, 41.81, 123.41);
        Assert.Equal(expected, route.DistanceMeters, 0.01);
    }

    [Fact]
    public void FromGeoJson_VerticesApartBeyondTheRounding_StayUnjoined()
    {
        var json = Collection(
            Line("primary", null, null, (123.40, 41.80), (123.41, 41.80)),
            Line("primary", null, null, (123.41, 41.8000002), (123.42, 41.80)));

        var router = Router.Create(RoadGeoJson.FromGeoJson(json));

        Assert.Null(router.Shortest(new Coordinate(123.40, 41.80), new Coordinate(123.42, 41.80)));
    }

    [Fact]
    public void FromGeoJson_PropertiesSetSpeedOnewayAndSkipNonCarClasses()
    {
        var json = Collection(
            Line("secondary", 36, true, (123.40, 41.80), (123.41, 41.80)),
            Line("footway", null, null, (123.41, 41.80), (123.41, 41.81)),
            Line("motorway_link", null, false, (123.41, 41.80), (123.42, 41.80)));

        var graph = RoadGeoJson.FromGeoJson(json);

        Assert.Equal(3, graph.NodeCount);
        Assert.Equal(3, graph.EdgeCount); // one-way secondary + two-way link
        var secondary = Assert.Single(Enumerable.Range(0, graph.EdgeCount), e => graph.EdgeRoadClass(e) == RoadClass.Secondary);
        Assert.Equal(graph.EdgeLengthMeters(secondary) / 10, graph.EdgeDurationSeconds(secondary), 6);
        Assert.Equal(2, Enumerable.Range(0, graph.EdgeCount).Count(e => graph.EdgeRoadClass(e) == RoadClass.Link));
    }

    [Fact]
    public void FromGeoJson_NotAFeatureCollection_Throws()
    {
        Assert.Throws<FormatException>(() => RoadGeoJson.FromGeoJson("""{"type":"Feature"}"""));
    }

    private static string Collection(params string[] features) =>
        $$"""{"type":"FeatureCollection","features":[{{string.Join(',', features)}}]}""";

    private static string Line(string highway, double? maxspeed, bool? oneway, params (double Lon, double Lat)[] points)
    {
        var coordinates = string.Join(',', points.Select(p => FormattableString.Invariant($"[{p.Lon:R},{p.Lat:R}]")));
        var extra = (maxspeed is { } s ? FormattableString.Invariant($",\"maxspeed\":{s}") : string.Empty) +
            (oneway is { } o ? $",\"oneway\":{(o ? "true" : "false")}" : string.Empty);
        return $$$"""{"type":"Feature","properties":{"highway":"{{{highway}}}","name":"t"{{{extra}}}},"geometry":{"type":"LineString","coordinates":[{{{coordinates}}}]}}""";
    }
}
