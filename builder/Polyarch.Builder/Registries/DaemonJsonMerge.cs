using System.Text.Json;
using System.Text.Json.Nodes;

namespace Polyarch.Builder.Registries;

/// <summary>Adds a registry to daemon.json's insecure-registries, keeping every other key and entry as it is.</summary>
internal static class DaemonJsonMerge
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string New(string registry) => Merge("{}", registry);

    /// <summary>The merged file; the input itself (byte for byte) when the registry is already listed.</summary>
    public static string Merge(string existing, string registry)
    {
        JsonObject root;
        try
        {
            root = string.IsNullOrWhiteSpace(existing) ? [] : JsonNode.Parse(existing) as JsonObject
                ?? throw new ProfileInputException("daemon.json does not hold a JSON object; fix or move it, then run the profile again.");
        }
        catch (JsonException exception)
        {
            throw new ProfileInputException($"daemon.json is not valid JSON ({exception.Message}); dockerd would not start with it either. Fix it, then run the profile again.");
        }

        if (root["insecure-registries"] is not JsonArray list)
        {
            if (root["insecure-registries"] is not null)
            {
                throw new ProfileInputException("daemon.json has an \"insecure-registries\" that is not a list; make it one, then run the profile again.");
            }

            list = [];
            root["insecure-registries"] = list;
        }

        if (list.Any(entry => entry?.GetValueKind() == JsonValueKind.String && string.Equals(entry.GetValue<string>(), registry, StringComparison.OrdinalIgnoreCase)))
        {
            return existing;
        }

        list.Add(registry);
        return root.ToJsonString(Indented) + "\n";
    }
}
