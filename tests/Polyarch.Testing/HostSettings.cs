namespace Polyarch.Testing;

/// <summary>Where the container host started by scripts/host.sh lives (same defaults as the scripts).</summary>
public static class HostSettings
{
    /// <summary>The engine's own docker client (a different client may come first on PATH).</summary>
    public static string DockerCli { get; } =
        Environment.GetEnvironmentVariable("POLYARCH_DOCKER") is { Length: > 0 } cli ? cli
        : File.Exists("/usr/bin/docker") ? "/usr/bin/docker" : "docker";

    /// <summary>The host registry, 127.0.0.1:5000 unless POLYARCH_REGISTRY says otherwise.</summary>
    public static string Registry { get; } =
        Environment.GetEnvironmentVariable("POLYARCH_REGISTRY") is { Length: > 0 } registry ? registry : "127.0.0.1:5000";

    /// <summary>The multi-arch base image every test image is built FROM.</summary>
    public static string BaseImage => $"{Registry}/polyarch/busybox:latest";

    /// <summary>The platforms Polyarch builds by default.</summary>
    public static IReadOnlyList<string> Platforms { get; } = ["linux/amd64", "linux/arm64", "linux/ppc64le"];

    /// <summary>The state directory (same rule as scripts/lib/common.sh).</summary>
    public static string StateDirectory { get; } =
        Environment.GetEnvironmentVariable("POLYARCH_STATE_DIR") is { Length: > 0 } state ? state
        : Path.Combine(
            Environment.GetEnvironmentVariable("XDG_STATE_HOME") is { Length: > 0 } xdg ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state"),
            "polyarch");

    /// <summary>The command that brings the host up, as the README states it.</summary>
    public const string UpCommand = "./scripts/host.sh up";
}
