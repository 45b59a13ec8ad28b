using Polyarch.Builder.Buildx;
using Polyarch.Builder.Records;
using Polyarch.Builder.Tests.Support;
using Polyarch.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Polyarch.Builder.Tests.Integration;

[Collection(BuildCollection.Name)]
[Trait("Category", "Integration")]
public sealed class EchoBuildTests(RegistryFixture registry) : IDisposable
{
    private readonly TestGitRepository _repository = new();
    private readonly BuildHarness _harness = new(registry.Address);

    [Fact]
    public async Task I_can_build_examples_echo_for_three_platforms_run_each_variant_and_rebuild_nothing()
    {
        var commit = _repository.CommitDirectory(RepositoryRoot.Combine("examples", "echo"));
        // These builds run buildx as its plugin binary (Builder:BuildxPath=auto with the default docker client).
        _harness.Services.GetRequiredService<DockerCli>().BuildxPath.ShouldNotBeNull("the host's docker-buildx is found where the docker CLI finds it");

        var result = await _harness.BuildAsync(_repository.Path, "demo/echo");

        result.ExitCode.ShouldBe(0, result.Stderr);
        var image = result.Image();
        var digest = result.IndexDigest();
        image["tags"]!.AsArray().Select(t => t!.GetValue<string>()).ShouldBe([commit[..12], "main", "latest"]);
        var platforms = image["platforms"]!.AsArray();
        platforms.Select(p => p!["platform"]!.GetValue<string>()).ShouldBe(HostSettings.Platforms);
        foreach (var tag in new[] { commit[..12], "main", "latest" })
        {
            (await _harness.TagDigestAsync("demo/echo", tag)).ShouldBe(digest);
        }

        foreach (var (platform, arch) in new[] { ("linux/amd64", "x86_64"), ("linux/arm64", "aarch64"), ("linux/ppc64le", "ppc64le") })
        {
            var run = await Engine.RunAsync($"{registry.Address}/demo/echo@{digest}", platform, ["{\"x\":1}"]);
            run.ExitCode.ShouldBe(0, run.StandardError);
            run.StandardOutput.ShouldContain($"\"arch\":\"{arch}\"");
        }

        var logs = await _harness.Services.GetRequiredService<IBuildStore>().GetLogsAsync(result.Build["id"]!.GetValue<string>(), CancellationToken.None);
        logs.Keys.ShouldBeSubsetOf(["", "linux/amd64", "linux/arm64", "linux/ppc64le"]);
        logs["linux/arm64"].ShouldContain("[linux/arm64");

        var again = await _harness.BuildAsync(_repository.Path, "demo/echo");

        again.ExitCode.ShouldBe(0, again.Stderr);
        again.Json!["reused"]!.GetValue<bool>().ShouldBeTrue();
        again.Build["id"]!.GetValue<string>().ShouldBe(result.Build["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_built_commit_on_a_new_branch_gets_its_tag_by_manifest_put_not_a_rebuild()
    {
        _repository.CommitDirectory(RepositoryRoot.Combine("examples", "echo"));
        var first = await _harness.BuildAsync(_repository.Path, "demo/retag", platforms: ["linux/amd64", "linux/arm64"]);
        first.ExitCode.ShouldBe(0, first.Stderr);
        _repository.Branch("release/1.0");

        var retag = await _harness.BuildAsync(_repository.Path, "demo/retag", "release/1.0", platforms: ["linux/amd64", "linux/arm64"]);

        retag.ExitCode.ShouldBe(0, retag.Stderr);
        retag.Build["reuseOf"]!.GetValue<string>().ShouldBe(first.Build["id"]!.GetValue<string>());
        retag.Build["timings"]!.AsArray().ShouldBeEmpty();
        retag.IndexDigest().ShouldBe(first.IndexDigest());
        (await _harness.TagDigestAsync("demo/retag", "release-1.0")).ShouldBe(first.IndexDigest());
        (await _harness.TagDigestAsync("demo/retag", "latest")).ShouldBe(first.IndexDigest());
    }

    [Fact]
    public async Task A_bake_run_as_the_buildx_plugin_itself_pushes_a_verified_three_platform_index()
    {
        var plugin = BuildxPlugin.Find(Environment.GetEnvironmentVariable("DOCKER_CONFIG"), Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), BuildxPlugin.SystemDirectories);
        plugin.ShouldNotBeNull("docker-buildx is installed (scripts/host.sh up)");
        using var wrapperDirectory = new TempDirectory();
        var calls = wrapperDirectory.Combine("calls");
        var wrapper = wrapperDirectory.Combine("docker-buildx");
        File.WriteAllText(wrapper, $"#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{calls}'\nexec '{plugin}' \"$@\"\n");
        File.SetUnixFileMode(wrapper, (UnixFileMode)0b111_101_101);
        using var harness = new BuildHarness(registry.Address, new Dictionary<string, string?> { ["Builder:BuildxPath"] = wrapper });
        _repository.CommitDirectory(RepositoryRoot.Combine("examples", "echo"));
        _repository.Commit(new Dictionary<string, string> { ["docker-bake.hcl"] = "target \"default\" {\n  dockerfile = \"Dockerfile\"\n}\n" }); // bake --print too

        var result = await harness.BuildAsync(_repository.Path, "demo/echo-direct");

        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Image()["platforms"]!.AsArray().Select(p => p!["platform"]!.GetValue<string>()).ShouldBe(HostSettings.Platforms);
        (await harness.TagDigestAsync("demo/echo-direct", "latest")).ShouldBe(result.IndexDigest());
        var bakes = File.ReadAllLines(calls).Where(c => c.StartsWith("bake ", StringComparison.Ordinal)).ToList();
        bakes.ShouldContain(c => c.StartsWith("bake --print", StringComparison.Ordinal), string.Join('\n', bakes));
        bakes.ShouldContain(c => c.Contains("--push", StringComparison.Ordinal), string.Join('\n', bakes));
    }

    public void Dispose()
    {
        _harness.Dispose();
        _repository.Dispose();
    }
}
