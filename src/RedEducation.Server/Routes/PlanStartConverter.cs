using System.Text.Json;
using System.Text.Json.Serialization;
using RedEducation.Server.Api;

namespace RedEducation.Server.Routes;

/// <summary>Reads a plan's start given either as a venue id string or as { "lat", "lon", "datum"? }.</summary>
public sealed class PlanStartConverter : JsonConverter<PlanStart>
{
    public override PlanStart? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return new PlanStart(reader.GetString(), null, null, null);
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("start is a venue id or { lat, lon }");
        }
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        double? Number(string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
        string? Text(string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return new PlanStart(Text("venueId"), Number("lat"), Number("lon"), Text("datum"));
    }

    public override void Write(Utf8JsonWriter writer, PlanStart value, JsonSerializerOptions options)
    {
        if (value.VenueId is not null)
        {
            writer.WriteStringValue(value.VenueId);
            return;
        }
        writer.WriteStartObject();
        writer.WriteNumber("lat", value.Lat ?? 0);
        writer.WriteNumber("lon", value.Lon ?? 0);
        if (value.Datum is not null)
        {
            writer.WriteString("datum", value.Datum);
        }
        writer.WriteEndObject();
    }
}
