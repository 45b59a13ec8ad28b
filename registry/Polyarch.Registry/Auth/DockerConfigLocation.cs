namespace Polyarch.Registry.Auth;

/// <summary>Where the Docker config file is: Registry:DockerConfigPath, else $DOCKER_CONFIG/config.json, else ~/.docker/config.json.</summary>
internal sealed record DockerConfigLocation(string Path, string Origin)
{
    public static DockerConfigLocation Resolve(string? configuredPath, Func<string, string?> environment, string home)
    {
        if (!string.IsNullOrEmpty(configuredPath))
        {
            return new DockerConfigLocation(configuredPath, "Registry:DockerConfigPath");
        }

        return environment("DOCKER_CONFIG") is { Length: > 0 } directory
            ? new DockerConfigLocation(System.IO.Path.Combine(directory, "config.json"), "DOCKER_CONFIG")
            : new DockerConfigLocation(System.IO.Path.Combine(home, ".docker", "config.json"), "the default; DOCKER_CONFIG is not set");
    }

    public override string ToString() => $"{Path} ({Origin})";
}
