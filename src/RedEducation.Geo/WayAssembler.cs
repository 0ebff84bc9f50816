namespace RedEducation.Geo;

/// <summary>Splits ways (sequences of point keys) into pieces at shared points and end points, and builds the graph.</summary>
internal sealed class WayAssembler
{
    private readonly Dictionary<long, int> usage = [];
    private readonly List<(long[] Keys, RoadClass Class, double Speed, RoadDirection Direction)> ways = [];

    public int WayCount => ways.Count;

    public bool IsUsed(long key) => usage.ContainsKey(key);

    public void AddWay(long[] keys, RoadClass roadClass, double speedKmh, RoadDirection direction)
    {
        if (keys.Length < 2)
        {
            return;
        }

        ways.Add((keys, roadClass, speedKmh, direction));
        foreach (var key in keys)
        {
            usage[key] = usage.GetValueOrDefault(key) + 1;
        }
    }

    public delegate bool CoordinateLookup(long key, out double lat, out double lon);

    public RoadGraph Build(CoordinateLookup lookup, bool keysAreOsmIds)
    {
        var builder = new RoadGraphBuilder();
        var nodes = new Dictionary<long, int>();
        var viaKeys = new List<long>();
        var viaLat = new List<double>();
        var viaLon = new List<double>();
        foreach (var way in ways)
        {
            var start = -1;
            var previousKey = long.MinValue;
            var keys = way.Keys;
            for (var i = 0; i < keys.Length; i++)
            {
                var key = keys[i];
                if (key == previousKey)
                {
                    continue;
                }

                previousKey = key;
                if (!lookup(key, out var lat, out var lon))
                {
                    // A point missing from the extract: end the piece at the last known point and resume after the gap.
                    FlushAtLastVia(ref start, way);
                    start = -1;
                    continue;
                }

                if (start < 0)
                {
                    start = NodeFor(key, lat, lon);
                    continue;
                }

                if (i == keys.Length - 1 || usage[key] >= 2)
                {
                    var node = NodeFor(key, lat, lon);
                    Emit(start, node, way);
                    start = node;
                }
                else
                {
                    viaKeys.Add(key);
                    viaLat.Add(lat);
                    viaLon.Add(lon);
                }
            }

            FlushAtLastVia(ref start, way);
        }

        return builder.Build();

        int NodeFor(long key, double lat, double lon)
        {
            if (!nodes.TryGetValue(key, out var node))
            {
                node = builder.AddNode(lat, lon, keysAreOsmIds ? key : null);
                nodes.Add(key, node);
            }

            return node;
        }

        void Emit(int from, int to, (long[] Keys, RoadClass Class, double Speed, RoadDirection Direction) way)
        {
            if (from != to || viaKeys.Count > 0)
            {
                builder.AddRoad(from, to, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(viaLat),
                    System.Runtime.InteropServices.CollectionsMarshal.AsSpan(viaLon), way.Class, way.Speed, way.Direction);
            }

            viaKeys.Clear();
            viaLat.Clear();
            viaLon.Clear();
        }

        void FlushAtLastVia(ref int start, (long[] Keys, RoadClass Class, double Speed, RoadDirection Direction) way)
        {
            if (start >= 0 && viaKeys.Count > 0)
            {
                var last = viaKeys.Count - 1;
                var node = NodeFor(viaKeys[last], viaLat[last], viaLon[last]);
                viaKeys.RemoveAt(last);
                viaLat.RemoveAt(last);
                viaLon.RemoveAt(last);
                Emit(start, node, way);
                start = node;
            }

            viaKeys.Clear();
            viaLat.Clear();
            viaLon.Clear();
        }
    }
}
