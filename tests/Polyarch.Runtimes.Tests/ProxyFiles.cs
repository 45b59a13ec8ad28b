using System.Text;
using System.Text.Json.Nodes;

namespace Polyarch.Runtimes.Tests;

/// <summary>The reserved <c>"polyarch:files"</c> key of /run params and answers: file name → base64 (files-contract, issue 14).</summary>
internal static class ProxyFiles
{
    /// <summary>The reserved key.</summary>
    public const string Key = "polyarch:files";

    /// <summary><c>{name: base64(bytes)}</c>.</summary>
    public static JsonObject Of(params (string Name, byte[] Content)[] files)
    {
        var result = new JsonObject();
        foreach (var (name, content) in files)
        {
            result[name] = Convert.ToBase64String(content);
        }

        return result;
    }

    /// <summary><c>{name: base64(UTF-8 text)}</c>.</summary>
    public static JsonObject OfText(params (string Name, string Text)[] files) =>
        Of(files.Select(f => (f.Name, Encoding.UTF8.GetBytes(f.Text))).ToArray());

    /// <summary>The files of an answer, decoded; empty when it has none.</summary>
    public static Dictionary<string, byte[]> In(JsonNode? answer) =>
        answer?[Key] is JsonObject files
            ? files.ToDictionary(f => f.Key, f => Convert.FromBase64String(f.Value!.GetValue<string>()), StringComparer.Ordinal)
            : [];
}
