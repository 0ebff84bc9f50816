using Orleans.Serialization;
using RedEducation.Domain;

namespace RedEducation.Contracts;

public static class DomainCodec
{
    /// <summary>
    /// Lets domain records cross grain calls as JSON, so that the Domain project needs no Orleans attributes.
    /// Silos and clients both register it.
    /// </summary>
    public static ISerializerBuilder AddDomainJsonCodec(this ISerializerBuilder serializer) =>
        serializer.AddJsonSerializer(
            isSupported: t => t.Namespace?.StartsWith("RedEducation.Domain", StringComparison.Ordinal) == true,
            jsonSerializerOptions: DomainJson.Options);
}
