using System.Text.RegularExpressions;
using k8s.Models;

namespace Polyarch.Invoker.Kubernetes.ApiServerDouble;

/// <summary>
/// The part of the API server's pod validation that Polyarch's pods could violate: names (DNS-1123), label keys and
/// values, containers, requests ≤ limits, extended resources (GPU/TPU) with requests = limits, node-selector
/// operators, toleration operators. Returns every problem (422 Invalid), like the real server.
/// </summary>
internal static partial class PodValidation
{
    public static List<string> Validate(V1Pod pod)
    {
        var problems = new List<string>();
        var name = pod.Metadata?.Name;
        if (name is null || name.Length > 63 || !Dns1123().IsMatch(name))
        {
            problems.Add($"metadata.name: Invalid value: \"{name}\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', start and end with an alphanumeric character, at most 63 characters");
        }

        foreach (var (key, value) in pod.Metadata?.Labels ?? new Dictionary<string, string>())
        {
            if (key.Split('/').Last() is var n && (n.Length > 63 || !Qualified().IsMatch(n)))
            {
                problems.Add($"metadata.labels: Invalid value: \"{key}\": name part must be a qualified name");
            }

            if (value.Length > 63 || (value.Length > 0 && !Qualified().IsMatch(value)))
            {
                problems.Add($"metadata.labels: Invalid value: \"{value}\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', at most 63 characters");
            }
        }

        if (pod.Spec?.Containers is not { Count: > 0 } containers)
        {
            problems.Add("spec.containers: Required value");
            return problems;
        }

        foreach (var container in containers)
        {
            if (string.IsNullOrEmpty(container.Name) || string.IsNullOrEmpty(container.Image))
            {
                problems.Add("spec.containers[].name/image: Required value");
            }

            var requests = container.Resources?.Requests ?? new Dictionary<string, ResourceQuantity>();
            var limits = container.Resources?.Limits ?? new Dictionary<string, ResourceQuantity>();
            foreach (var (resource, request) in requests)
            {
                if (limits.TryGetValue(resource, out var limit) && request.ToDecimal() > limit.ToDecimal())
                {
                    problems.Add($"spec.containers[].resources.requests: Invalid value: \"{request}\": must be less than or equal to {resource} limit");
                }

                if (resource.Contains('/', StringComparison.Ordinal) && (!limits.TryGetValue(resource, out var ext) || ext.ToDecimal() != request.ToDecimal()))
                {
                    problems.Add($"spec.containers[].resources.requests[{resource}]: Invalid value: must be equal to {resource} limit");
                }
            }
        }

        var terms = pod.Spec.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution?.NodeSelectorTerms ?? [];
        foreach (var expression in terms.SelectMany(t => t.MatchExpressions ?? []))
        {
            if (expression.OperatorProperty is not ("In" or "NotIn" or "Exists" or "DoesNotExist" or "Gt" or "Lt")
                || (expression.OperatorProperty is "In" or "NotIn" && expression.Values is not { Count: > 0 }))
            {
                problems.Add($"spec.affinity.nodeAffinity: Invalid value: {expression.Key} {expression.OperatorProperty} [{string.Join(",", expression.Values ?? [])}]");
            }
        }

        foreach (var toleration in pod.Spec.Tolerations ?? [])
        {
            if (toleration.OperatorProperty is not (null or "Exists" or "Equal") || (toleration.OperatorProperty == "Exists" && !string.IsNullOrEmpty(toleration.Value)))
            {
                problems.Add($"spec.tolerations: Invalid value: {toleration.Key} {toleration.OperatorProperty} {toleration.Value}");
            }
        }

        return problems;
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123();

    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex Qualified();
}
