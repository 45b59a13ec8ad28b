using k8s.Models;

namespace Polyarch.Invoker.Kubernetes.ApiServerDouble;

/// <summary>metav1.Status bodies the API server answers errors with.</summary>
internal static class Statuses
{
    public static V1Status Failure(int code, string reason, string message) => new()
    {
        ApiVersion = "v1",
        Kind = "Status",
        Status = "Failure",
        Code = code,
        Reason = reason,
        Message = message,
        Metadata = new V1ListMeta(),
    };

    /// <summary>
    /// The Status as JSON. KubernetesJson cannot write a V1Status (its V1StatusObjectViewConverter only reads), so the
    /// double writes the fields a real server sends itself.
    /// </summary>
    public static string ToJson(V1Status status) => new System.Text.Json.Nodes.JsonObject
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new System.Text.Json.Nodes.JsonObject(),
        ["status"] = status.Status,
        ["message"] = status.Message,
        ["reason"] = status.Reason,
        ["code"] = status.Code,
    }.ToJsonString();

    public static V1Status NotFound(string kind, string name) => Failure(404, "NotFound", $"{kind} \"{name}\" not found");

    public static V1Status Gone(string resourceVersion) => Failure(410, "Expired", $"too old resource version: {resourceVersion}");
}
