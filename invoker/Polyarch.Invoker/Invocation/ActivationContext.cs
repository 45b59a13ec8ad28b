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
    DateTimeOffset Deadline);
