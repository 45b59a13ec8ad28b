using System.Text.Json;
using Polyarch.Builder.Records;

namespace Polyarch.Builder.Hosting;

/// <summary>What serve.json says: where the running service listens, its instance id (as /healthz answers it) and its pid.</summary>
internal sealed record ServiceEndpointRecord(string Url, string Instance, int Pid)
{
    /// <summary>The file's name in the builder's folder of the state directory.</summary>
    public const string FileName = "serve.json";

    // Generated metadata: the CLI reads serve.json before every hand-off (issue 18, P4), natively too; same JSON as by reflection.
    public static JsonSerializerOptions JsonOptions => BuildJsonContext.Default.Options;

    public static ServiceEndpointRecord? TryRead(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllText(path), BuildJsonContext.Default.ServiceEndpointRecord) : null;
        }
        catch (Exception exception) when (exception is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
