namespace Polyarch.Registry.Manifests;

/// <summary>The media types of the OCI image spec and Docker's image manifest v2 that the library understands.</summary>
public static class MediaTypes
{
    /// <summary>An OCI image index.</summary>
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";

    /// <summary>An OCI image manifest.</summary>
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";

    /// <summary>An OCI image config.</summary>
    public const string OciConfig = "application/vnd.oci.image.config.v1+json";

    /// <summary>An OCI gzip-compressed layer.</summary>
    public const string OciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";

    /// <summary>A Docker manifest list (what `docker manifest create` writes).</summary>
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";

    /// <summary>A Docker image manifest, schema 2.</summary>
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";

    /// <summary>A Docker image config.</summary>
    public const string DockerConfig = "application/vnd.docker.container.image.v1+json";

    /// <summary>A Docker gzip-compressed layer.</summary>
    public const string DockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";

    /// <summary>The in-toto attestation layers buildx adds (provenance, SBOM).</summary>
    public const string InToto = "application/vnd.in-toto+json";

    /// <summary>The empty descriptor of image-spec 1.1 (the config of an artifact without one): content <c>{}</c>.</summary>
    public const string OciEmpty = "application/vnd.oci.empty.v1+json";

    /// <summary>Every manifest media type, in the order of preference sent in Accept headers.</summary>
    public static IReadOnlyList<string> AllManifests { get; } = [OciIndex, DockerManifestList, OciManifest, DockerManifest];

    /// <summary>True for an OCI index or a Docker manifest list.</summary>
    public static bool IsIndex(string? mediaType) => mediaType is OciIndex or DockerManifestList;

    /// <summary>True for an OCI or Docker v2 image manifest.</summary>
    public static bool IsImageManifest(string? mediaType) => mediaType is OciManifest or DockerManifest;

    /// <summary>True for the config of a runnable image (OCI or Docker); anything else makes a manifest an artifact.</summary>
    public static bool IsImageConfig(string? mediaType) => mediaType is OciConfig or DockerConfig;
}
