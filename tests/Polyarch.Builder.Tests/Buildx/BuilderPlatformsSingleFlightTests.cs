using Microsoft.Extensions.Options;
using Polyarch.Builder.Buildx;
using Polyarch.Builder.Hosting;
using Polyarch.Builder.Tests.Support;

namespace Polyarch.Builder.Tests.Buildx;

/// <summary>
/// One `docker buildx inspect` at a time: a build that needs the platform list while the service's start-up warm-up (or
/// another build) is asking buildx awaits that answer instead of starting a second inspect beside it on a loaded machine.
/// The fake docker answers amd64 and arm64 after a delay, so the callers overlap.
/// </summary>
public sealed class BuilderPlatformsSingleFlightTests : IDisposable
{
    private readonly FakeDocker _docker = new();
    private readonly TempDirectory _state = new();

    public BuilderPlatformsSingleFlightTests() =>
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(_docker.ExecutablePath)!, "inspect-delay"), "1");

    [Fact]
    public async Task Two_concurrent_checks_on_an_empty_cache_run_one_inspect_and_the_cache_file_is_still_written()
    {
        var platforms = Platforms();

        await Task.WhenAll(
            platforms.EnsureSupportedAsync(["linux/amd64"], CancellationToken.None),
            platforms.EnsureSupportedAsync(["linux/arm64"], CancellationToken.None));

        InspectCalls().ShouldBe(1);
        File.ReadAllText(_state.Combine("builder", "buildx-platforms.json")).ShouldContain("linux/arm64");
    }

    [Fact]
    public async Task A_build_arriving_while_the_warm_up_lists_the_platforms_joins_that_inspect()
    {
        var platforms = Platforms();

        var warmUp = platforms.ListAsync(CancellationToken.None);
        await _docker.WaitForCallAsync("CALL <buildx> <inspect>");
        await platforms.EnsureSupportedAsync(["linux/amd64", "linux/arm64"], CancellationToken.None);
        (await warmUp).ShouldBe(["linux/amd64", "linux/arm64"]);

        InspectCalls().ShouldBe(1);
    }

    [Fact]
    public async Task A_caller_that_gives_up_does_not_end_the_inspect_the_others_wait_for()
    {
        var platforms = Platforms();
        using var impatient = new CancellationTokenSource();

        var givingUp = platforms.ListAsync(impatient.Token);
        var waiting = platforms.ListAsync(CancellationToken.None);
        await _docker.WaitForCallAsync("CALL <buildx> <inspect>");
        await impatient.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => givingUp);
        (await waiting).ShouldBe(["linux/amd64", "linux/arm64"]);
        InspectCalls().ShouldBe(1);
    }

    private BuilderPlatforms Platforms()
    {
        var options = Options.Create(new BuilderOptions { StateDirectory = _state.Path, CacheDirectory = System.IO.Path.Combine(_state.Path, "cache"), DockerPath = _docker.ExecutablePath });
        return new BuilderPlatforms(new DockerCli(options), options, TimeProvider.System);
    }

    private int InspectCalls() => _docker.Calls.Count(c => c.StartsWith("CALL <buildx> <inspect>", StringComparison.Ordinal));

    public void Dispose()
    {
        _docker.Dispose();
        _state.Dispose();
    }
}
