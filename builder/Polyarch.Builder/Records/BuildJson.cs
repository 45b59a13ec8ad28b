using System.Text.Json;
using System.Text.Json.Serialization;

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
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
