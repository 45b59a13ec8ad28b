using System.Text.Json.Nodes;

namespace Polyarch.Invoker.Kubernetes.Lifecycle;

/// <summary>What the Kubernetes backend reports about one activation (mapped 1:1 onto the activation record).</summary>
internal sealed record KubernetesRun(
    string Status,
    JsonNode? Result,
    IReadOnlyList<string> Logs,
    bool Truncated,
    bool Cold,
    string PodName,
    string Image,
    string? Node,
    string? Platform,
    string? ChildDigest,
    TimeSpan Wait,
    TimeSpan Init,
    TimeSpan Run);
