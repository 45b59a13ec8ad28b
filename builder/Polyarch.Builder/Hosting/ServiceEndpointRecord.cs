using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Polyarch.Builder.Records;

namespace Polyarch.Builder.Hosting;

/// <summary>What serve.json says: where the running service listens, its instance id (as /healthz answers it) and its pid.</summary>
internal sealed record ServiceEndpointRecord(string Url, string Instance, int Pid)
{
    // Generated metadata: the CLI reads serve.json before every hand-off (issue 18, P4); same JSON as by reflection.
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = JsonTypeInfoResolver.Combine(BuildJsonContext.Default, new DefaultJsonTypeInfoResolver()),
    };

    public static ServiceEndpointRecord? TryRead(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<ServiceEndpointRecord>(File.ReadAllText(path), JsonOptions) : null;
        }
        catch (Exception exception) when (exception is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
