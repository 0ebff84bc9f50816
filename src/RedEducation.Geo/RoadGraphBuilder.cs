using NetTopologySuite.Geometries;

namespace RedEducation.Geo;

/// <summary>Collects nodes and roads and turns them into a compact <see cref="RoadGraph"/>.</summary>
public sealed class RoadGraphBuilder
{
    private readonly List<double> nodeLat = [];
    private readonly List<double> nodeLon = [];
    private readonly List<long> osmIds = [];
    private readonly List<int> pieceFrom = [];
    private readonly List<int> pieceTo = [];
    private readonly List<int> shapeFirst = [0];
    private readonly List<double> shapeLat = [];
    private readonly List<double> shapeLon = [];
    private readonly List<double> pieceLength = [];
    private readonly List<double> pieceDuration = [];
    private readonly List<byte> pieceClass = [];
    private readonly List<RoadDirection> pieceDirection = [];
    private bool anyOsmId;

    /// <summary>Number of nodes added so far.</summary>
    public int NodeCount => nodeLat.Count;

    /// <summary>Adds a node and returns its index.</summary>
    public int AddNode(double lat, double lon, long? osmId = null)
    {
        if (!double.IsFinite(lat) || !double.IsFinite(lon) || Math.Abs(lat) > 90 || Math.Abs(lon) > 180)
        {
            throw new ArgumentOutOfRangeException(nameof(lat), $"Not a WGS 84 position: {lat}, {lon}.");
        }

        nodeLat.Add(lat);
        nodeLon.Add(lon);
        osmIds.Add(osmId ?? 0);
        anyOsmId |= osmId.HasValue;
        return nodeLat.Count - 1;
    }

    /// <summary>
    /// Adds a road between two nodes through the given intermediate points (X = lon, Y = lat; may be empty).
    /// Length is the geodesic length of the polyline; duration is length at <paramref name="speedKmh"/>.
    /// </summary>
    public void AddRoad(int from, int to, IReadOnlyList<Coordinate> via, RoadClass roadClass, double speedKmh, RoadDirection direction = RoadDirection.Both)
    {
        ArgumentNullException.ThrowIfNull(via);
        var lats = new double[via.Count];
        var lons = new double[via.Count];
        for (var i = 0; i < via.Count; i++)
        {
            lats[i] = via[i].Y;
            lons[i] = via[i].X;
        }

        AddRoad(from, to, lats, lons, roadClass, speedKmh, direction);
    }

    /// <summary>The latitude of a node added earlier.</summary>
    public double NodeLatitude(int node) => nodeLat[node];

    /// <summary>The longitude of a node added earlier.</summary>
    public double NodeLongitude(int node) => nodeLon[node];

    /// <summary>Adds a road through intermediate points given as parallel latitude and longitude spans.</summary>
    public void AddRoad(int from, int to, ReadOnlySpan<double> viaLat, ReadOnlySpan<double> viaLon, RoadClass roadClass, double speedKmh, RoadDirection direction)
    {
        if ((uint)from >= (uint)nodeLat.Count || (uint)to >= (uint)nodeLat.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(from), "Road end is not a node of this builder.");
        }

        if (viaLat.Length != viaLon.Length)
        {
            throw new ArgumentException("Latitudes and longitudes of the shape differ in number.", nameof(viaLon));
        }

        if (!(speedKmh > 0) || !double.IsFinite(speedKmh))
        {
            throw new ArgumentOutOfRangeException(nameof(speedKmh), "Speed must be positive.");
        }

        var length = 0.0;
        var (lat, lon) = (nodeLat[from], nodeLon[from]);
        for (var i = 0; i < viaLat.Length; i++)
        {
            length += Geodesic.Distance(lat, lon, viaLat[i], viaLon[i]);
            (lat, lon) = (viaLat[i], viaLon[i]);
            shapeLat.Add(lat);
            shapeLon.Add(lon);
        }

        length += Geodesic.Distance(lat, lon, nodeLat[to], nodeLon[to]);
        shapeFirst.Add(shapeLat.Count);
        pieceFrom.Add(from);
        pieceTo.Add(to);
        pieceLength.Add(length);
        pieceDuration.Add(length / (speedKmh / 3.6));
        pieceClass.Add((byte)roadClass);
        pieceDirection.Add(direction);
    }

    /// <summary>Builds the immutable graph (CSR adjacency; one directed edge per drivable direction of a piece).</summary>
    public RoadGraph Build()
    {
        var n = nodeLat.Count;
        var p = pieceFrom.Count;
        var firstEdge = new int[n + 1];
        for (var i = 0; i < p; i++)
        {
            if (pieceDirection[i] != RoadDirection.Backward)
            {
                firstEdge[pieceFrom[i] + 1]++;
            }

            if (pieceDirection[i] != RoadDirection.Forward)
            {
                firstEdge[pieceTo[i] + 1]++;
            }
        }

        for (var v = 0; v < n; v++)
        {
            firstEdge[v + 1] += firstEdge[v];
        }

        var m = firstEdge[n];
        var next = firstEdge[..n];
        var target = new int[m];
        var piece = new int[m];
        var length = new double[m];
        var duration = new double[m];
        var cls = new byte[m];
        var flags = new byte[m];
        for (var i = 0; i < p; i++)
        {
            if (pieceDirection[i] != RoadDirection.Backward)
            {
                Put(next[pieceFrom[i]]++, pieceTo[i], i, 0);
            }

            if (pieceDirection[i] != RoadDirection.Forward)
            {
                Put(next[pieceTo[i]]++, pieceFrom[i], i, RoadGraph.FlagReversed);
            }
        }

        return new RoadGraph(
            [.. nodeLat], [.. nodeLon], anyOsmId ? [.. osmIds] : [],
            [.. pieceFrom], [.. pieceTo], [.. shapeFirst], [.. shapeLat], [.. shapeLon], [.. pieceLength],
            firstEdge, target, piece, length, duration, cls, flags);

        void Put(int e, int head, int pieceIndex, byte flag)
        {
            target[e] = head;
            piece[e] = pieceIndex;
            length[e] = pieceLength[pieceIndex];
            duration[e] = pieceDuration[pieceIndex];
            cls[e] = pieceClass[pieceIndex];
            flags[e] = flag;
        }
    }
}
