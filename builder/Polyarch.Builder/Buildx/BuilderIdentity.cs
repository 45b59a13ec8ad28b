using System.Security.Cryptography;
using System.Text;

namespace Polyarch.Builder.Buildx;

/// <summary>
/// What a buildx builder's platform list depends on, read from files only (no process): the docker and buildx binaries, the
/// engine's socket (a restarted engine makes a new one), the docker CLI's config (its current context), buildx's builder
/// instances and current builder, and the kernel's binfmt_misc handlers (QEMU emulation). Its fingerprint keys the platform
/// list shared across state directories (<see cref="BuilderPlatforms"/>): the same builder is not asked again by a service
/// started on a fresh state, a changed one is.
/// </summary>
internal sealed class BuilderIdentity(string dockerConfigDirectory, string buildxConfigDirectory, string binfmtDirectory, string? engineSocket)
{
    /// <summary>The sources as docker, buildx and the kernel find them for this process.</summary>
    public static BuilderIdentity FromEnvironment()
    {
        var dockerConfig = Environment.GetEnvironmentVariable("DOCKER_CONFIG") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
        var buildxConfig = Environment.GetEnvironmentVariable("BUILDX_CONFIG") is { Length: > 0 } buildx ? buildx : Path.Combine(dockerConfig, "buildx");
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        var socket = string.IsNullOrEmpty(host) ? "/var/run/docker.sock" : host.StartsWith("unix://", StringComparison.Ordinal) ? host["unix://".Length..] : null;
        return new BuilderIdentity(dockerConfig, buildxConfig, "/proc/sys/fs/binfmt_misc", socket);
    }

    /// <summary>A hex SHA-256 of everything the platform list of <paramref name="builderName"/> depends on.</summary>
    public string Fingerprint(string? builderName, string dockerPath, string? buildxPath)
    {
        var text = new StringBuilder();
        text.Append("builder=").AppendLine(builderName ?? "");
        text.Append("DOCKER_HOST=").AppendLine(Environment.GetEnvironmentVariable("DOCKER_HOST"));
        text.Append("DOCKER_CONTEXT=").AppendLine(Environment.GetEnvironmentVariable("DOCKER_CONTEXT"));
        Stamp(text, dockerPath);
        Stamp(text, buildxPath);
        Stamp(text, engineSocket);
        Stamp(text, Path.Combine(dockerConfigDirectory, "config.json"));
        // buildx rewrites `current` on every run (same content): its content names the current builder, its time says nothing.
        text.Append("current=").AppendLine(Content(Path.Combine(buildxConfigDirectory, "current")));
        foreach (var instance in Files(Path.Combine(buildxConfigDirectory, "instances")))
        {
            Stamp(text, instance);
        }

        foreach (var handler in Files(binfmtDirectory))
        {
            // Each handler's first line says enabled or disabled; proc files have no meaningful time or size.
            text.Append(Path.GetFileName(handler)).Append('=').AppendLine(FirstLine(handler));
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static void Stamp(StringBuilder text, string? path)
    {
        if (path is null)
        {
            return;
        }

        var file = new FileInfo(path);
        text.Append(path).Append('=').AppendLine(file.Exists ? $"{file.Length}/{file.LastWriteTimeUtc.Ticks}" : "-");
    }

    private static IEnumerable<string> Files(string directory)
    {
        try
        {
            return Directory.Exists(directory) ? Directory.GetFiles(directory).Order(StringComparer.Ordinal) : [];
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static string Content(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : "-";
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return "?";
        }
    }

    private static string FirstLine(string path)
    {
        try
        {
            using var reader = new StreamReader(path);
            return reader.ReadLine() ?? "";
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return "?";
        }
    }
}
