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

    public void Dispose()
    {
        _harness.Dispose();
        _repository.Dispose();
    }
}
