using System.Collections.Concurrent;

namespace RedEducation.Geo;

/// <summary>
/// A contraction hierarchy over integer edge weights: nodes are contracted in an order chosen by a priority
/// (level + added/removed arcs + added/removed hops), with shortcuts only where a bounded witness search finds no
/// path that is as short. Queries are bidirectional Dijkstra searches over upward arcs with stall-on-demand.
/// </summary>
internal sealed class ContractionHierarchy
{
    public const int Unreachable = int.MaxValue;

    private readonly int nodeCount;
    private readonly int[] fwdFirst;
    private readonly int[] fwdHead;
    private readonly int[] fwdWeight;
    private readonly int[] fwdArc;
    private readonly int[] bwdFirst;
    private readonly int[] bwdTail;
    private readonly int[] bwdWeight;
    private readonly int[] bwdArc;
    private readonly int[] arcA; // >= 0: a shortcut made of arcs arcA then arcB; < 0: the original edge ~arcA
    private readonly int[] arcB;
    private readonly ConcurrentBag<QueryContext> contexts = [];

    private ContractionHierarchy(int nodeCount, int[] fwdFirst, int[] fwdHead, int[] fwdWeight, int[] fwdArc,
        int[] bwdFirst, int[] bwdTail, int[] bwdWeight, int[] bwdArc, int[] arcA, int[] arcB, int shortcuts)
    {
        this.nodeCount = nodeCount;
        this.fwdFirst = fwdFirst;
        this.fwdHead = fwdHead;
        this.fwdWeight = fwdWeight;
        this.fwdArc = fwdArc;
        this.bwdFirst = bwdFirst;
        this.bwdTail = bwdTail;
        this.bwdWeight = bwdWeight;
        this.bwdArc = bwdArc;
        this.arcA = arcA;
        this.arcB = arcB;
        ShortcutCount = shortcuts;
    }

    public int ShortcutCount { get; }

    public int UpwardArcCount => fwdHead.Length + bwdTail.Length;

    public long SizeInBytes => ((fwdFirst.Length + bwdFirst.Length) * 4L) + ((fwdHead.Length + bwdTail.Length) * 12L) + (arcA.Length * 8L);

    /// <summary>Contracts the graph given one non-negative integer weight per edge of <paramref name="graph"/>.</summary>
    public static ContractionHierarchy Build(RoadGraph graph, int[] edgeWeight) => new Builder(graph, edgeWeight).Run();

    /// <summary>
    /// The shortest path from any of the sources (each with a starting cost) to any of the targets (each with a
    /// cost to finish). Returns the total cost and appends the original edges of the path to <paramref name="edges"/>;
    /// <see cref="Unreachable"/> when no path exists. When the best is a source that is also a target, no edge is added
    /// and <paramref name="meet"/> is that node.
    /// </summary>
    public int Query(ReadOnlySpan<(int Node, int Cost)> sources, ReadOnlySpan<(int Node, int Cost)> targets, List<int>? edges, out int meet)
    {
        if (!contexts.TryTake(out var c))
        {
            c = new QueryContext(nodeCount);
        }

        try
        {
            return Run(c, sources, targets, edges, out meet);
        }
        finally
        {
            contexts.Add(c);
        }
    }

    private int Run(QueryContext c, ReadOnlySpan<(int Node, int Cost)> sources, ReadOnlySpan<(int Node, int Cost)> targets, List<int>? edges, out int meet)
    {
        c.NextStamp();
        var f = c.Forward;
        var b = c.Backward;
        foreach (var (node, cost) in sources)
        {
            f.Reach(node, cost, -1, -1);
        }

        foreach (var (node, cost) in targets)
        {
            b.Reach(node, cost, -1, -1);
        }

        long best = Unreachable;
        meet = -1;
        while (true)
        {
            var fActive = f.Heap.Count > 0 && f.Heap.PeekKey < best;
            var bActive = b.Heap.Count > 0 && b.Heap.PeekKey < best;
            if (!fActive && !bActive)
            {
                break;
            }

            var forward = fActive && (!bActive || f.Heap.PeekKey <= b.Heap.PeekKey);
            var (me, other) = forward ? (f, b) : (b, f);
            var v = me.Heap.Pop(out var d);
            if (me.Stamp[v] != c.Stamp || d != me.Dist[v] || me.Settled[v] == c.Stamp)
            {
                continue;
            }

            me.Settled[v] = c.Stamp;
            if (other.Stamp[v] == c.Stamp && (long)d + other.Dist[v] < best)
            {
                best = (long)d + other.Dist[v];
                meet = v;
            }

            if (forward)
            {
                // Stall: some higher node reaches v more cheaply, so v's upward arcs cannot be on a shortest path.
                if (IsStalled(f, c.Stamp, d, bwdFirst[v], bwdFirst[v + 1], bwdTail, bwdWeight))
                {
                    continue;
                }

                for (var i = fwdFirst[v]; i < fwdFirst[v + 1]; i++)
                {
                    f.Relax(fwdHead[i], d + fwdWeight[i], v, fwdArc[i], c.Stamp);
                }
            }
            else
            {
                if (IsStalled(b, c.Stamp, d, fwdFirst[v], fwdFirst[v + 1], fwdHead, fwdWeight))
                {
                    continue;
                }

                for (var i = bwdFirst[v]; i < bwdFirst[v + 1]; i++)
                {
                    b.Relax(bwdTail[i], d + bwdWeight[i], v, bwdArc[i], c.Stamp);
                }
            }
        }

        if (meet < 0)
        {
            return Unreachable;
        }

        if (edges is not null)
        {
            for (var v = meet; f.Pred[v] >= 0; v = f.Pred[v])
            {
                c.Arcs.Add(f.Arc[v]);
            }

            for (var i = c.Arcs.Count - 1; i >= 0; i--)
            {
                Unpack(c.Arcs[i], edges, c.Stack);
            }

            c.Arcs.Clear();
            for (var v = meet; b.Pred[v] >= 0; v = b.Pred[v])
            {
                Unpack(b.Arc[v], edges, c.Stack);
            }
        }

        return (int)best;
    }

    private static bool IsStalled(Direction s, int stamp, int d, int from, int to, int[] other, int[] weight)
    {
        for (var i = from; i < to; i++)
        {
            var u = other[i];
            if (s.Stamp[u] == stamp && (long)s.Dist[u] + weight[i] < d)
            {
                return true;
            }
        }

        return false;
    }

    private void Unpack(int arc, List<int> edges, Stack<int> stack)
    {
        stack.Push(arc);
        while (stack.Count > 0)
        {
            var a = stack.Pop();
            if (arcA[a] < 0)
            {
                edges.Add(~arcA[a]);
            }
            else
            {
                stack.Push(arcB[a]);
                stack.Push(arcA[a]);
            }
        }
    }

    private sealed class QueryContext(int n)
    {
        public Direction Forward { get; } = new(n);

        public Direction Backward { get; } = new(n);

        public List<int> Arcs { get; } = [];

        public Stack<int> Stack { get; } = new();

        public int Stamp { get; private set; }

        public void NextStamp()
        {
            if (++Stamp == int.MaxValue)
            {
                Forward.ResetStamps();
                Backward.ResetStamps();
                Stamp = 1;
            }

            Forward.Heap.Clear();
            Backward.Heap.Clear();
            Forward.CurrentStamp = Stamp;
            Backward.CurrentStamp = Stamp;
        }
    }

    private sealed class Direction(int n)
    {
        public readonly int[] Dist = new int[n];
        public readonly int[] Stamp = new int[n];
        public readonly int[] Settled = new int[n];
        public readonly int[] Pred = new int[n];
        public readonly int[] Arc = new int[n];
        public readonly MinHeap Heap = new();
        public int CurrentStamp;

        public void ResetStamps()
        {
            Array.Clear(Stamp);
            Array.Clear(Settled);
        }

        public void Reach(int node, int cost, int pred, int arc)
        {
            if (Stamp[node] != CurrentStamp || cost < Dist[node])
            {
                Stamp[node] = CurrentStamp;
                Dist[node] = cost;
                Pred[node] = pred;
                Arc[node] = arc;
                Heap.Push(cost, node);
            }
        }

        public void Relax(int node, int cost, int pred, int arc, int stamp)
        {
            if (Stamp[node] != stamp || cost < Dist[node])
            {
                Stamp[node] = stamp;
                Dist[node] = cost;
                Pred[node] = pred;
                Arc[node] = arc;
                Heap.Push(cost, node);
            }
        }
    }

    private struct DynArc
    {
        public int Other;
        public int Weight;
        public int Arc;
    }

    private sealed class Builder
    {
        // Simulations only rank nodes, so a short witness search will do; contraction needs fewer missed witnesses.
        private const int SimulationSettleLimit = 60;
        private const int ContractionSettleLimit = 500;

        private readonly int n;
        private readonly DynArc[][] outs;
        private readonly DynArc[][] ins;
        private readonly int[] outCount;
        private readonly int[] inCount;
        private readonly int[] level;
        private readonly bool[] contracted;
        private int[] arcA = new int[1024];
        private int[] arcB = new int[1024];
        private int[] arcHops = new int[1024];
        private int arcCount;
        private int shortcuts;

        private readonly int[] wDist;
        private readonly int[] wStamp;
        private int stamp;
        private readonly MinHeap heap = new();

        public Builder(RoadGraph graph, int[] weight)
        {
            n = graph.NodeCount;
            outs = new DynArc[n][];
            ins = new DynArc[n][];
            outCount = new int[n];
            inCount = new int[n];
            level = new int[n];
            contracted = new bool[n];
            wDist = new int[n];
            wStamp = new int[n];
            var inDegree = new int[n];
            foreach (var t in graph.EdgeTarget)
            {
                inDegree[t]++;
            }

            for (var v = 0; v < n; v++)
            {
                outs[v] = new DynArc[graph.FirstEdge[v + 1] - graph.FirstEdge[v] + 1];
                ins[v] = new DynArc[inDegree[v] + 1];
            }

            for (var u = 0; u < n; u++)
            {
                for (var e = graph.FirstEdge[u]; e < graph.FirstEdge[u + 1]; e++)
                {
                    var x = graph.EdgeTarget[e];
                    if (x == u)
                    {
                        continue; // a loop never shortens a path
                    }

                    if (weight[e] < 0)
                    {
                        throw new ArgumentException("Edge weights must not be negative.", nameof(weight));
                    }

                    AddOrImprove(u, x, weight[e], ~e, 1);
                }
            }
        }

        public ContractionHierarchy Run()
        {
            var order = new IndexedHeap(n);
            for (var v = 0; v < n; v++)
            {
                order.Set(v, Priority(v));
            }

            var rank = new int[n];
            var next = 0;
            var neighbours = new List<int>();
            while (order.Count > 0)
            {
                var v = order.Pop();
                var p = Priority(v);
                if (order.Count > 0 && p > order.PeekKey)
                {
                    order.Set(v, p); // the priority was stale: try again later
                    continue;
                }

                Contract(v, simulate: false, out _, out _);
                contracted[v] = true;
                rank[v] = next++;
                neighbours.Clear();
                for (var i = 0; i < inCount[v]; i++)
                {
                    var u = ins[v][i].Other;
                    Remove(outs[u], ref outCount[u], v);
                    neighbours.Add(u);
                }

                for (var i = 0; i < outCount[v]; i++)
                {
                    var x = outs[v][i].Other;
                    Remove(ins[x], ref inCount[x], v);
                    neighbours.Add(x);
                }

                // Neighbours are not re-simulated here (that cost ~3x the time on grids for no faster queries):
                // their priorities are refreshed lazily when they reach the top of the queue.
                foreach (var u in neighbours)
                {
                    level[u] = Math.Max(level[u], level[v] + 1);
                }
            }

            return Freeze();
        }

        private ContractionHierarchy Freeze()
        {
            var fwdFirst = new int[n + 1];
            var bwdFirst = new int[n + 1];
            for (var v = 0; v < n; v++)
            {
                fwdFirst[v + 1] = fwdFirst[v] + outCount[v];
                bwdFirst[v + 1] = bwdFirst[v] + inCount[v];
            }

            var fwdHead = new int[fwdFirst[n]];
            var fwdWeight = new int[fwdFirst[n]];
            var fwdArc = new int[fwdFirst[n]];
            var bwdTail = new int[bwdFirst[n]];
            var bwdWeight = new int[bwdFirst[n]];
            var bwdArc = new int[bwdFirst[n]];
            for (var v = 0; v < n; v++)
            {
                for (var i = 0; i < outCount[v]; i++)
                {
                    var a = outs[v][i];
                    fwdHead[fwdFirst[v] + i] = a.Other;
                    fwdWeight[fwdFirst[v] + i] = a.Weight;
                    fwdArc[fwdFirst[v] + i] = a.Arc;
                }

                for (var i = 0; i < inCount[v]; i++)
                {
                    var a = ins[v][i];
                    bwdTail[bwdFirst[v] + i] = a.Other;
                    bwdWeight[bwdFirst[v] + i] = a.Weight;
                    bwdArc[bwdFirst[v] + i] = a.Arc;
                }
            }

            return new ContractionHierarchy(n, fwdFirst, fwdHead, fwdWeight, fwdArc, bwdFirst, bwdTail, bwdWeight, bwdArc,
                arcA[..arcCount], arcB[..arcCount], shortcuts);
        }

        private float Priority(int v)
        {
            Contract(v, simulate: true, out var added, out var addedHops);
            var removed = inCount[v] + outCount[v];
            var removedHops = 0;
            for (var i = 0; i < inCount[v]; i++)
            {
                removedHops += arcHops[ins[v][i].Arc];
            }

            for (var i = 0; i < outCount[v]; i++)
            {
                removedHops += arcHops[outs[v][i].Arc];
            }

            return level[v] + ((float)added / Math.Max(1, removed)) + ((float)addedHops / Math.Max(1, removedHops));
        }

        private void Contract(int v, bool simulate, out int added, out int addedHops)
        {
            added = 0;
            addedHops = 0;
            var vIns = ins[v];
            var vOuts = outs[v];
            for (var i = 0; i < inCount[v]; i++)
            {
                var (u, w1, a1) = (vIns[i].Other, vIns[i].Weight, vIns[i].Arc);
                var maxOut = -1;
                for (var j = 0; j < outCount[v]; j++)
                {
                    if (vOuts[j].Other != u)
                    {
                        maxOut = Math.Max(maxOut, vOuts[j].Weight);
                    }
                }

                if (maxOut < 0)
                {
                    continue;
                }

                Witness(u, v, (long)w1 + maxOut, simulate ? SimulationSettleLimit : ContractionSettleLimit);
                for (var j = 0; j < outCount[v]; j++)
                {
                    var (x, w2, a2) = (vOuts[j].Other, vOuts[j].Weight, vOuts[j].Arc);
                    if (x == u || (wStamp[x] == stamp && wDist[x] <= (long)w1 + w2))
                    {
                        continue;
                    }

                    added++;
                    addedHops += arcHops[a1] + arcHops[a2];
                    if (!simulate)
                    {
                        var weight = (long)w1 + w2;
                        if (weight >= Unreachable)
                        {
                            throw new InvalidOperationException("Path weight overflows; use coarser weight units.");
                        }

                        AddOrImprove(u, x, (int)weight, NewArc(a1, a2, arcHops[a1] + arcHops[a2]), 0);
                        shortcuts++;
                    }
                }
            }
        }

        // Bounded Dijkstra from u that avoids v; afterwards wDist holds upper bounds for what it reached.
        private void Witness(int u, int v, long maxCost, int settleLimit)
        {
            stamp++;
            heap.Clear();
            wStamp[u] = stamp;
            wDist[u] = 0;
            heap.Push(0, u);
            var settled = 0;
            while (heap.Count > 0)
            {
                var y = heap.Pop(out var d);
                if (d != wDist[y])
                {
                    continue;
                }

                if (d > maxCost || ++settled > settleLimit)
                {
                    break;
                }

                var yOuts = outs[y];
                for (var i = 0; i < outCount[y]; i++)
                {
                    var z = yOuts[i].Other;
                    if (z == v)
                    {
                        continue;
                    }

                    var nd = (long)d + yOuts[i].Weight;
                    if (nd <= maxCost && (wStamp[z] != stamp || nd < wDist[z]))
                    {
                        wStamp[z] = stamp;
                        wDist[z] = (int)nd;
                        heap.Push((int)nd, z);
                    }
                }
            }
        }

        private int NewArc(int a, int b, int hops)
        {
            if (arcCount == arcA.Length)
            {
                Array.Resize(ref arcA, arcCount * 2);
                Array.Resize(ref arcB, arcCount * 2);
                Array.Resize(ref arcHops, arcCount * 2);
            }

            arcA[arcCount] = a;
            arcB[arcCount] = b;
            arcHops[arcCount] = hops;
            return arcCount++;
        }

        // arc < 0 encodes an original edge (~edge) that still needs an arc record.
        private void AddOrImprove(int u, int x, int weight, int arc, int hops)
        {
            var uOuts = outs[u];
            for (var i = 0; i < outCount[u]; i++)
            {
                if (uOuts[i].Other == x)
                {
                    if (weight < uOuts[i].Weight)
                    {
                        var id = arc < 0 ? NewArc(arc, -1, hops) : arc;
                        uOuts[i].Weight = weight;
                        uOuts[i].Arc = id;
                        var xIns = ins[x];
                        for (var j = 0; j < inCount[x]; j++)
                        {
                            if (xIns[j].Other == u)
                            {
                                xIns[j].Weight = weight;
                                xIns[j].Arc = id;
                                break;
                            }
                        }
                    }

                    return;
                }
            }

            var newId = arc < 0 ? NewArc(arc, -1, hops) : arc;
            Append(ref outs[u], ref outCount[u], new DynArc { Other = x, Weight = weight, Arc = newId });
            Append(ref ins[x], ref inCount[x], new DynArc { Other = u, Weight = weight, Arc = newId });
        }

        private static void Append(ref DynArc[] list, ref int count, DynArc arc)
        {
            if (count == list.Length)
            {
                Array.Resize(ref list, Math.Max(4, list.Length * 2));
            }

            list[count++] = arc;
        }

        private static void Remove(DynArc[] list, ref int count, int other)
        {
            for (var i = 0; i < count; i++)
            {
                if (list[i].Other == other)
                {
                    list[i] = list[--count];
                    return;
                }
            }
        }
    }
}
