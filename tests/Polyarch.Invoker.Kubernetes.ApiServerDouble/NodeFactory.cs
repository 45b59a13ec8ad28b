using k8s.Models;

namespace Polyarch.Invoker.Kubernetes.ApiServerDouble;

/// <summary>Builds V1Node objects the way a kubelet registers them (labels, allocatable, Ready condition, taints).</summary>
public static class NodeFactory
{
    public static V1Node Node(
        string name,
        string arch,
        string cpu = "4",
        string memory = "16Gi",
        int gpus = 0,
        int tpus = 0,
        bool ready = true,
        bool cordoned = false,
        IReadOnlyDictionary<string, string>? labels = null,
        IReadOnlyList<V1Taint>? taints = null)
    {
        var allocatable = new Dictionary<string, ResourceQuantity>
        {
            ["cpu"] = new(cpu),
            ["memory"] = new(memory),
            ["pods"] = new("110"),
        };
        if (gpus > 0)
        {
            allocatable["nvidia.com/gpu"] = new(gpus.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (tpus > 0)
        {
            allocatable["google.com/tpu"] = new(tpus.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var nodeLabels = new Dictionary<string, string>
        {
            ["kubernetes.io/arch"] = arch,
            ["kubernetes.io/os"] = "linux",
            ["kubernetes.io/hostname"] = name,
        };
        foreach (var (key, value) in labels ?? new Dictionary<string, string>())
        {
            nodeLabels[key] = value;
        }

        return new V1Node
        {
            ApiVersion = "v1",
            Kind = "Node",
            Metadata = new V1ObjectMeta { Name = name, Labels = nodeLabels },
            Spec = new V1NodeSpec { Unschedulable = cordoned ? true : null, Taints = taints?.ToList() },
            Status = new V1NodeStatus
            {
                Allocatable = allocatable,
                Capacity = new Dictionary<string, ResourceQuantity>(allocatable),
                Conditions = [new V1NodeCondition { Type = "Ready", Status = ready ? "True" : "False", Reason = ready ? "KubeletReady" : "KubeletNotReady" }],
                NodeInfo = new V1NodeSystemInfo
                {
                    Architecture = arch,
                    OperatingSystem = "linux",
                    KubeletVersion = "v1.31.0",
                    ContainerRuntimeVersion = "containerd://1.7.20",
                    KernelVersion = "6.1.0",
                    OsImage = "Test double node",
                    BootID = name,
                    MachineID = name,
                    SystemUUID = name,
                    KubeProxyVersion = "v1.31.0",
                },
            },
        };
    }

    public static V1Taint Taint(string key, string? value = null, string effect = "NoSchedule") =>
        new() { Key = key, Value = value, Effect = effect };
}
