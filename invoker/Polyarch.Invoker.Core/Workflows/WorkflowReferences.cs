using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Polyarch.Invoker.Workflows;

/// <summary>
/// The <c>${…}</c> references of step params, <c>if</c>, <c>tag</c> and the run's result: dotted paths into
/// <c>{params, trigger, steps: {S: {result, artifact, files}}}</c>. A string that is exactly one reference takes the
/// referenced JSON value (its type too); otherwise each reference is replaced by its text. No operators, no functions.
/// </summary>
internal static partial class WorkflowReferences
{
    /// <summary>Every reference's path in a value (strings inside objects and arrays too).</summary>
    public static IEnumerable<string> Find(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(kv => Find(kv.Value)),
        JsonArray a => a.SelectMany(Find),
        JsonValue v when v.TryGetValue<string>(out var text) => Find(text),
        _ => [],
    };

    public static IEnumerable<string> Find(string? text) =>
        text is null ? [] : Reference().Matches(text).Select(m => m.Groups[1].Value.Trim());

    /// <summary>A copy of <paramref name="node"/> with every reference resolved against <paramref name="context"/>.</summary>
    public static JsonNode? Resolve(JsonNode? node, JsonObject context) => node switch
    {
        JsonObject o => new JsonObject(o.Select(kv => KeyValuePair.Create(kv.Key, Resolve(kv.Value, context)))),
        JsonArray a => new JsonArray([.. a.Select(n => Resolve(n, context))]),
        JsonValue v when v.TryGetValue<string>(out var text) => Resolve(text, context),
        _ => node?.DeepClone(),
    };

    public static JsonNode? Resolve(string text, JsonObject context)
    {
        var whole = Reference().Match(text);
        if (whole.Success && whole.Index == 0 && whole.Length == text.Length)
        {
            return Lookup(whole.Groups[1].Value.Trim(), context)?.DeepClone();
        }

        return JsonValue.Create(Reference().Replace(text, m => Lookup(m.Groups[1].Value.Trim(), context) switch
        {
            null => "",
            JsonValue value when value.TryGetValue<string>(out var s) => s,
            var other => other.ToJsonString(),
        }));
    }

    /// <summary>The value at a dotted path, or null when any part is missing.</summary>
    public static JsonNode? Lookup(string path, JsonObject context)
    {
        JsonNode? current = context;
        foreach (var part in path.Split('.'))
        {
            current = current switch
            {
                JsonObject o => o[part],
                JsonArray a when int.TryParse(part, out var i) && i >= 0 && i < a.Count => a[i],
                _ => null,
            };
            if (current is null)
            {
                return null;
            }
        }

        return current;
    }

    /// <summary>Truthy: anything but null, false, 0, "" and "false" (after resolution).</summary>
    public static bool IsTruthy(JsonNode? value) => value switch
    {
        null => false,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<string>(out var s) => s.Length > 0 && !string.Equals(s, "false", StringComparison.OrdinalIgnoreCase) && s != "0",
        JsonValue v when v.TryGetValue<double>(out var d) => d != 0,
        JsonArray a => a.Count > 0,
        _ => true,
    };

    /// <summary>A readable form of a path list for messages.</summary>
    public static string Describe(IEnumerable<string> paths) =>
        new StringBuilder().AppendJoin(", ", paths.Select(p => "${" + p + "}")).ToString();

    [GeneratedRegex(@"\$\{([^}]*)\}")]
    private static partial Regex Reference();
}
