using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Polyarch.Invoker.Kubernetes.Lifecycle;

/// <summary>Turns an action's answer (the exec pod's last log line or the /run body) into status and result.</summary>
internal static class ResultParser
{
    public static (string Status, JsonNode? Result, bool Truncated) Parse(string? text, int maxBytes)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (RunStatus.DeveloperError, Error("The action produced no result: its last output line was empty. Print one JSON object as the last line."), false);
        }

        if (Encoding.UTF8.GetByteCount(text) > maxBytes)
        {
            return (RunStatus.DeveloperError, Error($"The action's result is larger than the {maxBytes}-byte limit."), true);
        }

        try
        {
            if (JsonNode.Parse(text) is JsonObject result)
            {
                return (result.ContainsKey("error") ? RunStatus.ApplicationError : RunStatus.Success, result, false);
            }
        }
        catch (JsonException)
        {
        }

        var shown = text.Length > 200 ? text[..200] + "…" : text;
        return (RunStatus.DeveloperError, Error($"The action's result is not a JSON object: {shown}"), false);
    }

    public static JsonObject Error(string message) => new() { ["error"] = message };
}
