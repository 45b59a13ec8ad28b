using System.Text.Json;
using System.Text.Json.Nodes;

namespace Polyarch.Invoker.Hosting.Cli;

/// <summary>Action params from --params-file (a JSON object) and -p key=value (value as JSON if it parses, else a string).</summary>
internal static class ParamsParser
{
    public static JsonObject Parse(IEnumerable<string> pairs, string? paramsFile)
    {
        var result = new JsonObject();
        if (paramsFile is not null)
        {
            JsonNode? node;
            try
            {
                node = JsonNode.Parse(File.ReadAllText(paramsFile));
            }
            catch (JsonException exception)
            {
                throw new FormatException($"--params-file {paramsFile} is not valid JSON: {exception.Message}", exception);
            }
            catch (IOException exception)
            {
                throw new FormatException($"--params-file {paramsFile} cannot be read: {exception.Message}", exception);
            }

            if (node is not JsonObject file)
            {
                throw new FormatException($"--params-file {paramsFile} must hold a JSON object such as {{\"x\": 1}}.");
            }

            foreach (var (key, value) in file.ToList())
            {
                file.Remove(key);
                result[key] = value;
            }
        }

        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException($"-p {pair} is not key=value (e.g. -p name=world or -p count=3).");
            }

            var key = pair[..equals];
            var text = pair[(equals + 1)..];
            JsonNode? value;
            try
            {
                value = JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                value = JsonValue.Create(text);
            }

            result[key] = value;
        }

        return result;
    }
}
