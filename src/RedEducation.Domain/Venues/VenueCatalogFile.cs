using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RedEducation.Domain.Venues;

/// <summary>Reads the venue seed file (geodata/venues.geojson, a GeoJSON FeatureCollection of Points).</summary>
public static class VenueCatalogFile
{
    public static IReadOnlyList<VenueProfile> Parse(string json)
    {
        var root = JsonNode.Parse(json) ?? throw new FormatException("venue file is empty");
        var features = root["features"]?.AsArray() ?? throw new FormatException("venue file has no 'features' array");
        var venues = new List<VenueProfile>();
        foreach (var feature in features)
        {
            var properties = feature?["properties"] ?? throw new FormatException("a feature has no 'properties'");
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
                new GeoPoint(position[1]!.GetValue<double>(), position[0]!.GetValue<double>()),
                Text(coordinate, "source"),
                Text(coordinate, "datum"),
                Number(coordinate, "accuracyMeters"),
                coordinate["approximate"]?.GetValue<bool>() ?? true),
            Hours: new DailyHours(Time(hours, "open"), Time(hours, "lastEntry"), Time(hours, "close")),
            ClosedWeekdays: [.. (p["closedWeekdays"]?.AsArray() ?? []).Select(d => Enum.Parse<DayOfWeek>(d!.GetValue<string>()))],
            Exceptions: [.. (p["exceptions"]?.AsArray() ?? []).Select(e => new DayOverride(
                DateOnly.ParseExact(Text(e!, "date"), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                e!["open"]!.GetValue<bool>(),
                Localized(e["note"])))],
            Limits: new BookingLimits(
                Number(p, "slotMinutes"), Number(p, "slotCapacity"), Number(p, "dailyCap"),
                Number(p, "groupMin"), Number(p, "groupMax"),
                Number(p, "leadMinDays"), Number(p, "leadMaxDays"), Number(p, "unitCapPerDay")),
            VisitMinutes: Number(p, "visitMinutes"),
            Resources: [.. (p["resources"]?.AsArray() ?? []).Select(r => new SecondResource(Text(r!, "id"), Localized(r!["name"]), Number(r!, "capacityPerSlot")))],
            Requirements: p["requirements"] is null ? LocalizedText.Empty : Localized(p["requirements"]),
            CampaignStop: route is null ? null : new CampaignStop(
                Number(route, "order"),
                DateOnly.ParseExact(Text(route["dates"]!, "from"), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                DateOnly.ParseExact(Text(route["dates"]!, "to"), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                Localized(route["text"])),
            Sources: [.. (p["sources"]?.AsArray() ?? []).Select(s => s!.GetValue<string>())],
            Assumed: [.. (p["assumed"]?.AsArray() ?? []).Select(s => s!.GetValue<string>())]);

        var problems = profile.Problems();
        if (problems.Count > 0)
        {
            throw new FormatException(string.Join("; ", problems.Select(x => $"{x.Field} {x.Message}")));
        }
        return profile;
    }

    private static string Text(JsonNode node, string name) =>
        node[name]?.GetValue<string>() ?? throw new FormatException($"missing '{name}'");

    private static int Number(JsonNode node, string name) =>
        node[name]?.GetValue<int>() ?? throw new FormatException($"missing '{name}'");

    private static TimeOnly Time(JsonNode node, string name) =>
        TimeOnly.ParseExact(Text(node, name), "HH:mm", CultureInfo.InvariantCulture);

    private static LocalizedText Localized(JsonNode? node) =>
        node is null ? LocalizedText.Empty : new LocalizedText(node["zh"]?.GetValue<string>() ?? "", node["en"]?.GetValue<string>() ?? "");
}
