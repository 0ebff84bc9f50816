using NetTopologySuite;
using NetTopologySuite.Geometries;

namespace RedEducation.Geo;

/// <summary>A driven route: its line (X = lon, Y = lat, SRID 4326), geodesic length and travel time.</summary>
public sealed record Route(LineString Geometry, double DistanceMeters, double DurationSeconds);

/// <summary>What a route minimises.</summary>
public enum RouteMetric
{
    Time,
    Distance,
}

/// <summary>The one geometry factory of the Geo library: WGS 84 (SRID 4326).</summary>
public static class Wgs84
{
    /// <summary>Factory for geometries in EPSG:4326, X = longitude, Y = latitude.</summary>
    public static GeometryFactory Factory { get; } = NtsGeometryServices.Instance.CreateGeometryFactory(4326);
}

/// <summary>Integer edge weights per metric: milliseconds and centimetres, so that sums are exact.</summary>
internal static class Weights
{
    public static int[] For(RoadGraph graph, RouteMetric metric)
    {
        var source = metric == RouteMetric.Time ? graph.EdgeDuration : graph.EdgeLength;
        var scale = metric == RouteMetric.Time ? 1000.0 : 100.0;
        var weights = new int[source.Length];
        for (var e = 0; e < source.Length; e++)
        {
            weights[e] = (int)Math.Min(int.MaxValue / 4, Math.Round(source[e] * scale));
        }

        return weights;
    }
}

/// <summary>Turns a sequence of graph edges (plus optional partial pieces at both ends) into a <see cref="Route"/>.</summary>
internal sealed class RouteAssembler(RoadGraph graph)
{
    private readonly List<Coordinate> points = [];
    private double distance;
    private double duration;

    public void AddPoint(double lat, double lon)
    {
        if (points.Count == 0 || points[^1].X != lon || points[^1].Y != lat)
        {
            points.Add(new Coordinate(lon, lat));
        }
    }

    public void AddEdge(int edge)
    {
        var p = graph.EdgePiece[edge];
        var count = graph.PiecePointCount(p);
        var reversed = (graph.EdgeFlags[edge] & RoadGraph.FlagReversed) != 0;
        for (var i = 0; i < count; i++)
        {
            var (lat, lon) = graph.PiecePoint(p, reversed ? count - 1 - i : i);
            AddPoint(lat, lon);
        }

        distance += graph.EdgeLength[edge];
        duration += graph.EdgeDuration[edge];
    }

    /// <summary>Adds part of an edge's piece: the shape points strictly between two snapped positions, then the end.</summary>
    public void AddPartial(int edge, double fraction, IEnumerable<(double Lat, double Lon)> shape)
    {
        foreach (var (lat, lon) in shape)
        {
            AddPoint(lat, lon);
        }

        distance += graph.EdgeLength[edge] * fraction;
        duration += graph.EdgeDuration[edge] * fraction;
    }

    public Route Build()
    {
        if (points.Count == 1)
        {
            points.Add(points[0].Copy());
        }

        return new Route(Wgs84.Factory.CreateLineString([.. points]), distance, duration);
    }
}
