using System.Text.Json.Nodes;

namespace Polyarch.Invoker.Triggers;

/// <summary>A rule fired for (repository, digest): what to run, with which params, as which activations (one per platform).</summary>
internal sealed record Firing(string Rule, string Repository, string Digest, string Target, JsonObject Params, IReadOnlyList<FiringActivation> Activations);
