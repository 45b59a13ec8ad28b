using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Polyarch.Builder.Records;
using Polyarch.Builder.Tests.Support;
using Polyarch.Testing;

namespace Polyarch.Builder.Tests.Integration;

[Collection(BuildCollection.Name)]
[Trait("Category", "Integration")]
public sealed class FailureTests(RegistryFixture registry) : IDisposable
{
    private readonly TestGitRepository _repository = new();
    private readonly BuildHarness _harness = new(registry.Address);

    [Fact]
    public async Task A_step_failing_on_one_platform_fails_the_build_names_platform_and_step_and_moves_no_tag()
    {
        _repository.Commit(new Dictionary<string, string> { ["Dockerfile"] = $"FROM {HostSettings.BaseImage}\nRUN echo good > /state\n" });
        var good = await _harness.BuildAsync(_repository.Path, "demo/fails");
        good.ExitCode.ShouldBe(0, good.Stderr);
        var broken = _repository.Commit(new Dictionary<string, string>
        {
            ["Dockerfile"] = $"FROM {HostSettings.BaseImage}\nRUN echo \"step on $(uname -m)\"; if [ \"$(uname -m)\" = aarch64 ]; then echo 'no arm64 today' >&2; exit 7; fi\n",
        });

        var result = await _harness.BuildAsync(_repository.Path, "demo/fails");

        result.ExitCode.ShouldBe(1, result.Stdout);
        var error = result.Json!["error"]!;
        error["platform"]!.GetValue<string>().ShouldBe("linux/arm64");
        error["step"]!.GetValue<string>().ShouldStartWith("[linux/arm64 2/2] RUN");
        error["logTail"]!.GetValue<string>().ShouldContain("no arm64 today");
        error["message"]!.GetValue<string>().ShouldContain("No tag was moved");
        (await _harness.TagDigestAsync("demo/fails", "main")).ShouldBe(good.IndexDigest());
        (await _harness.TagDigestAsync("demo/fails", "latest")).ShouldBe(good.IndexDigest());
        (await _harness.TagDigestAsync("demo/fails", broken[..12])).ShouldBeNull();
        var logs = await _harness.Services.GetRequiredService<IBuildStore>().GetLogsAsync(error["buildId"]!.GetValue<string>(), CancellationToken.None);
        logs["linux/arm64"].ShouldContain("no arm64 today");
    }

    [Fact]
    public async Task A_registry_that_is_down_is_a_dependency_error_naming_it()
    {
        _repository.Commit(new Dictionary<string, string> { ["Dockerfile"] = $"FROM {HostSettings.BaseImage}\n" });
        var down = $"127.0.0.1:{TestPorts.FreePort()}";

        var result = await _harness.BuildAsync(_repository.Path, "demo/down", registry: down);

        result.ExitCode.ShouldBe(3, result.Stdout);
        result.Stderr.ShouldContain($"The registry {down} does not answer");
    }

    [Fact]
    public async Task An_impossible_platform_is_bad_input_naming_the_builders_platforms()
    {
        _repository.Commit(new Dictionary<string, string> { ["Dockerfile"] = $"FROM {HostSettings.BaseImage}\n" });

        var result = await _harness.BuildAsync(_repository.Path, "demo/never", platforms: ["linux/amd64", "windows/sparc"]);

        result.ExitCode.ShouldBe(2, result.Stdout);
        result.Stderr.ShouldContain("cannot build windows/sparc");
        result.Stderr.ShouldContain("linux/ppc64le");
    }

    public void Dispose()
    {
        _harness.Dispose();
        _repository.Dispose();
    }
}
