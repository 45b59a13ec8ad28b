namespace Polyarch.Registry.Http;

/// <summary>The names of the HttpClients the library registers with IHttpClientFactory.</summary>
public static class RegistryHttpClients
{
    /// <summary>Manifests, tags, HEADs and mounts: the standard resilience handler (short timeouts).</summary>
    public const string Manifests = "Polyarch.Registry.Manifests";

    /// <summary>Blob reads and uploads: longer per-attempt and total timeouts.</summary>
    public const string Blobs = "Polyarch.Registry.Blobs";

    /// <summary>Token requests of the bearer flow.</summary>
    public const string Auth = "Polyarch.Registry.Auth";
}
