using System.Text.Json.Nodes;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Images;
using Polyarch.Invoker.Placement;

namespace Polyarch.Invoker.Invocation;

/// <summary>Everything a backend needs to run one activation of a placed variant.</summary>
internal sealed record ActivationContext(
    string ActivationId,
    ActionDefinition Action,
    ImageVariants Image,
    PlacementDecision Decision,
    ActionProtocol Protocol,
    int Port,
    JsonObject Params,
    DateTimeOffset Deadline)
{
    /// <summary>
    /// Null: run <see cref="Decision"/>'s variant (pinned). Otherwise the caller named no platform and the backend may
    /// run any of these ranked variants (the decision's first, same requirements) where it has room — Kubernetes then
    /// pulls the index digest with affinity to their architectures; a backend that cannot choose runs the first.
    /// </summary>
    public IReadOnlyList<VariantInfo>? AnyOf { get; init; }
}
