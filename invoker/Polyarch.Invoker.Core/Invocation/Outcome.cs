using System.Text.Json.Nodes;

namespace Polyarch.Invoker.Invocation;

/// <summary>A classified activation outcome: status and the result object OpenWhisk would show.</summary>
internal sealed record Outcome(string Status, JsonNode? Result, bool Truncated = false);
