namespace Polyarch.Builder.Registries;

/// <summary>The programs that must be told about a private or insecure registry.</summary>
internal enum ProfileConsumer
{
    /// <summary>The Docker engine: daemon.json insecure-registries, or certs.d/HOST:PORT/ca.crt.</summary>
    Engine,

    /// <summary>A BuildKit builder (docker-container driver, buildkitd): buildkitd.toml [registry."HOST:PORT"].</summary>
    Buildkit,

    /// <summary>containerd on Kubernetes nodes: certs.d/HOST:PORT/hosts.toml, and a DaemonSet that installs it.</summary>
    Containerd,

    /// <summary>skopeo, podman, buildah, CRI-O: registries.conf.d and /etc/containers/certs.d.</summary>
    Containers,

    /// <summary>Polyarch's own registry client: Registry:InsecureHosts or Registry:CaFiles.</summary>
    Polyarch,
}
