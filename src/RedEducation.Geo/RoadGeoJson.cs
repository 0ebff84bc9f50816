using System.Globalization;
using System.Text.Json;

namespace RedEducation.Geo;

/// <summary>Builds a road graph from a GeoJSON FeatureCollection of road LineStrings (EPSG:4326).</summary>
public static class RoadGeoJson
{
    /// <summary>
    /// Reads LineString (and MultiLineString) features with properties <c>highway</c> (OSM class name; features of
    /// other classes are skipped), optional <c>maxspeed</c> (km/h number or OSM text) and <c>oneway</c> (bool or OSM
    /// text). Lines are joined where vertices have identical coordinates after rounding to 1e-7 degrees, and split there.
    /// </summary>
    public static RoadGraph FromGeoJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("Road GeoJSON must be a FeatureCollection with a features array.");
        }

        var assembler = new WayAssembler();
        var coordinates = new Dictionary<long, (double Lat, double Lon)>();
        foreach (var feature in features.EnumerateArray())
        {
            if (!feature.TryGetProperty("geometry", out var geometry) || geometry.ValueKind != JsonValueKind.Object ||
                !feature.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var highway = Text(properties, "highway");
            if (OsmTagRules.Classify(highway) is not { } c)
            {
                continue;
            }

            var speed = properties.TryGetProperty("maxspeed", out var ms) && ms.ValueKind == JsonValueKind.Number && ms.GetDouble() > 0
                ? ms.GetDouble()
                : OsmTagRules.ParseMaxSpeed(Text(properties, "maxspeed")) ?? c.DefaultSpeedKmh;
            RoadDirection? direction = properties.TryGetProperty("oneway", out var ow) && ow.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? (ow.GetBoolean() ? RoadDirection.Forward : RoadDirection.Both)
                : OsmTagRules.ParseOneway(Text(properties, "oneway"), highway, Text(properties, "junction"));
            if (direction is not { } d)
            {
                continue;
            }

            var type = Text(geometry, "type");
            if (!geometry.TryGetProperty("coordinates", out var coords) || coords.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            if (type == "LineString")
            {
                AddLine(coords);
            }
            else if (type == "MultiLineString")
            {
                foreach (var line in coords.EnumerateArray())
                {
                    AddLine(line);
                }
            }

            void AddLine(JsonElement line)
            {
                var keys = new List<long>();
                foreach (var position in line.EnumerateArray())
                {
                    if (position.ValueKind != JsonValueKind.Array || position.GetArrayLength() < 2)
                    {
                        throw new FormatException("A GeoJSON position must be [lon, lat].");
                    }

                    var lon = position[0].GetDouble();
                    var lat = position[1].GetDouble();
                    if (Math.Abs(lat) > 90 || Math.Abs(lon) > 180)
                    {
                        throw new FormatException($"Position [{lon.ToString(CultureInfo.InvariantCulture)}, {lat.ToString(CultureInfo.InvariantCulture)}] is not WGS 84 lon/lat.");
                    }

                    var key = Key(lat, lon);
                    coordinates.TryAdd(key, (lat, lon));
                    keys.Add(key);
                }

                assembler.AddWay([.. keys], c.Class, speed, d);
            }
        }

        return assembler.Build(
            (long key, out double lat, out double lon) =>
            {
                var found = coordinates.TryGetValue(key, out var p);
                (lat, lon) = p;
                return found;
            },
            keysAreOsmIds: false);
    }

    // Latitude and longitude rounded to 1e-7 degrees, packed into one 63-bit key.
    private static long Key(double lat, double lon) =>
        ((long)Math.Round(lat * 1e7) + 900_000_000L) << 32 | ((long)Math.Round(lon * 1e7) + 1_800_000_000L);

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True => "yes",
            JsonValueKind.False => "no",
            _ => null,
        } : null;
}
