using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Images;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Placement;

namespace Polyarch.Invoker.Kubernetes.Integration;

/// <summary>`invoke … --backend kubernetes --dry-run --output yaml|json`: the pod placement would create, without creating it.</summary>
internal static class KubernetesDryRun
{
    public static async Task<V1Pod> PlanAsync(IServiceProvider services, string target, JsonObject parameters, string? platform, CancellationToken cancellationToken)
    {
        var invoker = services.GetRequiredService<ActionInvoker>();
        var action = await invoker.FindAsync(target, cancellationToken);
        if (platform is not null)
        {
            // As for a real invocation: a platform that cannot exist is bad input (exit 2), not a placement failure.
            platform = Platforms.PlatformName.TryNormalize(platform, out var normalized, out var error) ? normalized : throw new InvalidActionException([error]);
        }

        var image = await services.GetRequiredService<IVariantCatalog>().GetAsync(action.Image, cancellationToken);
        var backend = services.GetRequiredService<KubernetesActionBackend>();
        var inventory = await backend.GetInventoryAsync(cancellationToken);
        var decision = PlacementEngine.Place(image, inventory, PlacementRequest.For(action, platform));
        var time = services.GetRequiredService<TimeProvider>();
        var labels = decision.Variant.Labels;
        var protocol = action.Protocol
            ?? (labels.TryGetValue("io.polyarch.action.protocol", out var p) && string.Equals(p, "exec", StringComparison.OrdinalIgnoreCase) ? ActionProtocol.Exec : ActionProtocol.Http);
        var port = labels.TryGetValue("io.polyarch.action.port", out var text) && int.TryParse(text, out var parsed) && parsed is > 0 and < 65536 ? parsed : 8080;
        var context = new ActivationContext("dry-run", action, image, decision, protocol, port, parameters, time.GetUtcNow().AddMilliseconds(action.TimeoutMs));
        return services.GetRequiredService<KubernetesBackend>().Plan(KubernetesRequests.From(context, time), out _);
    }

    public static string Format(V1Pod pod, string output) =>
        string.Equals(output, "yaml", StringComparison.OrdinalIgnoreCase)
            ? KubernetesYaml.Serialize(pod)
            : JsonNode.Parse(KubernetesJson.Serialize(pod))!.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
