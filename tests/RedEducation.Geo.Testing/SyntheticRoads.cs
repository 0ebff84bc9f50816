namespace RedEducation.Geo.Testing;

/// <summary>
/// A deterministic road-like graph: a jittered grid of ~200 m blocks near Shenyang with a hierarchy of faster roads
/// (every 8th line a secondary road, every 40th a trunk road), some missing blocks, some one-way streets and a few
/// diagonal shortcuts.
/// </summary>
public static class SyntheticRoads
{
    public static RoadGraph Grid(int width, int height, int seed)
    {
        var random = new Random(seed);
        var builder = new RoadGraphBuilder();
        const double originLat = 41.0;
        const double originLon = 122.0;
        const double stepLat = 0.0018;  // ~200 m
        const double stepLon = 0.0024;  // ~200 m at 41° N
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                builder.AddNode(
                    originLat + (y * stepLat) + ((random.NextDouble() - 0.5) * stepLat * 0.4),
                    originLon + (x * stepLon) + ((random.NextDouble() - 0.5) * stepLon * 0.4));
            }
        }

        ReadOnlySpan<double> noShape = [];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var v = (y * width) + x;
                if (x + 1 < width)
                {
                    Road(v, v + 1, y);
                }

                if (y + 1 < height)
                {
                    Road(v, v + width, x);
                }

                if (x + 1 < width && y + 1 < height && random.NextDouble() < 0.03)
                {
                    builder.AddRoad(v, v + width + 1, noShape, noShape, RoadClass.Residential, 30, RoadDirection.Both);
                }
            }
        }

        return builder.Build();

        void Road(int a, int b, int line)
        {
            var (cls, speed) = line % 40 == 0 ? (RoadClass.Trunk, 90.0)
                : line % 8 == 0 ? (RoadClass.Secondary, 60.0)
                : (RoadClass.Residential, 30.0);
            if (cls == RoadClass.Residential && random.NextDouble() < 0.08)
            {
                return; // a missing block
            }

            var direction = cls == RoadClass.Residential && random.NextDouble() < 0.1
                ? (random.Next(2) == 0 ? RoadDirection.Forward : RoadDirection.Backward)
                : RoadDirection.Both;
            // A bent road: one shape point off the straight line, so geometry is more than node to node.
            var (aLat, aLon) = (builder.NodeLatitude(a), builder.NodeLongitude(a));
            var (bLat, bLon) = (builder.NodeLatitude(b), builder.NodeLongitude(b));
            ReadOnlySpan<double> viaLat = [((aLat + bLat) / 2) + ((random.NextDouble() - 0.5) * 0.0002)];
            ReadOnlySpan<double> viaLon = [((aLon + bLon) / 2) + ((random.NextDouble() - 0.5) * 0.0002)];
            builder.AddRoad(a, b, viaLat, viaLon, cls, speed, direction);
        }
    }
}
