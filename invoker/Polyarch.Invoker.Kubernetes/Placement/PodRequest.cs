using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Images;

namespace Polyarch.Invoker.Kubernetes.Placement;

/// <summary>One activation to place and run as a pod: the resolved image, the action's needs and how to call it.</summary>
internal sealed record PodRequest
{
    public required string ActionName { get; init; }

    public required string ActivationId { get; init; }

    /// <summary>"127.0.0.1:5000/demo/echo": pods pull repository@digest.</summary>
    public required string RepositoryName { get; init; }

    public required string IndexDigest { get; init; }

    /// <summary>The image's runnable variants in index order (attestations already skipped).</summary>
    public required IReadOnlyList<VariantInfo> Variants { get; init; }

    /// <summary>An explicit platform ("linux/arm64"): the image is pinned to that variant.</summary>
    public string? Platform { get; init; }

    /// <summary>When not empty, the only platforms the action may run on.</summary>
    public IReadOnlyList<string> AllowedPlatforms { get; init; } = [];

    /// <summary>Platforms to try first, in order.</summary>
    public IReadOnlyList<string> PreferredPlatforms { get; init; } = [];

    public long MemoryBytes { get; init; } = 256L << 20;

    public double Cpus { get; init; } = 1;

    public int Gpus { get; init; }

    public int Tpus { get; init; }

    /// <summary>The GPU model asked for (also in <see cref="NodeSelector"/> as nvidia.com/gpu.product); part of the needs.</summary>
    public string? GpuProduct { get; init; }

    /// <summary>Extra node selector (e.g. nvidia.com/gpu.product=Tesla-T4).</summary>
    public IReadOnlyDictionary<string, string> NodeSelector { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<DataLocalityPreference> DataLocality { get; init; } = [];

    public ActionProtocol Protocol { get; init; } = ActionProtocol.Exec;

    public int Port { get; init; } = 8080;

    /// <summary>The activation's parameters as JSON (the exec pod's argument).</summary>
    public string ParamsJson { get; init; } = "{}";

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The code sent at /init (a code action on a runtime image); null for a blackbox image.</summary>
    public ActionCode? Code { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(1);
}
