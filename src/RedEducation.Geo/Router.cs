using System.Diagnostics;
using NetTopologySuite.Geometries;

namespace RedEducation.Geo;

/// <summary>
/// Shortest routes on one road graph snapshot. Creating it contracts the graph once per metric (contraction
/// hierarchies) and builds the snapping index; afterwards every method is thread-safe.
/// Routes between coordinates start and end at the snapped points on the road: the off-road legs from the given
/// coordinates to the road are not part of the geometry, the distance or the duration.
/// </summary>
public sealed class Router
{
    private readonly Snapper snapper;
    private readonly ContractionHierarchy?[] hierarchies = new ContractionHierarchy?[2];
    private readonly int[][] weights = new int[2][];

    private Router(RoadGraph graph, bool prepareDistance)
    {
        Graph = graph;
        var clock = Stopwatch.StartNew();
        Snapper? built = null;
        Parallel.Invoke(
            () => Contract(RouteMetric.Time),
            () =>
            {
                if (prepareDistance)
                {
                    Contract(RouteMetric.Distance);
                }

                var snapClock = Stopwatch.StartNew();
                built = new Snapper(graph);
                SnapIndexTime = snapClock.Elapsed;
            });
        snapper = built!;
        PreprocessingTime = clock.Elapsed;
    }

    private void Contract(RouteMetric metric)
    {
        var clock = Stopwatch.StartNew();
        weights[(int)metric] = Weights.For(Graph, metric);
        hierarchies[(int)metric] = ContractionHierarchy.Build(Graph, weights[(int)metric]);
        contractionTimes[(int)metric] = clock.Elapsed;
    }

    private readonly TimeSpan[] contractionTimes = new TimeSpan[2];

    /// <summary>How long contracting one metric took (the two run in parallel).</summary>
    public TimeSpan ContractionTime(RouteMetric metric) => contractionTimes[(int)metric];

    /// <summary>How long building the snapping index took.</summary>
    public TimeSpan SnapIndexTime { get; private set; }

    /// <summary>The graph this router answers on.</summary>
    public RoadGraph Graph { get; }

    /// <summary>Wall-clock time spent contracting both metrics and building the snapping index.</summary>
    public TimeSpan PreprocessingTime { get; }

    /// <summary>Bytes held by both hierarchies (upward arcs and shortcut records).</summary>
    public long HierarchySizeInBytes => hierarchies.Sum(h => h?.SizeInBytes ?? 0);

    /// <summary>Shortcuts the contraction added for a metric.</summary>
    public int ShortcutCount(RouteMetric metric) => Hierarchy(metric).ShortcutCount;

    /// <summary>Preprocesses <paramref name="graph"/> for both metrics.</summary>
    public static Router Create(RoadGraph graph) => Create(graph, prepareDistance: true);

    /// <summary>
    /// Preprocesses <paramref name="graph"/> for travel time, and for distance only when asked: the distance metric
    /// has no road hierarchy to exploit and contracts far more slowly on large grid-like graphs. Queries with an
    /// unprepared metric throw <see cref="InvalidOperationException"/>.
    /// </summary>
    public static Router Create(RoadGraph graph, bool prepareDistance)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return new Router(graph, prepareDistance);
    }

    private ContractionHierarchy Hierarchy(RouteMetric metric) =>
        hierarchies[(int)metric] ?? throw new InvalidOperationException($"This router was not prepared for the {metric} metric.");

    /// <summary>The nearest point on any road (geodesic metres), or null for an empty graph.</summary>
    public SnappedPoint? Snap(Coordinate point)
    {
        ArgumentNullException.ThrowIfNull(point);
        return snapper.Snap(point);
    }

    /// <summary>
    /// The best route between two coordinates (X = lon, Y = lat), each snapped to its nearest road; the route runs
    /// from snapped point to snapped point. Null when no road connects them in the allowed directions.
    /// </summary>
    public Route? Shortest(Coordinate from, Coordinate to, RouteMetric metric = RouteMetric.Time)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        return snapper.Snap(from) is { } s && snapper.Snap(to) is { } t ? Between(s, t, metric) : null;
    }

    /// <summary>The best route between two graph nodes, or null when unreachable.</summary>
    public Route? ShortestBetweenNodes(int fromNode, int toNode, RouteMetric metric = RouteMetric.Time)
    {
        CheckNode(fromNode);
        CheckNode(toNode);
        var edges = new List<int>();
        var cost = Hierarchy(metric).Query([(fromNode, 0)], [(toNode, 0)], edges, out _);
        if (cost == ContractionHierarchy.Unreachable)
        {
            return null;
        }

        var route = new RouteAssembler(Graph);
        route.AddPoint(Graph.NodeLat[fromNode], Graph.NodeLon[fromNode]);
        foreach (var e in edges)
        {
            route.AddEdge(e);
        }

        return route.Build();
    }

    /// <summary>
    /// The exact optimum between two nodes in integer units (milliseconds for time, centimetres for distance), or
    /// null when unreachable. Edge weights are rounded to those units once, so this equals a Dijkstra over them.
    /// </summary>
    public long? NodeToNodeCost(int fromNode, int toNode, RouteMetric metric = RouteMetric.Time)
    {
        CheckNode(fromNode);
        CheckNode(toNode);
        var cost = Hierarchy(metric).Query([(fromNode, 0)], [(toNode, 0)], null, out _);
        return cost == ContractionHierarchy.Unreachable ? null : cost;
    }

    /// <summary>Travel seconds on the fastest route from every point to every other; PositiveInfinity where unreachable.</summary>
    public double[,] DurationMatrix(IReadOnlyList<Coordinate> points) => Matrix(points).Durations;

    /// <summary>Metres along the fastest route from every point to every other; PositiveInfinity where unreachable.</summary>
    public double[,] DistanceMatrix(IReadOnlyList<Coordinate> points) => Matrix(points).Distances;

    /// <summary>Both matrices from one set of fastest routes.</summary>
    public (double[,] Durations, double[,] Distances) Matrix(IReadOnlyList<Coordinate> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var n = points.Count;
        var snapped = new SnappedPoint?[n];
        for (var i = 0; i < n; i++)
        {
            snapped[i] = snapper.Snap(points[i]);
        }

        var durations = new double[n, n];
        var distances = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                if (i == j)
                {
                    continue;
                }

                var route = snapped[i] is { } s && snapped[j] is { } t ? Between(s, t, RouteMetric.Time) : null;
                durations[i, j] = route?.DurationSeconds ?? double.PositiveInfinity;
                distances[i, j] = route?.DistanceMeters ?? double.PositiveInfinity;
            }
        }

        return (durations, distances);
    }

    private void CheckNode(int node)
    {
        if ((uint)node >= (uint)Graph.NodeCount)
        {
            throw new ArgumentOutOfRangeException(nameof(node), node, "Not a node of this graph.");
        }
    }

    private Route? Between(SnappedPoint s, SnappedPoint t, RouteMetric metric)
    {
        var g = Graph;
        var w = weights[(int)metric];
        var ps = s.Piece;
        var pt = t.Piece;
        var ls = g.PieceLength[ps];
        var lt = g.PieceLength[pt];
        var sAhead = ls > 0 ? (ls - s.Along) / ls : 0; // share of the piece from s to its last node
        var sBehind = ls > 0 ? s.Along / ls : 0;
        var tBehind = lt > 0 ? t.Along / lt : 0;
        var tAhead = lt > 0 ? (lt - t.Along) / lt : 0;
        var sf = g.PieceForwardEdge[ps];
        var sb = g.PieceBackwardEdge[ps];
        var tf = g.PieceForwardEdge[pt];
        var tb = g.PieceBackwardEdge[pt];

        Span<(int Node, int Cost)> sources = stackalloc (int, int)[4];
        Span<(int Node, int Cost)> targets = stackalloc (int, int)[4];
        var sourceCount = 0;
        var targetCount = 0;
        if (sf >= 0)
        {
            sources[sourceCount++] = (g.PieceTo[ps], Part(w[sf], sAhead));
        }

        if (sb >= 0)
        {
            sources[sourceCount++] = (g.PieceFrom[ps], Part(w[sb], sBehind));
        }

        if (tf >= 0)
        {
            targets[targetCount++] = (g.PieceFrom[pt], Part(w[tf], tBehind));
        }

        if (tb >= 0)
        {
            targets[targetCount++] = (g.PieceTo[pt], Part(w[tb], tAhead));
        }

        // A point snapped onto a node is at the junction itself, whichever way its piece may be driven.
        var sAtFrom = s.Along <= AtNode;
        var sAtTo = ls - s.Along <= AtNode;
        var tAtFrom = t.Along <= AtNode;
        var tAtTo = lt - t.Along <= AtNode;
        if (sAtFrom)
        {
            sources[sourceCount++] = (g.PieceFrom[ps], 0);
        }

        if (sAtTo)
        {
            sources[sourceCount++] = (g.PieceTo[ps], 0);
        }

        if (tAtFrom)
        {
            targets[targetCount++] = (g.PieceFrom[pt], 0);
        }

        if (tAtTo)
        {
            targets[targetCount++] = (g.PieceTo[pt], 0);
        }

        // Both points on one piece: driving straight along it may beat leaving it.
        long direct = long.MaxValue;
        var directForward = false;
        if (ps == pt && ls > 0)
        {
            if (sf >= 0 && s.Along <= t.Along)
            {
                direct = Part(w[sf], (t.Along - s.Along) / ls);
                directForward = true;
            }
            else if (sb >= 0 && s.Along >= t.Along)
            {
                direct = Part(w[sb], (s.Along - t.Along) / ls);
            }
        }

        var edges = new List<int>();
        var meet = -1;
        var cost = sourceCount == 0 || targetCount == 0
            ? ContractionHierarchy.Unreachable
            : Hierarchy(metric).Query(sources[..sourceCount], targets[..targetCount], edges, out meet);
        var route = new RouteAssembler(g);
        route.AddPoint(s.Point.Y, s.Point.X);
        if (direct <= cost && direct != long.MaxValue)
        {
            var edge = directForward ? sf : sb;
            var shape = directForward ? Indices(ps, s.Segment + 1, t.Segment) : Indices(ps, s.Segment, t.Segment + 1);
            route.AddPartial(edge, Math.Abs(t.Along - s.Along) / ls, shape);
            route.AddPoint(t.Point.Y, t.Point.X);
            return route.Build();
        }

        if (cost == ContractionHierarchy.Unreachable)
        {
            return null;
        }

        // Which of the (up to two) ways off each piece the search used: the one at the path's ends, the cheaper if both.
        var startNode = edges.Count > 0 ? Tail(edges[0]) : meet;
        var endNode = edges.Count > 0 ? g.EdgeTarget[edges[^1]] : meet;
        var leaveForward = sf >= 0 && g.PieceTo[ps] == startNode &&
            !(sb >= 0 && g.PieceFrom[ps] == startNode && Part(w[sb], sBehind) < Part(w[sf], sAhead));
        var arriveForward = tf >= 0 && g.PieceFrom[pt] == endNode &&
            !(tb >= 0 && g.PieceTo[pt] == endNode && Part(w[tb], tAhead) < Part(w[tf], tBehind));

        var last = g.PiecePointCount(ps) - 1;
        if ((sAtFrom && g.PieceFrom[ps] == startNode) || (sAtTo && g.PieceTo[ps] == startNode))
        {
            // starts at the junction: no part of the piece is driven
        }
        else if (leaveForward)
        {
            route.AddPartial(sf, sAhead, Indices(ps, s.Segment + 1, last));
        }
        else
        {
            route.AddPartial(sb, sBehind, Indices(ps, s.Segment, 0));
        }

        foreach (var e in edges)
        {
            route.AddEdge(e);
        }

        var lastT = g.PiecePointCount(pt) - 1;
        if ((tAtFrom && g.PieceFrom[pt] == endNode) || (tAtTo && g.PieceTo[pt] == endNode))
        {
            // ends at the junction
        }
        else if (arriveForward)
        {
            route.AddPartial(tf, tBehind, Indices(pt, 0, t.Segment));
        }
        else
        {
            route.AddPartial(tb, tAhead, Indices(pt, lastT, t.Segment + 1));
        }

        route.AddPoint(t.Point.Y, t.Point.X);
        return route.Build();
    }

    private int Tail(int edge) =>
        (Graph.EdgeFlags[edge] & RoadGraph.FlagReversed) != 0 ? Graph.PieceTo[Graph.EdgePiece[edge]] : Graph.PieceFrom[Graph.EdgePiece[edge]];

    private IEnumerable<(double Lat, double Lon)> Indices(int piece, int from, int to)
    {
        var step = to >= from ? 1 : -1;
        for (var i = from; i != to + step; i += step)
        {
            yield return Graph.PiecePoint(piece, i);
        }
    }

    private const double AtNode = 1e-6; // metres

    private static int Part(int weight, double fraction) => (int)Math.Round(weight * Math.Clamp(fraction, 0, 1));
}
