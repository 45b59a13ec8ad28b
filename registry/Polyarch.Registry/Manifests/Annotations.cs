namespace Polyarch.Registry.Manifests;

/// <summary>Annotation keys the library reads or writes.</summary>
public static class Annotations
{
    /// <summary>When the image was created (RFC 3339).</summary>
    public const string Created = "org.opencontainers.image.created";

    /// <summary>Where the source lives (a git URL).</summary>
    public const string Source = "org.opencontainers.image.source";

    /// <summary>The source revision (a commit).</summary>
    public const string Revision = "org.opencontainers.image.revision";

    /// <summary>The file name of an artifact layer (what ORAS and Polyarch pull it to).</summary>
    public const string Title = "org.opencontainers.image.title";

    /// <summary>buildx marks attestation manifests with this key (attestation-manifest).</summary>
    public const string DockerReferenceType = "vnd.docker.reference.type";

    /// <summary>buildx points an attestation at the image it describes with this key.</summary>
    public const string DockerReferenceDigest = "vnd.docker.reference.digest";
}
