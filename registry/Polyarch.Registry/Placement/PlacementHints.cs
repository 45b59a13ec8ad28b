using Polyarch.Registry.Manifests;

namespace Polyarch.Registry.Placement;

/// <summary>
/// What placement needs from a variant: its <c>io.polyarch.requires.*</c>, <c>io.polyarch.action.protocol</c> and
/// <c>io.polyarch.action.port</c> labels, read from an index entry's annotations or from the image config.
/// Raw strings only: the registry library selects and carries them, it does not interpret them (the invoker's
/// <c>VariantRequirements</c> is the one parser of their values). Compared by value (the labels).
/// </summary>
public sealed record PlacementHints
{
    private static readonly StringComparer Ordinal = StringComparer.Ordinal;

    private PlacementHints(SortedDictionary<string, string> labels) => Labels = labels;

    /// <summary>No placement label at all.</summary>
    public static PlacementHints None { get; } = new(new SortedDictionary<string, string>(Ordinal));

    /// <summary>The placement labels only (other labels left out), in ordinal key order.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; }

    /// <summary>The placement labels among <paramref name="labels"/> (an image config's labels).</summary>
    public static PlacementHints FromLabels(IReadOnlyDictionary<string, string>? labels)
    {
        var selected = new SortedDictionary<string, string>(Ordinal);
        foreach (var (key, value) in labels ?? new Dictionary<string, string>())
        {
            if (PlacementAnnotations.IsPlacementKey(key))
            {
                selected[key] = value;
            }
        }

        return new PlacementHints(selected);
    }

    /// <summary>The placement labels of an image config.</summary>
    public static PlacementHints FromConfig(ImageConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return FromLabels(config.Config?.Labels);
    }

    /// <summary>
    /// The hints an index entry carries, or null when it carries none (no <see cref="PlacementAnnotations.Marker"/>
    /// of this version: an image built elsewhere, whose config must be read).
    /// </summary>
    public static PlacementHints? FromDescriptor(Descriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return descriptor.Annotations is { } annotations
            && annotations.TryGetValue(PlacementAnnotations.Marker, out var marker)
            && marker == PlacementAnnotations.MarkerVersion
                ? FromLabels(annotations)
                : null;
    }

    /// <summary>The annotations to write on an index entry: the labels plus the marker.</summary>
    public IReadOnlyDictionary<string, string> ToAnnotations()
    {
        var annotations = new SortedDictionary<string, string>(Ordinal) { [PlacementAnnotations.Marker] = PlacementAnnotations.MarkerVersion };
        foreach (var (key, value) in Labels)
        {
            annotations[key] = value;
        }

        return annotations;
    }

    /// <inheritdoc />
    public bool Equals(PlacementHints? other) =>
        other is not null && Labels.Count == other.Labels.Count
        && Labels.All(pair => other.Labels.TryGetValue(pair.Key, out var value) && Ordinal.Equals(value, pair.Value));

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var (key, value) in Labels)
        {
            hash.Add(key, Ordinal);
            hash.Add(value, Ordinal);
        }

        return hash.ToHashCode();
    }

    /// <summary>The labels as <c>key=value</c>, comma-separated (for messages).</summary>
    public override string ToString() => Labels.Count == 0 ? "(none)" : string.Join(", ", Labels.Select(p => $"{p.Key}={p.Value}"));
}
