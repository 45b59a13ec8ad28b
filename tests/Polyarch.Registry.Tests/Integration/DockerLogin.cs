using System.Text;
using CliWrap;
using CliWrap.Buffered;
using Polyarch.Testing;

namespace Polyarch.Registry.Tests.Integration;

/// <summary>`docker login` itself, into a test's own DOCKER_CONFIG directory (and PATH, for its credential helpers).</summary>
internal static class DockerLogin
{
    public static async Task RunAsync(string dockerConfigDirectory, string registry, string? path = null)
    {
        var environment = new Dictionary<string, string?> { ["DOCKER_CONFIG"] = dockerConfigDirectory };
        if (path is not null)
        {
            environment["PATH"] = path;
        }

        var result = await Cli.Wrap(HostSettings.DockerCli)
            .WithArguments(["login", "--username", BasicAuthRegistry.Username, "--password-stdin", registry])
            .WithEnvironmentVariables(environment)
            .WithStandardInputPipe(PipeSource.FromString(BasicAuthRegistry.Password))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"docker login {registry} (DOCKER_CONFIG={dockerConfigDirectory}) failed with {result.ExitCode}:\n{result.StandardError}\n{result.StandardOutput}");
        }
    }
}
