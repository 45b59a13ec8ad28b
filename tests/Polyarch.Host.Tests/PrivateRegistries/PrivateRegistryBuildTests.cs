using System.Text.Json.Nodes;
using Polyarch.Testing;

namespace Polyarch.Host.Tests.PrivateRegistries;

/// <summary>
/// A 3-platform build pushes to the TLS + basic-auth registry at a non-loopback address once the profile's engine part
/// (certs.d/HOST:PORT/ca.crt, read by dockerd per connection: no restart) is applied, with credentials from a
/// config.json `auths` entry that buildx and Polyarch's verification both read (DOCKER_CONFIG).
/// </summary>
[Collection(PrivateRegistryCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PrivateRegistryBuildTests(PrivateRegistryFixture registry) : IDisposable
{
    private readonly DirectoryInfo _source = Directory.CreateTempSubdirectory("polyarch-private-build-");

    [Fact]
    public async Task A_three_platform_build_pushes_to_the_TLS_registry_with_auth_after_the_engine_profile_is_applied()
    {
        // The engine part only, on this machine's real /etc (a file for the test host name; dockerd is never restarted).
        var profile = await Tool.BuilderAsync(null, "registry", "profile", registry.TlsRegistry, "--ca", registry.CaFile, "--apply", "--only", "Engine");
        profile.ExitCode.ShouldBe(0, Tool.Describe(profile));
        (await File.ReadAllTextAsync($"/etc/docker/certs.d/{registry.TlsRegistry}/ca.crt")).ShouldBe(await File.ReadAllTextAsync(registry.CaFile));
        profile.StandardOutput.ShouldNotContain("reloaded");

        await CreateEchoRepositoryAsync();
        var environment = new Dictionary<string, string?>
        {
            ["DOCKER_CONFIG"] = registry.DockerConfigDirectory,
            [$"POLYARCH_Registry__CaFiles__{registry.HostName}"] = registry.CaFile,
        };
        var repository = $"private/echo-{TestRun.Id}";

        var build = await Tool.BuilderAsync(environment, [
            "build", _source.FullName, "--registry", registry.TlsRegistry, "--repository", repository,
            "--platforms", string.Join(',', HostSettings.Platforms), "--output", "json",
        ]);

        build.ExitCode.ShouldBe(0, Tool.Describe(build));
        var image = JsonNode.Parse(build.StandardOutput)!["build"]!["images"]![0]!;
        var inspected = await Tool.BuilderAsync(environment, "manifest", "inspect", $"{registry.TlsRegistry}/{repository}@{image["indexDigest"]!.GetValue<string>()}", "--output", "json");
        inspected.ExitCode.ShouldBe(0, Tool.Describe(inspected));
        JsonNode.Parse(inspected.StandardOutput)!["manifests"]!.AsArray()
            .Where(m => m!["runnable"]!.GetValue<bool>())
            .Select(m => m!["platform"]!.GetValue<string>()).Order()
            .ShouldBe(HostSettings.Platforms);
    }

    public void Dispose() => _source.Delete(recursive: true);

    private async Task CreateEchoRepositoryAsync()
    {
        // cp -a keeps the action's executable bits.
        var copy = await Tool.RunAsync("cp", ["-a", RepositoryRoot.Combine("examples", "echo") + "/.", _source.FullName]);
        copy.ExitCode.ShouldBe(0, Tool.Describe(copy));

        foreach (var arguments in new[]
                 {
                     new[] { "init", "-q", "-b", "main" },
                     ["add", "-A"],
                     ["-c", "user.name=Polyarch test", "-c", "user.email=test@polyarch.invalid", "commit", "-q", "-m", "echo"],
                 })
        {
            var git = await Tool.RunAsync("git", ["-C", _source.FullName, .. arguments]);
            git.ExitCode.ShouldBe(0, Tool.Describe(git));
        }
    }
}
