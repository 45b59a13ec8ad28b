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

    public static V1Status NotFound(string kind, string name) => Failure(404, "NotFound", $"{kind} \"{name}\" not found");

    public static V1Status Gone(string resourceVersion) => Failure(410, "Expired", $"too old resource version: {resourceVersion}");
}
