using System.Text.Json;
using Polyarch.Builder.Hosting;

namespace Polyarch.Builder.Buildx;

/// <summary>
/// Finds the <c>docker-buildx</c> plugin binary the docker CLI would run, so that buildx commands can run it directly: the
/// CLI costs its own start plus one plugin run for metadata (<c>docker-cli-plugin-metadata</c>) before it execs the plugin.
/// Run directly, buildx is standalone (its commands at the root) and reads the same config, context and environment.
/// </summary>
internal static class BuildxPlugin
{
    /// <summary>The plugin's file name.</summary>
    public const string FileName = "docker-buildx";

    /// <summary>docker/cli cli-plugins/manager/manager_unix.go <c>defaultSystemPluginDirs</c>, in its order.</summary>
    public static readonly IReadOnlyList<string> SystemDirectories =
    [
        "/usr/local/lib/docker/cli-plugins",
        "/usr/local/libexec/docker/cli-plugins",
        "/usr/lib/docker/cli-plugins",
        "/usr/libexec/docker/cli-plugins",
    ];

    /// <summary>The plugin to run for <paramref name="options"/>, or null to go through the docker CLI.</summary>
    public static string? Resolve(BuilderOptions options)
    {
        var setting = options.BuildxPath?.Trim();
        if (string.IsNullOrEmpty(setting) || setting.Equals("docker", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (!setting.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            return setting;
        }

        // An explicit docker client (a wrapper, another version, the tests' fakes) is what the user asked to run.
        return options.DockerPath == BuilderOptions.DefaultDockerPath
            ? Find(Environment.GetEnvironmentVariable("DOCKER_CONFIG"), Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), SystemDirectories)
            : null;
    }

    /// <summary>
    /// The first <c>docker-buildx</c> in docker/cli's plugin search order (cli-plugins/manager: the config directory's
    /// <c>cli-plugins</c> — <c>$DOCKER_CONFIG</c>, else <c>~/.docker</c> — then the system directories), or null when there is
    /// none or the config names extra plugin directories (<c>cliPluginsExtraDirs</c>): then the docker CLI decides.
    /// </summary>
    public static string? Find(string? dockerConfig, string home, IReadOnlyList<string> systemDirectories)
    {
        var configDirectory = string.IsNullOrEmpty(dockerConfig) ? Path.Combine(home, ".docker") : dockerConfig;
        if (HasExtraPluginDirectories(Path.Combine(configDirectory, "config.json")))
        {
            return null;
        }

        return new[] { Path.Combine(configDirectory, "cli-plugins") }.Concat(systemDirectories)
            .Select(directory => Path.Combine(directory, FileName))
            .FirstOrDefault(File.Exists);
    }

    // docker/cli puts cliPluginsExtraDirs into the search order too; rather than copy that rule, such a config (and one that
    // cannot be read) goes through the docker CLI.
    private static bool HasExtraPluginDirectories(string configFile)
    {
        try
        {
            if (!File.Exists(configFile))
            {
                return false;
            }

            using var document = JsonDocument.Parse(File.ReadAllText(configFile));
            return document.RootElement.ValueKind != JsonValueKind.Object
                || document.RootElement.TryGetProperty("cliPluginsExtraDirs", out var extra) && extra.ValueKind != JsonValueKind.Null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or JsonException)
        {
            return true;
        }
    }
}
