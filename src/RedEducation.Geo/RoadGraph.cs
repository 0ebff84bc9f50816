using System.Runtime.InteropServices;
using NetTopologySuite.Geometries;

namespace RedEducation.Geo;

/// <summary>
/// A directed road network in compact arrays: nodes (lat/lon), undirected road pieces with their shape points, and
/// directed edges in CSR form (outgoing edges of node v are <c>FirstEdge[v] .. FirstEdge[v+1]-1</c>).
/// Immutable once built; safe to share between threads.
/// </summary>
public sealed class RoadGraph
{
    private const ulong Magic = 0x3130_4F45_4744_4552; // "REDGEO01"

    internal readonly double[] NodeLat;
    internal readonly double[] NodeLon;
    internal readonly long[] OsmIds; // empty when the graph did not come from OSM

    internal readonly int[] PieceFrom;
    internal readonly int[] PieceTo;
    internal readonly int[] ShapeFirst; // piece p's intermediate points are ShapeFirst[p] .. ShapeFirst[p+1]-1
    internal readonly double[] ShapeLat;
    internal readonly double[] ShapeLon;
    internal readonly double[] PieceLength;

    internal readonly int[] FirstEdge;
    internal readonly int[] EdgeTarget;
    internal readonly int[] EdgePiece;
    internal readonly double[] EdgeLength;
    internal readonly double[] EdgeDuration;
    internal readonly byte[] EdgeClass;
    internal readonly byte[] EdgeFlags;

    internal readonly int[] PieceForwardEdge;  // edge PieceFrom -> PieceTo, or -1
    internal readonly int[] PieceBackwardEdge; // edge PieceTo -> PieceFrom, or -1

    private readonly Lazy<Dictionary<long, int>> byOsmId;

    internal const byte FlagReversed = 1;

    internal RoadGraph(
        double[] nodeLat, double[] nodeLon, long[] osmIds,
        int[] pieceFrom, int[] pieceTo, int[] shapeFirst, double[] shapeLat, double[] shapeLon, double[] pieceLength,
        int[] firstEdge, int[] edgeTarget, int[] edgePiece, double[] edgeLength, double[] edgeDuration, byte[] edgeClass, byte[] edgeFlags)
    {
        NodeLat = nodeLat;
        NodeLon = nodeLon;
        OsmIds = osmIds;
        PieceFrom = pieceFrom;
        PieceTo = pieceTo;
        ShapeFirst = shapeFirst;
        ShapeLat = shapeLat;
        ShapeLon = shapeLon;
        PieceLength = pieceLength;
        FirstEdge = firstEdge;
        EdgeTarget = edgeTarget;
        EdgePiece = edgePiece;
        EdgeLength = edgeLength;
        EdgeDuration = edgeDuration;
        EdgeClass = edgeClass;
        EdgeFlags = edgeFlags;
        Validate();

        PieceForwardEdge = new int[pieceFrom.Length];
        PieceBackwardEdge = new int[pieceFrom.Length];
        Array.Fill(PieceForwardEdge, -1);
        Array.Fill(PieceBackwardEdge, -1);
        for (var e = 0; e < edgeTarget.Length; e++)
        {
            if ((edgeFlags[e] & FlagReversed) != 0)
            {
                PieceBackwardEdge[edgePiece[e]] = e;
            }
            else
            {
                PieceForwardEdge[edgePiece[e]] = e;
            }
        }

        byOsmId = new Lazy<Dictionary<long, int>>(() =>
        {
            var map = new Dictionary<long, int>(OsmIds.Length);
            for (var i = 0; i < OsmIds.Length; i++)
            {
                map.TryAdd(OsmIds[i], i);
            }

            return map;
        });
    }

    /// <summary>Number of nodes (junctions and dead ends).</summary>
    public int NodeCount => NodeLat.Length;

    /// <summary>Number of directed edges (a two-way road counts twice).</summary>
    public int EdgeCount => EdgeTarget.Length;

    /// <summary>Number of undirected road pieces between two nodes.</summary>
    public int PieceCount => PieceFrom.Length;

    /// <summary>Whether nodes carry OSM node ids.</summary>
    public bool HasOsmIds => OsmIds.Length == NodeLat.Length && OsmIds.Length > 0;

    /// <summary>The position of a node (X = longitude, Y = latitude).</summary>
    public Coordinate NodeCoordinate(int node) => new(NodeLon[node], NodeLat[node]);

    /// <summary>The OSM node id of a node, when the graph came from OSM.</summary>
    public long? OsmNodeId(int node) => HasOsmIds ? OsmIds[node] : null;

    /// <summary>Finds the node made from an OSM node.</summary>
    public bool TryGetNodeByOsmId(long osmId, out int node) => byOsmId.Value.TryGetValue(osmId, out node);

    /// <summary>The directed edges leaving a node, as edge indices.</summary>
    public Range OutgoingEdges(int node) => FirstEdge[node]..FirstEdge[node + 1];

    /// <summary>The node an edge leads to.</summary>
    public int EdgeHead(int edge) => EdgeTarget[edge];

    /// <summary>The geodesic length of an edge in metres.</summary>
    public double EdgeLengthMeters(int edge) => EdgeLength[edge];

    /// <summary>The travel time over an edge in seconds.</summary>
    public double EdgeDurationSeconds(int edge) => EdgeDuration[edge];

    /// <summary>The road class of an edge.</summary>
    public RoadClass EdgeRoadClass(int edge) => (RoadClass)EdgeClass[edge];

    /// <summary>Total bytes held by the arrays (a memory figure for reports).</summary>
    public long SizeInBytes =>
        (NodeLat.Length * 16L) + (OsmIds.Length * 8L) + (PieceFrom.Length * 20L) + (ShapeLat.Length * 16L) + 4 +
        (FirstEdge.Length * 4L) + (EdgeTarget.Length * 26L) + (PieceFrom.Length * 8L);

    /// <summary>Writes a binary snapshot (little-endian arrays) that <see cref="Load"/> reads back.</summary>
    public void Save(Stream s)
    {
        ArgumentNullException.ThrowIfNull(s);
        Span<byte> header = stackalloc byte[8];
        BitConverter.TryWriteBytes(header, Magic);
        s.Write(header);
        Write(s, NodeLat);
        Write(s, NodeLon);
        Write(s, OsmIds);
        Write(s, PieceFrom);
        Write(s, PieceTo);
        Write(s, ShapeFirst);
        Write(s, ShapeLat);
        Write(s, ShapeLon);
        Write(s, PieceLength);
        Write(s, FirstEdge);
        Write(s, EdgeTarget);
        Write(s, EdgePiece);
        Write(s, EdgeLength);
        Write(s, EdgeDuration);
        Write(s, EdgeClass);
        Write(s, EdgeFlags);
    }

    /// <summary>Reads a snapshot written by <see cref="Save"/>.</summary>
    public static RoadGraph Load(Stream s)
    {
        ArgumentNullException.ThrowIfNull(s);
        Span<byte> header = stackalloc byte[8];
        s.ReadExactly(header);
        if (BitConverter.ToUInt64(header) != Magic)
        {
            throw new InvalidDataException("Not a RedEducation road graph snapshot (bad header).");
        }

        return new RoadGraph(
            Read<double>(s), Read<double>(s), Read<long>(s),
            Read<int>(s), Read<int>(s), Read<int>(s), Read<double>(s), Read<double>(s), Read<double>(s),
            Read<int>(s), Read<int>(s), Read<int>(s), Read<double>(s), Read<double>(s), Read<byte>(s), Read<byte>(s));
    }

    private static void Write<T>(Stream s, T[] array)
        where T : unmanaged
    {
        Span<byte> length = stackalloc byte[4];
        BitConverter.TryWriteBytes(length, array.Length);
        s.Write(length);
        s.Write(MemoryMarshal.AsBytes(array.AsSpan()));
    }

    private static T[] Read<T>(Stream s)
        where T : unmanaged
    {
        Span<byte> lengthBytes = stackalloc byte[4];
        s.ReadExactly(lengthBytes);
        var length = BitConverter.ToInt32(lengthBytes);
        if (length < 0 || length > 1 << 28)
        {
            throw new InvalidDataException($"Road graph snapshot has an implausible array length {length}.");
        }

        var array = new T[length];
        s.ReadExactly(MemoryMarshal.AsBytes(array.AsSpan()));
        return array;
    }

    private void Validate()
    {
        var n = NodeLat.Length;
        var p = PieceFrom.Length;
        var m = EdgeTarget.Length;
        var ok = NodeLon.Length == n && (OsmIds.Length == 0 || OsmIds.Length == n) &&
            PieceTo.Length == p && ShapeFirst.Length == p + 1 && PieceLength.Length == p &&
            ShapeLat.Length == ShapeLon.Length && ShapeFirst[p] == ShapeLat.Length &&
            FirstEdge.Length == n + 1 && FirstEdge[n] == m && EdgePiece.Length == m && EdgeLength.Length == m &&
            EdgeDuration.Length == m && EdgeClass.Length == m && EdgeFlags.Length == m;
        if (!ok)
        {
            throw new InvalidDataException("Road graph arrays have inconsistent lengths.");
        }

        foreach (var t in EdgeTarget)
        {
            if ((uint)t >= (uint)n)
            {
                throw new InvalidDataException("Road graph edge points outside the node array.");
            }
        }

        foreach (var piece in EdgePiece)
        {
            if ((uint)piece >= (uint)p)
            {
                throw new InvalidDataException("Road graph edge points outside the piece array.");
            }
        }

        for (var i = 0; i < p; i++)
        {
            if ((uint)PieceFrom[i] >= (uint)n || (uint)PieceTo[i] >= (uint)n || ShapeFirst[i] > ShapeFirst[i + 1] || ShapeFirst[i] < 0)
            {
                throw new InvalidDataException("Road graph piece refers outside the node or shape arrays.");
            }
        }

        for (var v = 0; v < n; v++)
        {
            if (FirstEdge[v] > FirstEdge[v + 1] || FirstEdge[v] < 0)
            {
                throw new InvalidDataException("Road graph adjacency offsets are not ascending.");
            }
        }
    }

    /// <summary>The full polyline of a piece (both end nodes included), in piece order.</summary>
    internal int PiecePointCount(int piece) => ShapeFirst[piece + 1] - ShapeFirst[piece] + 2;

    internal (double Lat, double Lon) PiecePoint(int piece, int index)
    {
        if (index == 0)
        {
            var a = PieceFrom[piece];
            return (NodeLat[a], NodeLon[a]);
        }

        var count = PiecePointCount(piece);
        if (index == count - 1)
        {
            var b = PieceTo[piece];
            return (NodeLat[b], NodeLon[b]);
        }

        var k = ShapeFirst[piece] + index - 1;
        return (ShapeLat[k], ShapeLon[k]);
    }
}
