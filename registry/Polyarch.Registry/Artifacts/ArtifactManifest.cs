using Polyarch.Registry.Manifests;
using Polyarch.Registry.References;

namespace Polyarch.Registry.Artifacts;

/// <summary>An artifact manifest as the registry holds it. Not compared by value (it holds collections).</summary>
public sealed record ArtifactManifest
{
    /// <summary>The artifact, pinned to its digest.</summary>
    public required ImageReference Reference { get; init; }

    /// <summary>The manifest's exact bytes and parsed model.</summary>
    public required ManifestDocument Document { get; init; }

    /// <summary>The artifact type: the manifest's <c>artifactType</c>, else its config's media type (image-spec 1.1).</summary>
    public required string ArtifactType { get; init; }

    /// <summary>The layers that are files (they carry a title), in manifest order.</summary>
    public required IReadOnlyList<Descriptor> Files { get; init; }

    /// <summary>The manifest's annotations.</summary>
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>The manifest's <c>subject</c>, if any.</summary>
    public Descriptor? Subject { get; init; }

    /// <summary>The manifest's digest.</summary>
    public Digest Digest => Document.Digest;

    /// <summary>Reads an artifact from a manifest; null when the document is an index.</summary>
    public static ArtifactManifest? From(ImageReference reference, ManifestDocument document)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(document);
        if (document.Manifest is not { } manifest)
        {
            return null;
        }

        return new ArtifactManifest
        {
            Reference = reference.WithDigest(document.Digest),
            Document = document,
            ArtifactType = manifest.ArtifactType ?? manifest.Config.MediaType,
            Files = [.. manifest.Layers.Where(l => l.Title is not null)],
            Annotations = manifest.Annotations,
            Subject = manifest.Subject,
        };
    }
}
