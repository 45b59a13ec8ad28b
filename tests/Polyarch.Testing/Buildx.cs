using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace Polyarch.Testing;

/// <summary>Builds test images with the real buildx (docker driver, containerd image store, QEMU).</summary>
public static class Buildx
{
    private const int MaxPushAttempts = 3;

    /// <summary>
    /// Builds <paramref name="contextDirectory"/> for <paramref name="platforms"/> and pushes one index as
    /// <paramref name="image"/>; returns the build output. Throws with buildx's output when it fails.
    /// </summary>
    public static async Task<string> BuildAndPushAsync(
        string contextDirectory,
        string image,
        IEnumerable<string> platforms,
        IReadOnlyDictionary<string, string>? buildArgs = null,
        CancellationToken cancellationToken = default)
    {
        var arguments = new List<string>
        {
            "buildx", "build",
            "--platform", string.Join(',', platforms),
            "--push",
            "--progress", "plain",
            "--tag", image,
            "--label", $"{TestRun.LabelKey}={TestRun.Id}",
        };
        foreach (var (name, value) in buildArgs ?? new Dictionary<string, string>())
        {
            arguments.AddRange(["--build-arg", $"{name}={value}"]);
        }

        arguments.AddRange(["--", contextDirectory]);
        return await RunPushingAsync(arguments, cancellationToken);
    }

    /// <summary>
    /// Runs a docker command that pushes (buildx build/bake … --push) and returns its stderr. distribution 2.8 now and
    /// then answers a push's HEAD or PUT with a transient 500 (container-host notes): the build is cached, so the push
    /// is tried again, up to three times; any other failure throws at once with the command's output.
    /// </summary>
    public static async Task<string> RunPushingAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await Cli.Wrap(HostSettings.DockerCli)
                .WithArguments(arguments)
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(Encoding.UTF8, cancellationToken);
            if (result.ExitCode == 0)
            {
                return result.StandardError;
            }

            if (attempt < MaxPushAttempts && IsTransientRegistryError(result.StandardError))
            {
                await Task.Delay(TimeSpan.FromSeconds(attempt), cancellationToken);
                continue;
            }

            throw new InvalidOperationException(
                $"'docker {string.Join(' ', arguments)}' failed with exit code {result.ExitCode} (attempt {attempt}):\n{result.StandardError}");
        }
    }

    private static bool IsTransientRegistryError(string stderr) =>
        stderr.Contains("500 Internal Server Error", StringComparison.Ordinal)
        || stderr.Contains("502 Bad Gateway", StringComparison.Ordinal)
        || stderr.Contains("503 Service Unavailable", StringComparison.Ordinal);

    /// <summary>Writes a build context with the given files (name → content) into a new temp directory.</summary>
    public static string CreateContext(IReadOnlyDictionary<string, string> files)
    {
        var directory = Directory.CreateTempSubdirectory("polyarch-test-context-").FullName;
        foreach (var (name, content) in files)
        {
            var path = Path.Combine(directory, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }

        return directory;
    }
}
