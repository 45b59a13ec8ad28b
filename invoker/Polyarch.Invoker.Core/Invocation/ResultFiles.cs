using System.Text.Json.Nodes;
using Polyarch.Invoker.Activations;

namespace Polyarch.Invoker.Invocation;

/// <summary>
/// The files of the /run payload contract (issue 14): <c>"polyarch:files"</c>, a JSON object of file name → base64, in an
/// action's params (inputs) and in its result (outputs). File names are plain: <c>^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$</c>.
/// </summary>
internal static class ResultFiles
{
    /// <summary>The reserved key.</summary>
    public const string Key = "polyarch:files";

    /// <summary>
    /// Takes <c>"polyarch:files"</c> out of a result object (a copy; the result itself is left alone) and decodes it.
    /// Null error: fine (no files → an empty list). An error names the file and what is wrong with it.
    /// </summary>
    public static (JsonNode? Result, IReadOnlyList<ActivationFile> Files, string? Error) Extract(JsonNode? result)
    {
        if (result is not JsonObject answer || !answer.ContainsKey(Key))
        {
            return (result, [], null);
        }

        var stripped = (JsonObject)answer.DeepClone();
        var node = stripped[Key];
        stripped.Remove(Key);
        if (node is not JsonObject files)
        {
            return (stripped, [], $"the action's result holds \"{Key}\" that is not an object of file name → base64 content");
        }

        var decoded = new List<ActivationFile>();
        foreach (var (name, value) in files)
        {
            if (!Workflows.WorkflowValidator.FileName().IsMatch(name))
            {
                return (stripped, [], $"the action returned a file named '{name}', which is not a plain file name ([A-Za-z0-9][A-Za-z0-9._-]{{0,127}}, no path); save it under such a name");
            }

            if (value is not JsonValue text || !text.TryGetValue<string>(out var base64))
            {
                return (stripped, [], $"the action returned file '{name}' whose content is not a base64 string");
            }

            try
            {
                decoded.Add(new ActivationFile(name, Convert.FromBase64String(base64)));
            }
            catch (FormatException)
            {
                return (stripped, [], $"the action returned file '{name}' whose content is not valid base64");
            }
        }

        return (stripped, decoded, null);
    }

    /// <summary>The log line that notes the returned files in the activation record.</summary>
    public static string LogLine(IReadOnlyList<ActivationFile> files) =>
        $"polyarch: the action returned {files.Count} file(s), kept out of this record: {string.Join(", ", files.Select(f => $"{f.Name} ({f.Content.Length} bytes)"))}";
}
