using k8s.Models;

namespace Polyarch.Invoker.Kubernetes.Pods;

/// <summary>
/// Merges a site's pod template into the pod Polyarch built, like OpenWhisk's ConfigMap template: the template
/// adds (labels, annotations, volumes, image pull secrets, service account, security context, priority, runtime
/// class, tolerations, node selector, env, volume mounts, extra containers); what placement decided wins (image,
/// resources, args, the io.polyarch.* labels). Like the Multiarch Tuning Operator, the os/arch requirements are
/// added to every required node-selector term of the template instead of replacing them.
/// </summary>
internal static class PodTemplateMerger
{
    public static V1Pod Merge(V1Pod template, V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(pod);
        var spec = pod.Spec;
        var t = template.Spec ?? new V1PodSpec();

        pod.Metadata.Labels = Union(template.Metadata?.Labels, pod.Metadata.Labels);
        pod.Metadata.Annotations = Union(template.Metadata?.Annotations, pod.Metadata.Annotations);

        spec.ServiceAccountName ??= t.ServiceAccountName;
        spec.ImagePullSecrets ??= t.ImagePullSecrets;
        spec.SecurityContext ??= t.SecurityContext;
        spec.PriorityClassName ??= t.PriorityClassName;
        spec.RuntimeClassName ??= t.RuntimeClassName;
        spec.SchedulerName ??= t.SchedulerName;
        spec.DnsPolicy ??= t.DnsPolicy;
        spec.Volumes = Concat(t.Volumes, spec.Volumes);
        spec.Tolerations = Concat(t.Tolerations, spec.Tolerations);
        spec.NodeSelector = Union(t.NodeSelector, spec.NodeSelector);
        if (t.AutomountServiceAccountToken is { } automount)
        {
            spec.AutomountServiceAccountToken = automount;
        }

        MergeAffinity(t.Affinity, spec);

        var action = spec.Containers[0];
        var templateAction = t.Containers?.FirstOrDefault(c => c.Name == PodBuilder.ContainerName) ?? t.Containers?.FirstOrDefault();
        if (templateAction is not null)
        {
            action.Env = Concat(templateAction.Env?.Where(e => action.Env?.All(a => a.Name != e.Name) ?? true).ToList(), action.Env);
            action.VolumeMounts = Concat(templateAction.VolumeMounts, action.VolumeMounts);
            action.EnvFrom ??= templateAction.EnvFrom;
            action.ImagePullPolicy = templateAction.ImagePullPolicy ?? action.ImagePullPolicy;
            if (templateAction.SecurityContext is { } security)
            {
                security.AllowPrivilegeEscalation ??= action.SecurityContext.AllowPrivilegeEscalation;
                security.Capabilities ??= action.SecurityContext.Capabilities;
                action.SecurityContext = security;
            }
        }

        var sidecars = t.Containers?.Where(c => c != templateAction).ToList();
        if (sidecars is { Count: > 0 })
        {
            spec.Containers = [.. spec.Containers, .. sidecars];
        }

        return pod;
    }

    private static void MergeAffinity(V1Affinity? template, V1PodSpec spec)
    {
        var ours = spec.Affinity.NodeAffinity;
        var theirs = template?.NodeAffinity;
        spec.Affinity.PodAffinity ??= template?.PodAffinity;
        spec.Affinity.PodAntiAffinity ??= template?.PodAntiAffinity;
        if (theirs is null)
        {
            return;
        }

        ours.PreferredDuringSchedulingIgnoredDuringExecution = Concat(theirs.PreferredDuringSchedulingIgnoredDuringExecution, ours.PreferredDuringSchedulingIgnoredDuringExecution);
        var terms = theirs.RequiredDuringSchedulingIgnoredDuringExecution?.NodeSelectorTerms;
        if (terms is not { Count: > 0 })
        {
            return;
        }

        // Terms are ORed: each must carry our os/arch requirements or a template term would let the pod onto a wrong node.
        var required = ours.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms[0].MatchExpressions;
        ours.RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
        {
            NodeSelectorTerms = terms
                .Select(term => new V1NodeSelectorTerm
                {
                    MatchFields = term.MatchFields,
                    MatchExpressions = [.. (term.MatchExpressions ?? []).Where(e => e.Key is not KubernetesLabels.Os and not KubernetesLabels.Arch), .. required],
                })
                .ToList(),
        };
    }

    private static Dictionary<string, string>? Union(IDictionary<string, string>? template, IDictionary<string, string>? ours)
    {
        if (template is null && ours is null)
        {
            return null;
        }

        var result = new Dictionary<string, string>(template ?? new Dictionary<string, string>());
        foreach (var (key, value) in ours ?? new Dictionary<string, string>())
        {
            result[key] = value;
        }

        return result;
    }

    private static List<T>? Concat<T>(IList<T>? template, IList<T>? ours)
    {
        if (template is null or { Count: 0 })
        {
            return ours as List<T> ?? ours?.ToList();
        }

        return [.. template, .. ours ?? []];
    }
}
