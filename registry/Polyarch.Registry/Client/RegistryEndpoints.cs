using System.Net;
using Polyarch.Registry.References;

namespace Polyarch.Registry.Client;

/// <summary>Turns a registry name into the base URL of its API: plain HTTP only for loopback and listed hosts.</summary>
internal sealed class RegistryEndpoints
{
    private readonly HashSet<string> _insecureHosts;

    public RegistryEndpoints(IEnumerable<string> insecureHosts)
    {
        _insecureHosts = new HashSet<string>(insecureHosts, StringComparer.OrdinalIgnoreCase);
    }

    public Uri BaseUri(string registry)
    {
        // Docker Hub's API lives on another host than its name (distribution/reference: DefaultRegistryHost).
        var host = registry == ImageReference.DockerHub ? "registry-1.docker.io" : registry;
        var scheme = IsPlainHttp(host) ? Uri.UriSchemeHttp : Uri.UriSchemeHttps;
        return new Uri($"{scheme}://{host}/");
    }

    public Uri Manifest(ImageReference reference, string manifestReference) =>
        new(BaseUri(reference.Registry), $"v2/{reference.Repository}/manifests/{manifestReference}");

    public Uri Blob(ImageReference repository, Digest digest) =>
        new(BaseUri(repository.Registry), $"v2/{repository.Repository}/blobs/{digest}");

    public Uri Uploads(ImageReference repository, string query = "") =>
        new(BaseUri(repository.Registry), $"v2/{repository.Repository}/blobs/uploads/{query}");

    public Uri Referrers(ImageReference repository, Digest subject, string? artifactType) =>
        new(BaseUri(repository.Registry), $"v2/{repository.Repository}/referrers/{subject}"
            + (artifactType is null ? string.Empty : "?artifactType=" + Uri.EscapeDataString(artifactType)));

    public Uri Tags(ImageReference repository) =>
        new(BaseUri(repository.Registry), $"v2/{repository.Repository}/tags/list?n=1000");

    public Uri Catalog(string registry) => new(BaseUri(registry), "v2/_catalog?n=1000");

    public bool IsPlainHttp(string registry)
    {
        if (_insecureHosts.Contains(registry))
        {
            return true;
        }

        var host = HostOf(registry);
        return _insecureHosts.Contains(host)
            || string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
    }

    private static string HostOf(string registry)
    {
        if (registry.StartsWith('['))
        {
            var close = registry.IndexOf(']', StringComparison.Ordinal);
            return close < 0 ? registry : registry[..(close + 1)];
        }

        var colon = registry.LastIndexOf(':');
        return colon < 0 ? registry : registry[..colon];
    }
}
