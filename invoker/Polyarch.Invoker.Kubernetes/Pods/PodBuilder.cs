using System.Globalization;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Images;
using Polyarch.Invoker.Kubernetes.Placement;
using Polyarch.Invoker.Placement;
using k8s.Models;

namespace Polyarch.Invoker.Kubernetes.Pods;

/// <summary>
/// Turns a placement into the pod to create: required node affinity os/arch In [...], the pinned or index image,
/// requests = limits, GPU/TPU limits with their tolerations, node selectors, weighted data-locality preferences,
/// the io.polyarch.* labels, then the site's pod template merged in.
/// </summary>
internal static class PodBuilder
{
    public const string ContainerName = "action";

    public static V1Pod Build(PodRequest request, PodPlacement placement, string instance, V1Pod? template = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(placement);
        var pod = new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = PodName(request),
                Labels = new Dictionary<string, string>
                {
                    [ImageLabels.Managed] = "true",
                    [ImageLabels.Instance] = LabelValue.Sanitize(instance),
                    [ImageLabels.Action] = LabelValue.Sanitize(request.ActionName),
                    [ImageLabels.Activation] = LabelValue.Sanitize(request.ActivationId),
                },
                Annotations = new Dictionary<string, string>
                {
                    [ImageLabels.ActionName] = request.ActionName,
                    [ImageLabels.Image] = placement.Image,
                    [ImageLabels.Platform] = string.Join(",", placement.Variants.Select(v => v.Platform)),
                },
            },
            Spec = new V1PodSpec
            {
                RestartPolicy = "Never",
                AutomountServiceAccountToken = false,
                EnableServiceLinks = false,
                TerminationGracePeriodSeconds = 2,
                // Kubernetes itself stops an exec pod that overruns, even if this invoker is gone.
                ActiveDeadlineSeconds = request.Protocol == ActionProtocol.Exec ? (long)Math.Ceiling(request.Timeout.TotalSeconds) : null,
                Containers = [Container(request, placement)],
                Affinity = Affinity(request, placement),
                NodeSelector = request.NodeSelector.Count == 0 ? null : new Dictionary<string, string>(request.NodeSelector),
                Tolerations = Tolerations(placement.Needs),
            },
        };
        return template is null ? pod : PodTemplateMerger.Merge(template, pod);
    }

    /// <summary>"pa-&lt;action&gt;-&lt;activation&gt;", a DNS-1123 name of at most 63 characters.</summary>
    public static string PodName(PodRequest request)
    {
        var activation = LabelValue.DnsLabel(request.ActivationId, 32);
        // "127.0.0.1:5000/demo/echo:latest" → "echo": the last path segment without tag or digest.
        var last = request.ActionName.Split('/').Last().Split('@')[0].Split(':')[0];
        var action = LabelValue.DnsLabel(last, 63 - 5 - activation.Length);
        return action.Length == 0 ? $"pa-{activation}" : $"pa-{action}-{activation}";
    }

    private static V1Container Container(PodRequest request, PodPlacement placement)
    {
        var needs = placement.Needs;
        var resources = new Dictionary<string, ResourceQuantity>
        {
            ["cpu"] = new(Quantity.FormatMilliCpu(needs.MilliCpu)),
            ["memory"] = new(Quantity.Format(needs.MemoryBytes)),
        };
        if (needs.Gpus > 0)
        {
            resources[KubernetesLabels.NvidiaGpu] = new(needs.Gpus.ToString(CultureInfo.InvariantCulture));
        }

        if (needs.Tpus > 0)
        {
            resources[KubernetesLabels.GoogleTpu] = new(needs.Tpus.ToString(CultureInfo.InvariantCulture));
        }

        return new V1Container
        {
            Name = ContainerName,
            Image = placement.Image,
            ImagePullPolicy = "IfNotPresent",
            Args = request.Protocol == ActionProtocol.Exec ? [request.ParamsJson] : null,
            Ports = request.Protocol == ActionProtocol.Http ? [new V1ContainerPort { ContainerPort = request.Port, Name = "action", Protocol = "TCP" }] : null,
            Env = request.Environment.Count == 0 ? null : request.Environment.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => new V1EnvVar { Name = e.Key, Value = e.Value }).ToList(),
            // Requests = limits, like OpenWhisk: the pod gets the Guaranteed QoS class.
            Resources = new V1ResourceRequirements
            {
                Requests = new Dictionary<string, ResourceQuantity>(resources),
                Limits = new Dictionary<string, ResourceQuantity>(resources),
            },
            SecurityContext = new V1SecurityContext
            {
                AllowPrivilegeEscalation = false,
                Capabilities = new V1Capabilities { Drop = ["NET_RAW", "NET_ADMIN"] },
            },
        };
    }

    private static V1Affinity Affinity(PodRequest request, PodPlacement placement)
    {
        var preferred = request.DataLocality
            .Select(d => new V1PreferredSchedulingTerm
            {
                Preference = new V1NodeSelectorTerm { MatchExpressions = [Requirement(d.Label, [d.Value])] },
                Weight = Math.Clamp(d.Weight, 1, 100),
            })
            .ToList();
        return new V1Affinity
        {
            NodeAffinity = new V1NodeAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
                {
                    NodeSelectorTerms =
                    [
                        new V1NodeSelectorTerm
                        {
                            MatchExpressions =
                            [
                                Requirement(KubernetesLabels.Os, placement.OperatingSystems.ToList()),
                                Requirement(KubernetesLabels.Arch, placement.Architectures.ToList()),
                            ],
                        },
                    ],
                },
                PreferredDuringSchedulingIgnoredDuringExecution = preferred.Count == 0 ? null : preferred,
            },
        };
    }

    private static V1NodeSelectorRequirement Requirement(string key, List<string> values) =>
        new() { Key = key, OperatorProperty = "In", Values = values };

    private static List<V1Toleration>? Tolerations(Requirements needs)
    {
        var tolerations = AcceleratorTolerations.For(needs)
            .Select(t => new V1Toleration { Key = t.Key, OperatorProperty = "Exists", Effect = t.Effect })
            .ToList();
        return tolerations.Count == 0 ? null : tolerations;
    }
}
