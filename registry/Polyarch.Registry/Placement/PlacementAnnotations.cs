namespace Polyarch.Registry.Placement;

/// <summary>
/// The image labels placement reads, and the descriptor annotations that repeat them on each child of an index the
/// builder pushed, so a platform can be chosen from the index alone (one round trip) instead of index → manifest → config.
/// </summary>
public static class PlacementAnnotations
{
    /// <summary>Every <c>io.polyarch.requires.*</c> label (gpu, tpu, memory, cpus …) is a placement label.</summary>
    public const string RequiresPrefix = "io.polyarch.requires.";

    /// <summary>The action protocol label: <c>http</c> (default) or <c>exec</c>.</summary>
    public const string Protocol = "io.polyarch.action.protocol";

    /// <summary>The action port label (default 8080).</summary>
    public const string Port = "io.polyarch.action.port";

    /// <summary>
    /// On a child descriptor: "this descriptor carries every placement label of its config" (which may be none). Without
    /// it, the annotations say nothing and placement reads the config (images built elsewhere).
    /// </summary>
    public const string Marker = "io.polyarch.placement";

    /// <summary>The value of <see cref="Marker"/> this library writes and reads.</summary>
    public const string MarkerVersion = "v1";

    /// <summary>True for a label or annotation key placement reads (the marker excluded).</summary>
    public static bool IsPlacementKey(string key) =>
        key is Protocol or Port || (key.StartsWith(RequiresPrefix, StringComparison.Ordinal) && key.Length > RequiresPrefix.Length);
}
