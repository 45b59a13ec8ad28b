namespace Polyarch.Invoker.Actions;

/// <summary>A function: an image reference plus how to call it and the limits it runs under.</summary>
public sealed record ActionDefinition
{
    /// <summary>Default memory limit in MiB (OpenWhisk's default).</summary>
    public const int DefaultMemoryMb = 256;

    /// <summary>Default time limit in milliseconds (OpenWhisk's default, one minute).</summary>
    public const int DefaultTimeoutMs = 60_000;

    public required string Name { get; init; }

    /// <summary>The image reference (tag or digest), e.g. 127.0.0.1:5000/demo/echo:latest.</summary>
    public required string Image { get; init; }

    /// <summary>The protocol; null means the variant's io.polyarch.action.protocol label, else http.</summary>
    public ActionProtocol? Protocol { get; init; }

    public int MemoryMb { get; init; } = DefaultMemoryMb;

    public double Cpus { get; init; } = 1;

    public int Gpus { get; init; }

    /// <summary>The GPU model, e.g. Tesla-T4 (Kubernetes: node selector nvidia.com/gpu.product); needs Gpus ≥ 1. Null: any.</summary>
    public string? GpuProduct { get; init; }

    /// <summary>TPUs required (Kubernetes google.com/tpu; the Docker backend has none and refuses the action).</summary>
    public int Tpus { get; init; }

    public int TimeoutMs { get; init; } = DefaultTimeoutMs;

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public ActionPlacement Placement { get; init; } = new();

    /// <summary>
    /// The code sent at /init to a runtime image (OpenWhisk's code actions); null for an image that carries its own
    /// code (a blackbox action).
    /// </summary>
    public ActionCode? Code { get; init; }

    /// <summary>Containers to start ahead of the first call, per allowed platform (serve only).</summary>
    public int Prewarm { get; init; }

    /// <summary>An ad-hoc action for invoking an image directly by reference, with the defaults.</summary>
    public static ActionDefinition ForImage(string image) => new() { Name = image, Image = image };
}
