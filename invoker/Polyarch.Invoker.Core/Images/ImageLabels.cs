namespace Polyarch.Invoker.Images;

/// <summary>
/// Every io.polyarch.* name the invoker reads from a variant's image config or writes on what it starts (containers,
/// pods) — one set for both backends; invoker/README.md ("Labels") says what each means.
/// </summary>
internal static class ImageLabels
{
    /// <summary>Image label: <c>http</c> (OpenWhisk action proxy) or <c>exec</c> (one-shot); default http.</summary>
    public const string Protocol = "io.polyarch.action.protocol";

    /// <summary>Image label: the action proxy's port (default 8080).</summary>
    public const string Port = "io.polyarch.action.port";

    /// <summary>Image label: GPUs the variant needs — false/0 none, true or a vendor name (nvidia) one, a whole number that many.</summary>
    public const string RequiresGpu = "io.polyarch.requires.gpu";

    /// <summary>Image label: TPUs the variant needs, with the same values as <see cref="RequiresGpu"/>.</summary>
    public const string RequiresTpu = "io.polyarch.requires.tpu";

    /// <summary>Image label: memory the variant needs, a Kubernetes quantity (512Mi, 2Gi, 1G).</summary>
    public const string RequiresMemory = "io.polyarch.requires.memory";

    /// <summary>Image label: CPUs the variant needs, a Kubernetes quantity (2, 0.5, 500m).</summary>
    public const string RequiresCpus = "io.polyarch.requires.cpus";

    /// <summary>On every container and pod Polyarch starts: <c>true</c>; clean-up is by this label.</summary>
    public const string Managed = "io.polyarch.managed";

    /// <summary>On every container and pod: the invoker instance that started it.</summary>
    public const string Instance = "io.polyarch.instance";

    /// <summary>On every container and pod: the action's name (a pod gets a label-safe form).</summary>
    public const string Action = "io.polyarch.action";

    /// <summary>On every container and pod: the activation id (or a prewarm id).</summary>
    public const string Activation = "io.polyarch.activation";

    /// <summary>Pod annotation: the full action name when it does not fit a label value.</summary>
    public const string ActionName = "io.polyarch.action-name";

    /// <summary>Pod annotation: the image reference the pod pulls.</summary>
    public const string Image = "io.polyarch.image";

    /// <summary>Pod annotation: the platform(s) the pod may run.</summary>
    public const string Platform = "io.polyarch.platform";
}
