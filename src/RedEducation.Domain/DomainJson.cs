using System.Text.Json;
using System.Text.Json.Serialization;

namespace RedEducation.Domain;

/// <summary>The JSON form of domain values in storage and between grains: stable names, enums as text.</summary>
public static class DomainJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        Converters = { new JsonStringEnumConverter() },
    };
}
