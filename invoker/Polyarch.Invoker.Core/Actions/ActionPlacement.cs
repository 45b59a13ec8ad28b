namespace Polyarch.Invoker.Actions;

/// <summary>Where an action may run: preferred or required platforms, whether QEMU emulation is allowed, and which nodes hold its data.</summary>
public sealed record ActionPlacement
{
    /// <summary>Platforms to try first, in order ("linux/arm64").</summary>
    public IReadOnlyList<string> Preferred { get; init; } = [];

    /// <summary>When not empty, the only platforms the action may run on.</summary>
    public IReadOnlyList<string> Required { get; init; } = [];

    /// <summary>Whether a variant may run under QEMU user-mode emulation. Default true.</summary>
    public bool AllowEmulation { get; init; } = true;

    /// <summary>Nodes to prefer because the action's data is there (weighted, soft: the action still runs elsewhere).</summary>
    public IReadOnlyList<DataLocalityPreference> DataLocality { get; init; } = [];
}
