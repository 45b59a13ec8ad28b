using CliWrap;
using CliWrap.Buffered;
using Polyarch.Testing;

namespace Polyarch.Host.Tests;

/// <summary>`docker run --rm` with the test run's label, optionally with the engine socket mounted (docker-outside-of-docker).</summary>
internal static class DockerRun
{
    public const string Socket = "/var/run/docker.sock";

    public static async Task<BufferedCommandResult> RunAsync(
        string image, string platform, IReadOnlyList<string> args, bool withSocket = false, string? entrypoint = null, IReadOnlyList<string>? extra = null)
    {
        List<string> arguments = ["run", "--rm", "--platform", platform, "--label", $"{TestRun.LabelKey}={TestRun.Id}"];
        if (withSocket)
        {
            // The image runs as 10001; the socket belongs to the engine's group, which the user is added to. Host
            // network: the registry and the action containers' published ports are on the host's 127.0.0.1.
            var group = (await Cli.Wrap("stat").WithArguments(["-c", "%g", Socket]).ExecuteBufferedAsync()).StandardOutput.Trim();
            arguments.AddRange(["--network", "host", "--group-add", group, "-v", $"{Socket}:{Socket}"]);
        }

        if (entrypoint is not null)
        {
            arguments.AddRange(["--entrypoint", entrypoint]);
        }

        arguments.AddRange(extra ?? []);
        arguments.Add(image);
        arguments.AddRange(args);
        return await Cli.Wrap(HostSettings.DockerCli).WithArguments(arguments).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
    }
}
