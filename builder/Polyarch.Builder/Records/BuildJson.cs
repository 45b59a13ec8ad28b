using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Polyarch.Builder.Records;

/// <summary>The JSON shape of build records (camelCase, enums as strings) for the database, the API and the CLI.</summary>
internal static class BuildJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        // The generated context's settings (the wire format the Native AOT hand-off speaks, BuildJsonContext); what the CLI
        // sends and reads comes from its metadata, anything else (StructuredOutput's shapes, the database's) by reflection.
        // Same JSON either way (BuildJsonContractTests).
        var options = new JsonSerializerOptions(BuildJsonContext.Default.Options)
        {
            TypeInfoResolver = JsonTypeInfoResolver.Combine(BuildJsonContext.Default, new DefaultJsonTypeInfoResolver()),
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
