using Polyarch.Registry.References;

namespace Polyarch.Registry.Artifacts;

/// <summary>What to push as one OCI 1.1 artifact manifest. Not compared by value (it holds collections).</summary>
public sealed record ArtifactSpec
{
    /// <summary>The manifest's <c>artifactType</c>, a media type such as <c>application/vnd.polyarch.step-result.v1+json</c>.</summary>
    public required string ArtifactType { get; init; }

    /// <summary>The files, one layer each, in this order. None: the manifest gets the empty descriptor as its one layer.</summary>
    public IReadOnlyList<ArtifactFile> Files { get; init; } = [];

    /// <summary>Annotations of the manifest (free; <c>org.opencontainers.image.created</c> is the usual one).</summary>
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>
    /// The manifest this artifact is about or derived from (its <c>subject</c>), by tag or digest, in the same repository;
    /// the artifact is then listed among the subject's referrers.
    /// </summary>
    public ImageReference? Subject { get; init; }
}
