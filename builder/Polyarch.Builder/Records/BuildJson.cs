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
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = false,
            // What the CLI sends and reads comes from generated metadata (no reflection or emitted IL in a one-shot process);
            // anything else (StructuredOutput's shapes) still by reflection. Same JSON either way (BuildJsonContractTests).
            TypeInfoResolver = JsonTypeInfoResolver.Combine(BuildJsonContext.Default, new DefaultJsonTypeInfoResolver()),
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
