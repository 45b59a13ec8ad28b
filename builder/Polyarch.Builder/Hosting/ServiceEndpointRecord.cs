using System.Text.Json;

namespace Polyarch.Builder.Hosting;

/// <summary>What serve.json says: where the running service listens, its instance id (as /healthz answers it) and its pid.</summary>
internal sealed record ServiceEndpointRecord(string Url, string Instance, int Pid)
{
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web);

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
