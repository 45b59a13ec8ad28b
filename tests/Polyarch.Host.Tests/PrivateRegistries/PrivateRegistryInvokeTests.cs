using System.Text.Json.Nodes;
using Polyarch.Testing;

namespace Polyarch.Host.Tests.PrivateRegistries;

/// <summary>
/// The quickstart's flow against the TLS + basic-auth registry at a non-loopback address: polyarch-builder builds the echo
/// example for three platforms and pushes it there, and polyarch-invoker (the real executables) resolves the index and
/// runs its variants, the engine pulling them with the credentials a credential helper holds (credHelpers in the
/// config.json named by DOCKER_CONFIG) and trusting the private CA through /etc/docker/certs.d (the profile's engine part).
/// </summary>
[Collection(PrivateRegistryCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PrivateRegistryInvokeTests(PrivateRegistryFixture registry) : IDisposable
{
    private readonly DirectoryInfo _source = Directory.CreateTempSubdirectory("polyarch-private-flow-");
    private readonly DirectoryInfo _dockerConfig = Directory.CreateTempSubdirectory("polyarch-private-flow-docker-config-");
    private readonly DirectoryInfo _state = Directory.CreateTempSubdirectory("polyarch-private-flow-state-");
    private readonly TestCredentialHelper _helper = new();

    [Fact]
    public async Task The_echo_example_built_to_the_TLS_registry_runs_on_amd64_and_arm64_with_authenticated_engine_pulls()
    {
        // Arrange: credentials only in the helper, as `docker login` leaves them with credHelpers; the CA for the engine
        // (certs.d, no restart) and for Polyarch (Registry:CaFiles).
        _helper.Seed(registry.TlsRegistry, registry.User, registry.Password);
        await File.WriteAllTextAsync(Path.Combine(_dockerConfig.FullName, "config.json"),
            new JsonObject { ["credHelpers"] = new JsonObject { [registry.TlsRegistry] = _helper.Name } }.ToJsonString());
        var profile = await Tool.BuilderAsync(null, "registry", "profile", registry.TlsRegistry, "--ca", registry.CaFile, "--apply", "--only", "Engine");
        profile.ExitCode.ShouldBe(0, Tool.Describe(profile));
        await PrivateRegistryBuildTests.CreateEchoRepositoryAsync(_source.FullName);
        var repository = $"private/flow-{TestRun.Id}";

        // Act 1: the build pushes one index of three platforms.
        var build = await Tool.BuilderAsync(Environment(), [
            "build", _source.FullName, "--registry", registry.TlsRegistry, "--repository", repository,
            "--platforms", string.Join(',', HostSettings.Platforms), "--output", "json",
        ]);
        build.ExitCode.ShouldBe(0, Tool.Describe(build));
        var image = $"{registry.TlsRegistry}/{repository}@{JsonNode.Parse(build.StandardOutput)!["build"]!["images"]![0]!["indexDigest"]!.GetValue<string>()}";

        // The engine must not hold the image (buildx may have loaded it): only a pull can give it the variants.
        await RemoveLocalImagesAsync($"{registry.TlsRegistry}/{repository}");
        (await LocalImagesAsync($"{registry.TlsRegistry}/{repository}")).ShouldBeEmpty();

        // Act 2 and assert: each variant runs on its own architecture.
        try
        {
            await InvokeEachVariantAsync(image, repository);
        }
        finally
        {
            await RemoveLocalImagesAsync($"{registry.TlsRegistry}/{repository}");
        }

        _helper.Calls.ShouldContain($"get {registry.TlsRegistry}");
    }

    [Fact]
    public async Task Before_Polyarch_trusts_the_CA_invoke_fails_with_exit_3_and_names_the_profile_command()
    {
        var environment = new Dictionary<string, string?> { ["DOCKER_CONFIG"] = registry.DockerConfigDirectory };

        var invoke = await InvokerAsync(environment, "invoke", $"{registry.TlsRegistry}/{registry.SeedRepository}:amd64", "--platform", "linux/amd64");

        invoke.ExitCode.ShouldBe(3, Tool.Describe(invoke));
        invoke.StandardError.ShouldContain("TLS certificate is not trusted here");
        invoke.StandardError.ShouldContain($"`polyarch-builder registry profile {registry.TlsRegistry} --ca FILE`");
        invoke.StandardError.ShouldContain($"Registry:CaFiles:{registry.HostName}=FILE");
    }

    public void Dispose()
    {
        _helper.Dispose();
        foreach (var directory in new[] { _source, _dockerConfig, _state })
        {
            directory.Delete(recursive: true);
        }
    }

    private async Task InvokeEachVariantAsync(string image, string repository)
    {
        foreach (var (platform, arch) in new[] { ("linux/amd64", "x86_64"), ("linux/arm64", "aarch64") })
        {
            var invoke = await InvokerAsync(Environment(), "invoke", image, "--platform", platform, "-p", "name=private", "--output", "json");

            invoke.ExitCode.ShouldBe(0, Tool.Describe(invoke));
            var record = JsonNode.Parse(invoke.StandardOutput)!;
            record["platform"]!.GetValue<string>().ShouldBe(platform);
            record["result"]!["arch"]!.GetValue<string>().ShouldBe(arch);
            record["result"]!["params"]!["name"]!.GetValue<string>().ShouldBe("private");
            var variant = $"{registry.TlsRegistry}/{repository}@{record["childDigest"]!.GetValue<string>()}";
            (await Tool.RunAsync("/usr/bin/docker", ["image", "inspect", variant])).ExitCode.ShouldBe(0, $"the engine pulled {variant}");
        }
    }

    private Dictionary<string, string?> Environment() => new()
    {
        ["DOCKER_CONFIG"] = _dockerConfig.FullName,
        ["PATH"] = _helper.SearchPath,
        [$"POLYARCH_Registry__CaFiles__{registry.HostName}"] = registry.CaFile,
    };

    private Task<CliWrap.Buffered.BufferedCommandResult> InvokerAsync(Dictionary<string, string?> environment, params string[] arguments)
    {
        environment["POLYARCH_STATE_DIR"] = _state.FullName;
        environment["POLYARCH_Invoker__InstanceId"] = $"t{TestRun.Id}-private";
        environment[$"POLYARCH_Docker__ExtraLabels__{TestRun.LabelKey}"] = TestRun.Id;
        return Tool.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "polyarch-invoker.dll"), .. arguments], environment);
    }

    private static async Task<string[]> LocalImagesAsync(string repository)
    {
        var list = await Tool.RunAsync("/usr/bin/docker", ["image", "ls", "--no-trunc", "--format", "{{.Repository}}:{{.Tag}}@{{.ID}}", "--filter", $"reference={repository}*"]);
        list.ExitCode.ShouldBe(0, Tool.Describe(list));
        return list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static async Task RemoveLocalImagesAsync(string repository)
    {
        foreach (var line in await LocalImagesAsync(repository))
        {
            var name = line[..line.LastIndexOf('@')];
            var remove = await Tool.RunAsync("/usr/bin/docker", ["image", "rm", "--force", name.EndsWith(":<none>", StringComparison.Ordinal) ? line[(line.LastIndexOf('@') + 1)..] : name]);
            remove.ExitCode.ShouldBe(0, Tool.Describe(remove));
        }
    }
}
