using System.Text.Json;
using System.Text.Json.Nodes;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Images;
using Polyarch.Invoker.Json;
using Polyarch.Invoker.Placement;

namespace Polyarch.Invoker.Invocation;

/// <summary>
/// The record of an activation that never ran — a non-blocking call or a rule firing stopped before its action started —
/// so its id never stays unknown: the status says whose fault it is, <c>result.error</c> why, and a placement failure
/// carries <c>reason: "placement-failed"</c> and the why-not table.
/// </summary>
internal static class NotStartedActivation
{
    /// <summary>The <c>result.reason</c> of an activation no candidate could take.</summary>
    public const string PlacementFailed = "placement-failed";

    /// <summary>
    /// What a blocking call answers with 4xx (no such action, no fitting candidate, an image that does not resolve) is
    /// the caller's or the action's to fix — "action developer error"; the rest (registry, engine or cluster
    /// unavailable, anything unexpected) is the platform's — "system error".
    /// </summary>
    public static (string Status, JsonObject Result) Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var error = $"The activation could not start: {exception.Message}";
        return exception switch
        {
            PlacementException placement => (ActivationStatus.DeveloperError, WhyNot(placement, new JsonObject { ["error"] = error })),
            InvalidActionException invalid => (ActivationStatus.DeveloperError, new JsonObject
            {
                ["error"] = error,
                ["errors"] = JsonSerializer.SerializeToNode(invalid.Errors, InvokerJson.Options),
            }),
            ActionNotFoundException or ImageResolutionException { DependencyUnavailable: false } =>
                (ActivationStatus.DeveloperError, new JsonObject { ["error"] = error }),
            _ => (ActivationStatus.SystemError, new JsonObject { ["error"] = error }),
        };
    }

    /// <summary>Adds the placement failure's fields to <paramref name="into"/>: reason, image and backend platforms, failures, candidates.</summary>
    public static JsonObject WhyNot(PlacementException placement, JsonObject into)
    {
        ArgumentNullException.ThrowIfNull(placement);
        ArgumentNullException.ThrowIfNull(into);
        into["reason"] = PlacementFailed;
        into["imagePlatforms"] = JsonSerializer.SerializeToNode(placement.ImagePlatforms, InvokerJson.Options);
        into["backendPlatforms"] = JsonSerializer.SerializeToNode(placement.BackendPlatforms, InvokerJson.Options);
        into["failures"] = JsonSerializer.SerializeToNode(placement.Failures, InvokerJson.Options);
        into["candidates"] = JsonSerializer.SerializeToNode(placement.Candidates, InvokerJson.Options);
        return into;
    }

    /// <summary>The record: no child digest, no node, the time from acceptance to now as its wait.</summary>
    public static ActivationRecord Record(
        string activationId, string action, string image, string? platform, string backend, DateTimeOffset accepted, DateTimeOffset end, string status, JsonObject result) => new()
    {
        ActivationId = activationId,
        Action = action,
        Image = image,
        Platform = platform,
        Backend = backend,
        Cold = true,
        WaitMs = Math.Max(0, (long)(end - accepted).TotalMilliseconds),
        Start = accepted,
        End = end,
        Status = status,
        Result = result,
    };
}
