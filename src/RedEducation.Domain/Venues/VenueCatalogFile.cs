using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RedEducation.Domain.Venues;

/// <summary>Reads the venue seed file (geodata/venues.geojson, a GeoJSON FeatureCollection of Points).</summary>
public static class VenueCatalogFile
{
    public static IReadOnlyList<VenueProfile> Parse(string json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"venue file is not valid JSON: {e.Message}", e);
        }
        if ((root as JsonObject)?["features"] is not JsonArray features)
        {
            throw new FormatException("venue file has no 'features' array");
        }
        var venues = new List<VenueProfile>();
        foreach (var feature in features)
        {
            var properties = (feature as JsonObject)?["properties"] as JsonObject ?? throw new FormatException("a feature has no 'properties' object");
            var id = Text(properties, "id");
            try
            {
                venues.Add(ParseFeature(feature!, properties));
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or JsonException or KeyNotFoundException)
            {
                throw new FormatException($"venue '{id}': {e.Message}", e);
            }
        }
        var duplicate = venues.GroupBy(v => v.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new FormatException($"venue id '{duplicate.Key}' appears twice");
        }
        return venues;
    }

    private static VenueProfile ParseFeature(JsonNode feature, JsonNode p)
    {
        var position = feature["geometry"]?["coordinates"]?.AsArray() ?? throw new FormatException("no Point coordinates");
        if (position.Count < 2)
        {
            throw new FormatException("Point coordinates need a longitude and a latitude");
        }
        var coordinate = p["coordinate"] ?? throw new FormatException("no 'coordinate'");
        var hours = p["hours"] ?? throw new FormatException("no 'hours'");
        var route = p["liaoshenRoute"];
        var profile = new VenueProfile(
            Id: Text(p, "id"),
            Kind: Text(p, "kind"),
            Name: Localized(p["name"]),
            City: Localized(p["city"]),
            Address: Localized(p["address"]),
            TimeZone: Text(p, "timeZone"),
            Coordinate: new VenueCoordinate(
                new GeoPoint(Degrees(position[1]), Degrees(position[0])),
                Text(coordinate, "source"),
                Text(coordinate, "datum"),
                Number(coordinate, "accuracyMeters"),
                coordinate["approximate"]?.GetValue<bool>() ?? true),
            Hours: new DailyHours(Time(hours, "open"), Time(hours, "lastEntry"), Time(hours, "close")),
            ClosedWeekdays: [.. (p["closedWeekdays"]?.AsArray() ?? []).Select(Weekday)],
            Exceptions: [.. (p["exceptions"]?.AsArray() ?? []).Select(e => new DayOverride(
                DateOnly.ParseExact(Text(e!, "date"), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                Flag(e!, "open"),
                Localized(e!["note"])))],
            Limits: new BookingLimits(
                Number(p, "slotMinutes"), Number(p, "slotCapacity"), Number(p, "dailyCap"),
                Number(p, "groupMin"), Number(p, "groupMax"),
                Number(p, "leadMinDays"), Number(p, "leadMaxDays"), Number(p, "unitCapPerDay")),
            VisitMinutes: Number(p, "visitMinutes"),
            Resources: [.. (p["resources"]?.AsArray() ?? []).Select(r => new SecondResource(Text(r!, "id"), Localized(r!["name"]), Number(r!, "capacityPerSlot")))],
            Requirements: p["requirements"] is null ? LocalizedText.Empty : Localized(p["requirements"]),
            CampaignStop: route is null ? null : new CampaignStop(
                Number(route, "order"),
                DateOnly.ParseExact(Text(route["dates"] ?? throw new FormatException("missing 'dates'"), "from"), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                DateOnly.ParseExact(Text(route["dates"]!, "to"), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                Localized(route["text"])),
            Sources: [.. (p["sources"]?.AsArray() ?? []).Select(s => Item(s, "sources"))],
            Assumed: [.. (p["assumed"]?.AsArray() ?? []).Select(s => Item(s, "assumed"))]);

        var problems = profile.Problems();
        if (problems.Count > 0)
        {
            throw new FormatException(string.Join("; ", problems.Select(x => $"{x.Field} {x.Message}")));
        }
        return profile;
    }

    // TryGetValue rather than GetValue: a value of the wrong JSON type must surface as a FormatException like any other
    // malformed field, and a missing one must not surface as a NullReferenceException.
    private static string Text(JsonNode? node, string name) =>
        node?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text
        : throw new FormatException($"missing '{name}' or not a string");

    private static int Number(JsonNode node, string name) =>
        node[name] is JsonValue value && value.TryGetValue<int>(out var number) ? number
        : throw new FormatException($"missing '{name}' or not a whole number");

    private static string Item(JsonNode? node, string list) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text
        : throw new FormatException($"'{list}' holds something other than a string");

    private static bool Flag(JsonNode? node, string name) =>
        node?[name] is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag
        : throw new FormatException($"missing '{name}' or not true/false");

    private static double Degrees(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<double>(out var degrees) ? degrees
        : throw new FormatException("a Point coordinate is not a number");

    // Only the English day names: Enum.Parse alone would also take "8" or "1, 2" and yield a day that never comes.
    private static DayOfWeek Weekday(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && Enum.TryParse<DayOfWeek>(text, out var day)
            && Enum.IsDefined(day) && day.ToString() == text
            ? day
            : throw new FormatException($"closed weekday {node?.ToJsonString() ?? "null"} is not one of Monday..Sunday");

    private static TimeOnly Time(JsonNode node, string name) =>
        TimeOnly.ParseExact(Text(node, name), "HH:mm", CultureInfo.InvariantCulture);

    private static LocalizedText Localized(JsonNode? node) =>
        node is null ? LocalizedText.Empty : new LocalizedText(node["zh"]?.GetValue<string>() ?? "", node["en"]?.GetValue<string>() ?? "");
}
