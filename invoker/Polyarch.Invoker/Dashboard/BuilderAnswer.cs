using System.Text.Json;

namespace Polyarch.Invoker.Dashboard;

/// <summary>What the builder's REST API answered: its JSON or text, or why there is none (a sentence naming the fix).</summary>
internal sealed record BuilderAnswer(JsonElement? Json, string? Text, string? Error, bool NotFound = false)
{
    public static BuilderAnswer Failed(string error, bool notFound = false) => new(null, null, error, notFound);
}
