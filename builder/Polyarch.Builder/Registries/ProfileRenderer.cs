using System.Text;

namespace Polyarch.Builder.Registries;

/// <summary>Every consumer's settings for one <see cref="RegistryProfile"/>, each in its own format.</summary>
internal static class ProfileRenderer
{
    public static IReadOnlyList<ProfileFile> Render(RegistryProfile profile, IReadOnlySet<ProfileConsumer> consumers)
    {
        var files = new List<ProfileFile>();
        if (consumers.Contains(ProfileConsumer.Engine))
        {
            files.AddRange(Engine(profile));
        }

        if (consumers.Contains(ProfileConsumer.Buildkit))
        {
            files.AddRange(Buildkit(profile));
        }

        if (consumers.Contains(ProfileConsumer.Containerd))
        {
            files.AddRange(Containerd(profile));
        }

        if (consumers.Contains(ProfileConsumer.Containers))
        {
            files.Add(Containers(profile));
        }

        if (consumers.Contains(ProfileConsumer.Polyarch))
        {
            files.Add(Polyarch(profile));
        }

        return files;
    }

    public static string EngineCaPath(RegistryProfile profile) => $"/etc/docker/certs.d/{profile.Registry}/ca.crt";

    private static IEnumerable<ProfileFile> Engine(RegistryProfile profile)
    {
        if (profile.Insecure)
        {
            // insecure-registries is one of the options dockerd reloads on SIGHUP: no restart, containers keep running
            // (https://docs.docker.com/reference/cli/dockerd/#configuration-reload-behavior).
            yield return new ProfileFile(ProfileConsumer.Engine, "etc/docker/daemon.json", DaemonJsonMerge.New(profile.Registry),
                existing => DaemonJsonMerge.Merge(existing, profile.Registry),
                AfterChange: "dockerd reloads insecure-registries on SIGHUP (no restart; containers keep running): kill -HUP $(cat /var/run/docker.pid)");
        }
        else
        {
            // The engine reads certs.d/<host:port>/ca.crt on every connection: nothing to restart.
            yield return new ProfileFile(ProfileConsumer.Engine, EngineCaPath(profile)[1..], profile.CaPem!);
        }
    }

    private static IEnumerable<ProfileFile> Buildkit(RegistryProfile profile)
    {
        var caPath = $"/etc/buildkit/certs/{profile.Registry}/ca.crt";
        if (!profile.Insecure)
        {
            yield return new ProfileFile(ProfileConsumer.Buildkit, caPath[1..], profile.CaPem!);
        }

        yield return new ProfileFile(ProfileConsumer.Buildkit, "etc/buildkit/buildkitd.toml", BuildkitdTomlMerge.New(profile, caPath),
            existing => BuildkitdTomlMerge.Merge(existing, profile, caPath),
            AfterChange: "a BuildKit builder reads buildkitd.toml when it is created (buildx copies the CA into it): docker buildx rm NAME; "
                + "docker buildx create --name NAME --driver docker-container --config /etc/buildkit/buildkitd.toml (buildx's docker driver uses the engine's settings instead)");
    }

    private static IEnumerable<ProfileFile> Containerd(RegistryProfile profile)
    {
        var directory = $"etc/containerd/certs.d/{profile.Registry}";
        var hosts = HostsToml(profile);
        yield return new ProfileFile(ProfileConsumer.Containerd, $"{directory}/hosts.toml", hosts);
        if (!profile.Insecure)
        {
            yield return new ProfileFile(ProfileConsumer.Containerd, $"{directory}/ca.crt", profile.CaPem!);
        }

        yield return new ProfileFile(ProfileConsumer.Containerd, $"kubernetes/{profile.Slug}/daemonset.yaml", KubernetesManifests.DaemonSet(profile, hosts), Installed: false);
        yield return new ProfileFile(ProfileConsumer.Containerd, $"kubernetes/{profile.Slug}/kustomization.yaml", KubernetesManifests.Kustomization(), Installed: false);
    }

    /// <summary>containerd's registry host configuration (https://github.com/containerd/containerd/blob/main/docs/hosts.md).</summary>
    public static string HostsToml(RegistryProfile profile)
    {
        var scheme = profile.Insecure ? "http" : "https";
        var text = new StringBuilder()
            .AppendLine($"# {profile.Registry}: written by polyarch-builder registry profile. containerd reads it on every pull when its")
            .AppendLine("# registry config_path is /etc/containerd/certs.d (the default of containerd 2 and of the CRI plugin's docs).")
            .AppendLine($"server = \"{scheme}://{profile.Registry}\"")
            .AppendLine()
            .AppendLine($"[host.\"{scheme}://{profile.Registry}\"]")
            .AppendLine("  capabilities = [\"pull\", \"resolve\", \"push\"]");
        text.AppendLine(profile.Insecure ? "  skip_verify = true" : $"  ca = \"/etc/containerd/certs.d/{profile.Registry}/ca.crt\"");
        return text.ToString().ReplaceLineEndings("\n");
    }

    private static ProfileFile Containers(RegistryProfile profile) => profile.Insecure
        ? new ProfileFile(ProfileConsumer.Containers, $"etc/containers/registries.conf.d/50-polyarch-{profile.Slug}.conf",
            $"""
            # containers-registries.conf(5) v2 drop-in for skopeo, podman, buildah and CRI-O: written by polyarch-builder registry profile.
            [[registry]]
            location = "{profile.Registry}"
            insecure = true

            """.ReplaceLineEndings("\n"))
        // containers-certs.d(5): the CA of a registry, read on every connection.
        : new ProfileFile(ProfileConsumer.Containers, $"etc/containers/certs.d/{profile.Registry}/ca.crt", profile.CaPem!);

    private static ProfileFile Polyarch(RegistryProfile profile) =>
        new(ProfileConsumer.Polyarch, $"polyarch/{profile.Slug}.env", profile.Insecure
            ? $$"""
              # polyarch-builder and polyarch-invoker (environment; or "Registry": {"InsecureHosts": ["{{profile.Registry}}"]} in appsettings.json).
              # Use the next free index if InsecureHosts already has entries.
              POLYARCH_Registry__InsecureHosts__0={{profile.Registry}}

              """.ReplaceLineEndings("\n")
            : $$$"""
              # polyarch-builder and polyarch-invoker (environment; or "Registry": {"CaFiles": {"{{{profile.Host}}}": "…"}} in appsettings.json).
              # The CA is trusted for {{{profile.Host}}} only; the file is the engine's copy the profile installs.
              POLYARCH_Registry__CaFiles__{{{profile.Host}}}={{{EngineCaPath(profile)}}}

              """.ReplaceLineEndings("\n"),
            Installed: false);
}
