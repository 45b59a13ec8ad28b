using System.Globalization;
using k8s.Models;

namespace Polyarch.Invoker.Kubernetes.ApiServerDouble;

/// <summary>
/// The filters and scoring of kube-scheduler that matter for Polyarch's pods: NodeUnschedulable, TaintToleration
/// (a NotReady node carries node.kubernetes.io/not-ready:NoSchedule), NodeAffinity (nodeSelector and required
/// terms with In/NotIn/Exists/DoesNotExist), NodeResourcesFit (requests against allocatable minus the requests
/// of pods already bound there); score = sum of matching preferred-term weights, ties to the emptier node,
/// then the name. Messages follow the scheduler's "0/N nodes are available: …" wording.
/// </summary>
internal static class Scheduler
{
    private static readonly string[] Resources = ["cpu", "memory", "nvidia.com/gpu", "google.com/tpu"];

    public static (V1Node? Node, string? Message) Schedule(V1Pod pod, IReadOnlyCollection<V1Node> nodes, IReadOnlyCollection<V1Pod> bound)
    {
        var failures = new Dictionary<string, int>(StringComparer.Ordinal);
        var feasible = new List<V1Node>();
        foreach (var node in nodes)
        {
            var reasons = Filter(pod, node, bound.Where(p => p.Spec.NodeName == node.Metadata.Name));
            if (reasons.Count == 0)
            {
                feasible.Add(node);
            }

            foreach (var reason in reasons.Distinct())
            {
                failures[reason] = failures.GetValueOrDefault(reason) + 1;
            }
        }

        if (feasible.Count == 0)
        {
            var parts = failures.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Value} {f.Key}");
            return (null, $"0/{nodes.Count} nodes are available: {string.Join(", ", parts)}. preemption: 0/{nodes.Count} nodes are available: {nodes.Count} Preemption is not helpful for scheduling.");
        }

        var best = feasible
            .OrderByDescending(n => Score(pod, n))
            .ThenBy(n => bound.Count(p => p.Spec.NodeName == n.Metadata.Name))
            .ThenBy(n => n.Metadata.Name, StringComparer.Ordinal)
            .First();
        return (best, null);
    }

    private static List<string> Filter(V1Pod pod, V1Node node, IEnumerable<V1Pod> boundHere)
    {
        var reasons = new List<string>();
        if (node.Spec?.Unschedulable == true && !Tolerates(pod, new V1Taint { Key = "node.kubernetes.io/unschedulable", Effect = "NoSchedule" }))
        {
            reasons.Add("node(s) were unschedulable");
        }

        var taints = (node.Spec?.Taints ?? []).ToList();
        if (node.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") != true)
        {
            taints.Add(new V1Taint { Key = "node.kubernetes.io/not-ready", Effect = "NoSchedule" });
        }

        foreach (var taint in taints.Where(t => t.Effect is "NoSchedule" or "NoExecute"))
        {
            if (!Tolerates(pod, taint))
            {
                reasons.Add($"node(s) had untolerated taint {{{taint.Key}: {taint.Value}}}");
                break;
            }
        }

        var labels = node.Metadata.Labels ?? new Dictionary<string, string>();
        if (!MatchesSelector(pod, labels) || !MatchesRequired(pod, labels))
        {
            reasons.Add("node(s) didn't match Pod's node affinity/selector");
        }

        var allocatable = node.Status?.Allocatable ?? new Dictionary<string, ResourceQuantity>();
        var used = boundHere.Where(p => p.Status?.Phase is not ("Succeeded" or "Failed")).ToList();
        foreach (var resource in Resources)
        {
            var wanted = Request(pod, resource);
            if (wanted == 0)
            {
                continue;
            }

            var free = (allocatable.TryGetValue(resource, out var a) ? a.ToDecimal() : 0) - used.Sum(p => Request(p, resource));
            if (wanted > free)
            {
                reasons.Add($"Insufficient {resource}");
            }
        }

        return reasons;
    }

    private static bool Tolerates(V1Pod pod, V1Taint taint) =>
        (pod.Spec.Tolerations ?? []).Any(t =>
            (string.IsNullOrEmpty(t.Effect) || t.Effect == taint.Effect)
            && (t.OperatorProperty == "Exists"
                ? string.IsNullOrEmpty(t.Key) || t.Key == taint.Key
                : t.Key == taint.Key && (t.Value ?? "") == (taint.Value ?? "")));

    private static bool MatchesSelector(V1Pod pod, IDictionary<string, string> labels) =>
        (pod.Spec.NodeSelector ?? new Dictionary<string, string>()).All(s => labels.TryGetValue(s.Key, out var v) && v == s.Value);

    private static bool MatchesRequired(V1Pod pod, IDictionary<string, string> labels)
    {
        var terms = pod.Spec.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution?.NodeSelectorTerms;
        // Terms are ORed, the expressions of one term ANDed.
        return terms is not { Count: > 0 } || terms.Any(term => Matches(term, labels));
    }

    private static bool Matches(V1NodeSelectorTerm term, IDictionary<string, string> labels) =>
        (term.MatchExpressions ?? []).All(e =>
        {
            var has = labels.TryGetValue(e.Key, out var value);
            return e.OperatorProperty switch
            {
                "In" => has && (e.Values ?? []).Contains(value),
                "NotIn" => !has || !(e.Values ?? []).Contains(value),
                "Exists" => has,
                "DoesNotExist" => !has,
                "Gt" => has && long.Parse(value!, CultureInfo.InvariantCulture) > long.Parse(e.Values![0], CultureInfo.InvariantCulture),
                "Lt" => has && long.Parse(value!, CultureInfo.InvariantCulture) < long.Parse(e.Values![0], CultureInfo.InvariantCulture),
                _ => false,
            };
        });

    private static int Score(V1Pod pod, V1Node node) =>
        (pod.Spec.Affinity?.NodeAffinity?.PreferredDuringSchedulingIgnoredDuringExecution ?? [])
            .Where(p => Matches(p.Preference, node.Metadata.Labels ?? new Dictionary<string, string>()))
            .Sum(p => p.Weight);

    private static decimal Request(V1Pod pod, string resource) =>
        pod.Spec.Containers.Sum(c =>
            c.Resources?.Requests?.TryGetValue(resource, out var q) == true ? q.ToDecimal()
            : c.Resources?.Limits?.TryGetValue(resource, out var l) == true ? l.ToDecimal() : 0);
}
