using Microsoft.Extensions.DependencyInjection;
using Polyarch.Builder.Buildx;
using Polyarch.Builder.Errors;
using Polyarch.Builder.Tests.Support;

namespace Polyarch.Builder.Tests.Buildx;

/// <summary>buildx commands run as the plugin binary itself (Builder:BuildxPath): arguments, environment, cancellation, orphans.</summary>
public sealed class DirectBuildxTests : IDisposable
{
    private readonly TempDirectory _state = new();

    private ServiceProvider Services(FakeDocker docker, params (string Key, string Value)[] settings) =>
        BuilderServices.Create(_state.Path, new Dictionary<string, string?>(
            settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))
                .Append(new("Builder:DockerPath", docker.ExecutablePath))
                .Append(new("Builder:BuildxPath", docker.PluginPath))));

    [Fact]
    public async Task The_plugin_gets_the_arguments_after_buildx_and_not_the_docker_CLIs_plugin_marker()
    {
        using var docker = new FakeDocker();
        using var services = Services(docker, ("Builder:BuilderName", "arm-farm"));
        // A builder started from a docker CLI plugin would inherit the marker; buildx would then expect "buildx" first.
        Environment.SetEnvironmentVariable("DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND", "/usr/bin/docker");
        try
        {
            (await services.GetRequiredService<BuilderPlatforms>().ListAsync(CancellationToken.None)).ShouldBe(["linux/amd64", "linux/arm64"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable("DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND", null);
        }

        docker.Calls.ShouldBe(["CALL <buildx> <inspect> <--> <arm-farm>"]); // the fake puts "buildx" back in front
        docker.Events.ShouldBe(["plugin marker=unset", "inspected"]);
        services.GetRequiredService<DockerCli>().BuildxPath.ShouldBe(docker.PluginPath);
    }

    [Fact]
    public async Task Commands_other_than_buildx_still_run_the_docker_client()
    {
        using var docker = new FakeDocker();
        using var services = Services(docker);

        var result = await services.GetRequiredService<DockerCli>().RunAsync(["version"], _state.Path, null, CancellationToken.None);

        result.ExitCode.ShouldBe(64); // the fake's "unexpected call"
        docker.Calls.ShouldBe(["CALL <version>"]);
        docker.Events.ShouldBeEmpty();
    }

    [Fact]
    public async Task Cancelling_a_bake_in_its_own_process_group_interrupts_the_plugin_and_leaves_nothing_running()
    {
        using var docker = new FakeDocker("hang");
        using var services = Services(docker, ("Builder:CancelGracePeriod", "00:00:30"));
        using var cancel = new CancellationTokenSource();
        var processFile = Path.Combine(_state.Path, "bake.process");
        var run = services.GetRequiredService<DockerCli>().RunAsync(
            ["buildx", "bake", "--set", "default.tags=127.0.0.1:5000/x:polyarch-build-direct1", "--", "default"], _state.Path, null, processFile, cancel.Token);
        await docker.WaitForEventAsync("started");

        // The recorded pid is the plugin itself (setsid execs it in place), and its command line names the build.
        var recorded = await File.ReadAllLinesAsync(processFile);
        recorded[0].ShouldBe(docker.BakePids.ShouldHaveSingleItem().ToString(System.Globalization.CultureInfo.InvariantCulture));
        recorded[1].ShouldBe(OrphanedBakes.SetsidPath is null ? "process" : "group");
        var commandLine = File.ReadAllText($"/proc/{docker.BakePids[0]}/cmdline").Replace('\0', ' ');
        commandLine.ShouldContain("docker-buildx bake");
        commandLine.ShouldContain(recorded[3]);

        await cancel.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => run);
        docker.Events.ShouldContain("interrupted");
        docker.Pids.ShouldAllBe(pid => !FakeDocker.IsRunning(pid));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_bake_runs_without_buildx_git_info_the_checkout_has_no_git_and_an_enclosing_repository_is_not_ours(bool directPlugin)
    {
        using var docker = FakeDocker.Replaying("arm64-step-fails.rawjson", 0);
        using var services = BuilderServices.Create(_state.Path, new Dictionary<string, string?>
        {
            ["Builder:DockerPath"] = docker.ExecutablePath,
            ["Builder:BuildxPath"] = directPlugin ? docker.PluginPath : "docker",
        });

        var result = await services.GetRequiredService<DockerCli>().RunAsync(["buildx", "bake", "--", "default"], _state.Path, null, CancellationToken.None);

        result.ExitCode.ShouldBe(0);
        docker.BakeEnvironment.ShouldBe(["BUILDX_GIT_INFO=0"]);
    }

    [Fact]
    public async Task A_missing_plugin_fails_with_a_message_that_names_it_and_the_way_back_to_docker()
    {
        using var docker = new FakeDocker();
        using var services = BuilderServices.Create(_state.Path, new Dictionary<string, string?>
        {
            ["Builder:DockerPath"] = docker.ExecutablePath,
            ["Builder:BuildxPath"] = _state.Combine("nowhere", "docker-buildx"),
        });

        var exception = await Should.ThrowAsync<DependencyUnavailableException>(() =>
            services.GetRequiredService<DockerCli>().RunAsync(["buildx", "inspect"], _state.Path, null, CancellationToken.None));

        exception.Message.ShouldContain(_state.Combine("nowhere", "docker-buildx"));
        exception.Message.ShouldContain("Builder:BuildxPath");
        docker.Calls.ShouldBeEmpty();
    }

    public void Dispose() => _state.Dispose();
}
