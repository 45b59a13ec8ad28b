namespace Polyarch.Builder.Registries;

/// <summary>One registry as every consumer must be told about it: plain HTTP (insecure), or TLS from a private CA.</summary>
/// <param name="Registry">host:port, e.g. registry.polyarch.test:5443.</param>
/// <param name="CaPem">The CA certificate(s) in PEM; null for a plain-HTTP (insecure) registry.</param>
internal sealed record RegistryProfile(string Registry, string? CaPem)
{
    public bool Insecure => CaPem is null;

    /// <summary>The host name without the port (what TLS checks the certificate against).</summary>
    public string Host => Registry.LastIndexOf(':') is var colon and > 0 && colon > Registry.LastIndexOf(']') ? Registry[..colon] : Registry;

    /// <summary>A file-name-safe form of host:port (Kubernetes names, drop-in files).</summary>
    public string Slug => Registry.Replace(':', '-').Replace('.', '-').ToLowerInvariant();
}
