using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace RedEducation.Geo;

/// <summary>A position on a road piece: where a coordinate lands when it is snapped to the nearest road.</summary>
public sealed record SnappedPoint(Coordinate Point, double DistanceMeters)
{
    internal int Piece { get; init; }

    internal int Segment { get; init; }

    /// <summary>Metres from the piece's first node to the snapped point, along the piece.</summary>
    internal double Along { get; init; }
}

/// <summary>Nearest-road lookup over every segment of every piece, with an STRtree built once.</summary>
internal sealed class Snapper
{
    private const double FirstRadius = 100;
    private readonly RoadGraph graph;
    private readonly STRtree<int> tree;
    private readonly int[] segmentPiece;
    private readonly int[] segmentIndex;

    public Snapper(RoadGraph graph)
    {
        this.graph = graph;
        var count = 0;
        for (var p = 0; p < graph.PieceCount; p++)
        {
            count += graph.PiecePointCount(p) - 1;
        }

        segmentPiece = new int[count];
        segmentIndex = new int[count];
        tree = new STRtree<int>();
        var s = 0;
        for (var p = 0; p < graph.PieceCount; p++)
        {
            var points = graph.PiecePointCount(p);
            var (lat0, lon0) = graph.PiecePoint(p, 0);
            for (var i = 1; i < points; i++)
            {
                var (lat1, lon1) = graph.PiecePoint(p, i);
                segmentPiece[s] = p;
                segmentIndex[s] = i - 1;
                tree.Insert(new Envelope(lon0, lon1, lat0, lat1), s);
                s++;
                (lat0, lon0) = (lat1, lon1);
            }
        }

        tree.Build();
    }

    public SnappedPoint? Snap(Coordinate c)
    {
        if (segmentPiece.Length == 0 || !double.IsFinite(c.X) || !double.IsFinite(c.Y))
        {
            return null;
        }

        var bounds = tree.Root.Bounds as Envelope;
        for (var radius = FirstRadius; ; radius *= 4)
        {
            var envelope = Around(c, radius);
            var covered = bounds is null || envelope.Contains(bounds);
            var best = -1;
            var bestDistance = double.MaxValue;
            var (mLat, mLon) = Geodesic.MetresPerDegree(c.Y);
            foreach (var s in tree.Query(envelope))
            {
                var d = ProjectedDistance(s, c, mLat, mLon, out _);
                if (d < bestDistance || (d == bestDistance && s < best))
                {
                    bestDistance = d;
                    best = s;
                }
            }

            // Anything outside the envelope is farther than radius, so a hit within radius is the nearest.
            if (best >= 0 && (bestDistance <= radius || covered))
            {
                return Make(best, c, mLat, mLon);
            }

            if (covered)
            {
                return null;
            }
        }
    }

    private static Envelope Around(Coordinate c, double radius)
    {
        var margin = radius * 1.01;
        var (mLat, _) = Geodesic.MetresPerDegree(c.Y);
        var dLat = margin / Math.Min(mLat, 110_500);
        var poleward = Math.Min(89.9, Math.Abs(c.Y) + dLat);
        var (_, mLon) = Geodesic.MetresPerDegree(poleward);
        var dLon = Math.Min(360, margin / Math.Max(mLon, 1e-3));
        return new Envelope(c.X - dLon, c.X + dLon, c.Y - dLat, c.Y + dLat);
    }

    // Distance in a local tangent plane around c: exact enough to rank segments near c.
    private double ProjectedDistance(int s, Coordinate c, double mLat, double mLon, out double t)
    {
        var p = segmentPiece[s];
        var i = segmentIndex[s];
        var (lat0, lon0) = graph.PiecePoint(p, i);
        var (lat1, lon1) = graph.PiecePoint(p, i + 1);
        var ax = (lon0 - c.X) * mLon;
        var ay = (lat0 - c.Y) * mLat;
        var bx = (lon1 - c.X) * mLon;
        var by = (lat1 - c.Y) * mLat;
        var dx = bx - ax;
        var dy = by - ay;
        var len2 = (dx * dx) + (dy * dy);
        t = len2 > 0 ? Math.Clamp(-((ax * dx) + (ay * dy)) / len2, 0, 1) : 0;
        var px = ax + (t * dx);
        var py = ay + (t * dy);
        return Math.Sqrt((px * px) + (py * py));
    }

    private SnappedPoint Make(int s, Coordinate c, double mLat, double mLon)
    {
        ProjectedDistance(s, c, mLat, mLon, out var t);
        var p = segmentPiece[s];
        var i = segmentIndex[s];
        var (lat0, lon0) = graph.PiecePoint(p, i);
        var (lat1, lon1) = graph.PiecePoint(p, i + 1);
        var lat = lat0 + (t * (lat1 - lat0));
        var lon = lon0 + (t * (lon1 - lon0));
        var along = 0.0;
        for (var k = 0; k < i; k++)
        {
            var (aLat, aLon) = graph.PiecePoint(p, k);
            var (bLat, bLon) = graph.PiecePoint(p, k + 1);
            along += Geodesic.Distance(aLat, aLon, bLat, bLon);
        }

        along += Geodesic.Distance(lat0, lon0, lat, lon);
        along = Math.Min(along, graph.PieceLength[p]);
        return new SnappedPoint(new Coordinate(lon, lat), Geodesic.Distance(c.Y, c.X, lat, lon))
        {
            Piece = p,
            Segment = i,
            Along = along,
        };
    }
}
