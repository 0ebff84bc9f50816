using System.Globalization;

namespace RedEducation.Geo;

/// <summary>How OSM tags become road class, speed, direction and car access (shared by the PBF and GeoJSON loaders).</summary>
public static class OsmTagRules
{
    private static readonly Dictionary<string, (RoadClass Class, double Speed)> Highways = new(StringComparer.Ordinal)
    {
        ["motorway"] = (RoadClass.Motorway, 100),
        ["trunk"] = (RoadClass.Trunk, 80),
        ["primary"] = (RoadClass.Primary, 60),
        ["secondary"] = (RoadClass.Secondary, 50),
        ["tertiary"] = (RoadClass.Tertiary, 40),
        ["unclassified"] = (RoadClass.Unclassified, 30),
        ["residential"] = (RoadClass.Residential, 25),
        ["living_street"] = (RoadClass.Residential, 10),
        ["service"] = (RoadClass.Service, 15),
        ["motorway_link"] = (RoadClass.Link, 60),
        ["trunk_link"] = (RoadClass.Link, 50),
        ["primary_link"] = (RoadClass.Link, 40),
        ["secondary_link"] = (RoadClass.Link, 35),
        ["tertiary_link"] = (RoadClass.Link, 30),
    };

    // Zone limits written as "CC:zone". Chinese law: 50 km/h in towns and 70 on roads with a centre line outside them.
    private static readonly Dictionary<string, double> Zones = new(StringComparer.OrdinalIgnoreCase)
    {
        ["urban"] = 50,
        ["rural"] = 80,
        ["motorway"] = 120,
        ["trunk"] = 100,
        ["living_street"] = 20,
        ["walk"] = 6,
        ["zone20"] = 20,
        ["zone30"] = 30,
        ["school"] = 30,
        ["CN:rural"] = 70,
        ["DE:rural"] = 100,
        ["DE:motorway"] = 130,
        ["DE:living_street"] = 7,
        ["FR:rural"] = 80,
        ["FR:motorway"] = 130,
        ["GB:nsl_single"] = 96.56,
        ["GB:nsl_dual"] = 112.65,
        ["UK:nsl_single"] = 96.56,
        ["UK:nsl_dual"] = 112.65,
    };

    private static readonly HashSet<string> DeniedAccess = new(StringComparer.OrdinalIgnoreCase)
    {
        "no", "private", "agricultural", "forestry", "emergency", "psv", "bus", "delivery", "military", "discouraged",
    };

    /// <summary>The road class and default speed (km/h) of a car-usable OSM highway value, or null for anything else.</summary>
    public static (RoadClass Class, double DefaultSpeedKmh)? Classify(string? highway) =>
        highway is not null && Highways.TryGetValue(highway, out var c) ? c : null;

    /// <summary>
    /// Parses an OSM maxspeed value to km/h: "50", "50 km/h", "30 mph", "10 knots", "CN:urban", "DE:zone30", "none",
    /// "walk", "60;80" (the first). Null when the value says nothing usable ("signals", "variable", garbage).
    /// </summary>
    public static double? ParseMaxSpeed(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var v = value.Split(';', '|')[0].Trim();
        if (v.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return 130;
        }

        if (v.Equals("walk", StringComparison.OrdinalIgnoreCase))
        {
            return 6;
        }

        var colon = v.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            if (Zones.TryGetValue(v, out var exact))
            {
                return exact;
            }

            var zone = v[(colon + 1)..].Replace(" ", string.Empty, StringComparison.Ordinal);
            if (Zones.TryGetValue(zone, out var general))
            {
                return general;
            }

            // "DE:zone:30", "zone:maxspeed" style numbers after the country code.
            var digits = new string([.. zone.Where(char.IsAsciiDigit)]);
            return digits.Length > 0 && double.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var z) && z > 0 ? z : null;
        }

        var factor = 1.0;
        var numberPart = v;
        if (v.EndsWith("mph", StringComparison.OrdinalIgnoreCase))
        {
            factor = 1.609344;
            numberPart = v[..^3];
        }
        else if (v.EndsWith("knots", StringComparison.OrdinalIgnoreCase))
        {
            factor = 1.852;
            numberPart = v[..^5];
        }
        else if (v.EndsWith("km/h", StringComparison.OrdinalIgnoreCase))
        {
            numberPart = v[..^4];
        }
        else if (v.EndsWith("kmh", StringComparison.OrdinalIgnoreCase) || v.EndsWith("kph", StringComparison.OrdinalIgnoreCase))
        {
            numberPart = v[..^3];
        }

        return double.TryParse(numberPart.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var speed) && speed > 0 && speed < 400
            ? speed * factor
            : null;
    }

    /// <summary>
    /// The drivable direction from the oneway, junction and highway tags: yes/true/1 forward, -1/reverse backward,
    /// no/false/0 both; absent means forward for motorways and roundabouts, else both. Null for reversible or
    /// alternating roads, which a static graph cannot represent.
    /// </summary>
    public static RoadDirection? ParseOneway(string? oneway, string? highway, string? junction)
    {
        switch (oneway?.Trim().ToLowerInvariant())
        {
            case "yes" or "true" or "1":
                return RoadDirection.Forward;
            case "-1" or "reverse":
                return RoadDirection.Backward;
            case "no" or "false" or "0":
                return RoadDirection.Both;
            case "reversible" or "alternating":
                return null;
        }

        return highway == "motorway" || junction is "roundabout" or "circular" ? RoadDirection.Forward : RoadDirection.Both;
    }

    /// <summary>
    /// Whether a car may drive here, by the most specific of motorcar, motor_vehicle, vehicle and access
    /// (so access=no with motor_vehicle=yes is allowed). area=yes and service=emergency_access are not roads.
    /// </summary>
    public static bool IsCarAccessible(Func<string, string?> tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        if (tag("area") == "yes" || tag("service") == "emergency_access")
        {
            return false;
        }

        foreach (var key in (ReadOnlySpan<string>)["motorcar", "motor_vehicle", "vehicle", "access"])
        {
            var value = tag(key);
            if (value is not null)
            {
                return !DeniedAccess.Contains(value.Split(';')[0].Trim());
            }
        }

        return true;
    }
}
