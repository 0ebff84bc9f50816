namespace RedEducation.Geo;

/// <summary>
/// Plain one-directional Dijkstra over the same integer weights as <see cref="Router"/>: the baseline for tests
/// and benchmarks. Not thread-safe (one instance per thread).
/// </summary>
public sealed class DijkstraRouter
{
    private readonly RoadGraph graph;
    private readonly int[][] weights;
    private readonly int[] dist;
    private readonly int[] stamp;
    private readonly int[] predEdge;
    private readonly MinHeap heap = new();
    private int current;

    /// <summary>Prepares the integer weights of both metrics for <paramref name="graph"/>.</summary>
    public DijkstraRouter(RoadGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        this.graph = graph;
        weights = [Weights.For(graph, RouteMetric.Time), Weights.For(graph, RouteMetric.Distance)];
        dist = new int[graph.NodeCount];
        stamp = new int[graph.NodeCount];
        predEdge = new int[graph.NodeCount];
    }

    /// <summary>Nodes settled by the last query (a measure of work).</summary>
    public int LastSettledCount { get; private set; }

    /// <summary>The optimum in milliseconds or centimetres, or null when unreachable.</summary>
    public long? NodeToNodeCost(int fromNode, int toNode, RouteMetric metric = RouteMetric.Time) =>
        Search(fromNode, toNode, metric) ? dist[toNode] : null;

    /// <summary>The optimal route between two nodes, or null when unreachable.</summary>
    public Route? ShortestBetweenNodes(int fromNode, int toNode, RouteMetric metric = RouteMetric.Time)
    {
        if (!Search(fromNode, toNode, metric))
        {
            return null;
        }

        var edges = new List<int>();
        for (var v = toNode; v != fromNode;)
        {
            var e = predEdge[v];
            edges.Add(e);
            var p = graph.EdgePiece[e];
            v = (graph.EdgeFlags[e] & RoadGraph.FlagReversed) != 0 ? graph.PieceTo[p] : graph.PieceFrom[p];
        }

        var route = new RouteAssembler(graph);
        route.AddPoint(graph.NodeLat[fromNode], graph.NodeLon[fromNode]);
        for (var i = edges.Count - 1; i >= 0; i--)
        {
            route.AddEdge(edges[i]);
        }

        return route.Build();
    }

    private bool Search(int from, int to, RouteMetric metric)
    {
        if ((uint)from >= (uint)graph.NodeCount || (uint)to >= (uint)graph.NodeCount)
        {
            throw new ArgumentOutOfRangeException(nameof(from), "Not a node of this graph.");
        }

        var w = weights[(int)metric];
        if (++current == int.MaxValue)
        {
            Array.Clear(stamp);
            current = 1;
        }

        heap.Clear();
        dist[from] = 0;
        stamp[from] = current;
        heap.Push(0, from);
        var settled = 0;
        var first = graph.FirstEdge;
        var head = graph.EdgeTarget;
        while (heap.Count > 0)
        {
            var v = heap.Pop(out var d);
            if (d != dist[v])
            {
                continue;
            }

            settled++;
            if (v == to)
            {
                LastSettledCount = settled;
                return true;
            }

            for (var e = first[v]; e < first[v + 1]; e++)
            {
                var x = head[e];
                var nd = d + w[e];
                if (stamp[x] != current || nd < dist[x])
                {
                    stamp[x] = current;
                    dist[x] = nd;
                    predEdge[x] = e;
                    heap.Push(nd, x);
                }
            }
        }

        LastSettledCount = settled;
        return false;
    }
}
