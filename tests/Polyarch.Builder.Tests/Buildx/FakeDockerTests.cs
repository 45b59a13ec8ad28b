using Microsoft.Extensions.DependencyInjection;
using Polyarch.Builder.Builds;
using Polyarch.Builder.Buildx;
using Polyarch.Builder.Errors;
using Polyarch.Builder.Records;
using Polyarch.Builder.Tests.Support;

namespace Polyarch.Builder.Tests.Buildx;

/// <summary>buildx arguments, the platform check and cancellation against a fake docker executable.</summary>
public sealed class FakeDockerTests : IDisposable
{
    private readonly TempDirectory _state = new();

    private ServiceProvider Services(FakeDocker docker, params (string Key, string Value)[] settings) =>
        BuilderServices.Create(_state.Path, new Dictionary<string, string?>(
            settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))
                .Append(new("Builder:DockerPath", docker.ExecutablePath))));

    [Fact]
    public async Task An_impossible_platform_fails_before_building_and_names_the_builders_platforms()
    {
        using var docker = new FakeDocker();
        using var services = Services(docker, ("Builder:BuilderName", "arm-farm"));

        var exception = await Should.ThrowAsync<InvalidBuildInputException>(() =>
            services.GetRequiredService<BuilderPlatforms>().EnsureSupportedAsync(["linux/amd64", "linux/ppc64le"], CancellationToken.None));

        exception.Message.ShouldContain("arm-farm");
        exception.Message.ShouldContain("cannot build linux/ppc64le");
        exception.Message.ShouldContain("linux/amd64, linux/arm64");
        docker.Calls.ShouldBe(["CALL <buildx> <inspect> <--> <arm-farm>"]);
    }

    [Fact]
    public async Task Cancelling_interrupts_buildx_first_and_the_process_is_gone()
    {
        using var docker = new FakeDocker("hang");
        using var services = Services(docker, ("Builder:CancelGracePeriod", "00:00:30"));
        using var cancel = new CancellationTokenSource();
        var run = services.GetRequiredService<DockerCli>().RunAsync(["buildx", "bake", "--", "default"], _state.Path, null, cancel.Token);
        await docker.WaitForEventAsync("started");

        await cancel.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => run);
        docker.Events.ShouldContain("interrupted");
        docker.Pids.ShouldAllBe(pid => !FakeDocker.IsRunning(pid));
    }

    [Fact]
    public async Task A_buildx_that_ignores_the_interrupt_is_killed_after_the_grace_period()
    {
        using var docker = new FakeDocker("ignore-int");
        using var services = Services(docker, ("Builder:CancelGracePeriod", "00:00:00.500"));
        using var cancel = new CancellationTokenSource();
        var run = services.GetRequiredService<DockerCli>().RunAsync(["buildx", "bake"], _state.Path, null, cancel.Token);
        await docker.WaitForEventAsync("started");

        await cancel.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => run);
        docker.Events.ShouldNotContain("interrupted");
        docker.Pids.ShouldAllBe(pid => !FakeDocker.IsRunning(pid));
    }

    [Fact]
    [Trait("Category", "Integration")] // The executor probes the host registry (127.0.0.1:5000) first.
    public async Task A_build_that_times_out_is_failed_interrupted_and_moves_no_tag()
    {
        using var docker = new FakeDocker("hang");
        using var repository = new TestGitRepository();
        var commit = repository.Commit(new Dictionary<string, string> { ["Dockerfile"] = "FROM scratch\n" });
        using var services = Services(docker, ("Builder:BuildTimeout", "00:00:05"), ("Builder:CancelGracePeriod", "00:00:05"), ("Builder:Registry", "127.0.0.1:5000"));
        var store = services.GetRequiredService<IBuildStore>();
        var submitted = await store.SubmitAsync(
            new BuildRequest(repository.Path, "127.0.0.1:5000", "scratch/timeout", commit, "main", true, ["linux/amd64", "linux/arm64"], "test"), null, CancellationToken.None);
        var claimed = await store.ClaimNextAsync(CancellationToken.None);

        var build = await services.GetRequiredService<BuildExecutor>().ExecuteAsync(claimed!, null, CancellationToken.None);

        build.Status.ShouldBe(BuildStatus.Failed);
        build.Error!.Message.ShouldContain("timed out");
        build.Images.ShouldBeEmpty();
        docker.Events.ShouldContain("interrupted");
        var bake = docker.Calls.Single(c => c.StartsWith("CALL <buildx> <bake>", StringComparison.Ordinal));
        bake.ShouldContain("<--push>");
        bake.ShouldContain("<--progress> <rawjson>");
        bake.ShouldContain($"<default.tags=127.0.0.1:5000/scratch/timeout:polyarch-build-{submitted.Build.Id}>");
        bake.ShouldNotContain(":latest");
        bake.ShouldNotContain(":main");
    }

    [Fact]
    [Trait("Category", "Integration")] // The executor probes the host registry (127.0.0.1:5000) first.
    public async Task A_transient_registry_error_during_push_is_retried_and_recorded()
    {
        using var docker = new FakeDocker("transient");
        using var repository = new TestGitRepository();
        var commit = repository.Commit(new Dictionary<string, string> { ["Dockerfile"] = "FROM scratch\n" });
        using var services = Services(docker, ("Builder:BuildTimeout", "00:00:05"), ("Builder:Registry", "127.0.0.1:5000"));
        var store = services.GetRequiredService<IBuildStore>();
        await store.SubmitAsync(new BuildRequest(repository.Path, "127.0.0.1:5000", "scratch/transient", commit, null, false, ["linux/amd64"], "test"), null, CancellationToken.None);

        var build = await services.GetRequiredService<BuildExecutor>().ExecuteAsync((await store.ClaimNextAsync(CancellationToken.None))!, null, CancellationToken.None);

        docker.Calls.Count(c => c.StartsWith("CALL <buildx> <bake>", StringComparison.Ordinal)).ShouldBe(2);
        build.Retries.ShouldHaveSingleItem().ShouldContain("500 Internal Server Error");
        build.Status.ShouldBe(BuildStatus.Failed); // The second attempt hangs until the build timeout.
    }

    [Theory]
    [Trait("Category", "Integration")] // The executor probes the host registry (127.0.0.1:5000) first.
    [InlineData("transient", 2)] // distribution's HEAD 500 while the engine writes the tag: tried again at once
    [InlineData("transient-put", 1)] // an overloaded registry (503): the back-off (a minute here) outlasts the build's timeout
    public async Task Only_distributions_manifest_write_race_is_retried_without_the_back_off(string mode, int bakes)
    {
        using var docker = new FakeDocker(mode);
        using var repository = new TestGitRepository();
        var commit = repository.Commit(new Dictionary<string, string> { ["Dockerfile"] = "FROM scratch\n" });
        using var services = Services(docker, ("Builder:BuildTimeout", "00:00:04"), ("Builder:PushRetryDelay", "00:01:00"), ("Builder:Registry", "127.0.0.1:5000"));
        var store = services.GetRequiredService<IBuildStore>();
        await store.SubmitAsync(new BuildRequest(repository.Path, "127.0.0.1:5000", "scratch/race", commit, null, false, ["linux/amd64"], "test"), null, CancellationToken.None);

        var build = await services.GetRequiredService<BuildExecutor>().ExecuteAsync((await store.ClaimNextAsync(CancellationToken.None))!, null, CancellationToken.None);

        docker.Calls.Count(c => c.StartsWith("CALL <buildx> <bake>", StringComparison.Ordinal)).ShouldBe(bakes);
        build.Retries.ShouldHaveSingleItem().ShouldContain(bakes == 2 ? "retried after 0.1 s" : "retried after 60.0 s");
        build.Status.ShouldBe(BuildStatus.Failed); // The build timeout ends the second bake's hang, or the back-off.
    }

    [Fact]
    [Trait("Category", "Integration")] // The executor probes the host registry (127.0.0.1:5000) first.
    public async Task A_slow_platform_check_runs_beside_the_bake_and_an_impossible_platform_still_fails_as_bad_input_and_ends_the_bake()
    {
        using var docker = new FakeDocker("hang");
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(docker.ExecutablePath)!, "inspect-delay"), "3");
        using var repository = new TestGitRepository();
        var commit = repository.Commit(new Dictionary<string, string> { ["Dockerfile"] = "FROM scratch\n" });
        using var services = Services(docker, ("Builder:CancelGracePeriod", "00:00:05"), ("Builder:Registry", "127.0.0.1:5000"));
        var store = services.GetRequiredService<IBuildStore>();
        await store.SubmitAsync(new BuildRequest(repository.Path, "127.0.0.1:5000", "scratch/preflight", commit, null, false, ["linux/amd64", "linux/ppc64le"], "test"), null, CancellationToken.None);

        var build = await services.GetRequiredService<BuildExecutor>().ExecuteAsync((await store.ClaimNextAsync(CancellationToken.None))!, null, CancellationToken.None);

        build.Status.ShouldBe(BuildStatus.Failed);
        build.Error!.ExitCode.ShouldBe(2);
        build.Error.Message.ShouldContain("cannot build linux/ppc64le");
        // The bake did not wait for the 3 s platform list, and was interrupted once the list said no.
        docker.Events.ShouldBe(["started", "inspected", "interrupted"]);
        docker.BakePids.ShouldAllBe(pid => !FakeDocker.IsRunning(pid));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _state.Dispose();
    }
}
