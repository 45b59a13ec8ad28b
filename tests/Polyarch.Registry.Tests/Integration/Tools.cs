using System.Text;
using CliWrap;
using CliWrap.Buffered;
using Polyarch.Testing;

namespace Polyarch.Registry.Tests.Integration;

/// <summary>The real clients the tests compare against: docker (buildx, imagetools) and skopeo.</summary>
internal static class Tools
{
    public const string Skopeo = "/usr/bin/skopeo";

    public static Task<BufferedCommandResult> DockerAsync(params string[] arguments) => RunAsync(HostSettings.DockerCli, arguments);

    public static Task<BufferedCommandResult> SkopeoAsync(params string[] arguments)
    {
        if (!File.Exists(Skopeo))
        {
            throw new InvalidOperationException(
                $"skopeo is not installed ({Skopeo}). Install Debian 12's package: apt-get install --no-install-recommends skopeo.");
        }

        return RunAsync(Skopeo, arguments);
    }

    /// <summary>Runs a tool and fails with its output when it exits non-zero.</summary>
    public static async Task<BufferedCommandResult> RunAsync(string program, IReadOnlyList<string> arguments)
    {
        var result = await Cli.Wrap(program).WithArguments(arguments).WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{program} {string.Join(' ', arguments)}' failed with exit code {result.ExitCode}:\n{result.StandardError}\n{result.StandardOutput}");
        }

        return result;
    }
}
