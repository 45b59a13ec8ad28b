using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Polyarch.Builder.Builds;
using Polyarch.Builder.Records;
using Polyarch.Builder.Tests.Fitness;
using Polyarch.Builder.Tests.Integration;
using Polyarch.Builder.Tests.Support;
using Polyarch.Testing;

namespace Polyarch.Builder.Tests.Client;

/// <summary>
/// Issue 18 item 2: a CLI build hands its work to the `serve` running on its state directory, and builds itself when none runs.
/// Every scenario runs twice: in the managed CLI (<see cref="HandOffTests"/>) and through its Native AOT hand-off
/// (<see cref="NativeHandOffTests"/>).
/// </summary>
public abstract class HandOffScenarios(RegistryFixture registry) : IDisposable
{
    private readonly TestGitRepository _repository = new();
    private readonly TempDirectory _alone = new();

    /// <summary>Runs <c>polyarch-builder ARGS</c> on a state directory, by the path under test.</summary>
    protected abstract Task<BuilderProcess.Result> RunAsync(string stateDirectory, IReadOnlyDictionary<string, string>? environment, CancellationToken interrupt, params string[] arguments);

    private Task<BuilderProcess.Result> RunAsync(string stateDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments) =>
        RunAsync(stateDirectory, environment, CancellationToken.None, arguments);

    /// <summary>Checks which process answered the last run: true when a service took the build, false when the CLI built or failed alone.</summary>
    protected abstract void AssertHandledBy(bool service);

    [Fact]
    public async Task A_cli_build_is_handed_to_the_running_service_which_runs_bake_and_records_it()
    {
        var step = $"RUN echo handed-off-{Guid.NewGuid():N} > /state"; // never cached: the step runs and its progress shows
        _repository.Commit(new Dictionary<string, string> { ["Dockerfile"] = $"FROM {HostSettings.BaseImage}\n{step}\n" });
        await using var service = await ServeHost.StartAsync("--Builder:ProcessQueue=true", $"--Builder:Registry={registry.Address}", "--Builder:PushRetryDelay=00:00:00.200");

        // This CLI cannot start docker: had it run bake itself, the build would fail with exit code 3.
        var result = await RunAsync(
            service.StateDirectory, new Dictionary<string, string> { ["POLYARCH_Builder__DockerPath"] = "/nonexistent/docker" },
            "build", _repository.Path, "--registry", registry.Address, "--repository", "demo/handoff", "--platforms", "linux/amd64", "--output", "json");

        result.ExitCode.ShouldBe(0, result.Stderr);
        AssertHandledBy(service: true);
        var build = JsonNode.Parse(result.Stdout)!["build"]!;
        var id = build["id"]!.GetValue<string>();
        var stored = await service.Services.GetRequiredService<IBuildStore>().GetAsync(id, CancellationToken.None);
        stored.ShouldNotBeNull();
        stored.Status.ShouldBe(BuildStatus.Succeeded);
        stored.Request.Trigger.ShouldBe("cli");
        stored.Images.Single().IndexDigest.ShouldBe(build["images"]![0]!["indexDigest"]!.GetValue<string>());
        result.StderrLines[0].ShouldStartWith($"build {id}: {_repository.Path} at ");
        // The service's live progress, printed as an in-process build prints it.
        result.StderrLines.ShouldContain(line => line.EndsWith(step, StringComparison.Ordinal), result.Stderr);
        using var harness = new BuildHarness(registry.Address);
        (await harness.TagDigestAsync("demo/handoff", "main")).ShouldBe(stored.Images.Single().IndexDigest);
    }

    [Fact]
    public async Task Without_a_running_service_the_cli_builds_itself_also_when_a_stale_serve_json_is_left()
    {
        _repository.Commit(new Dictionary<string, string> { ["Dockerfile"] = $"FROM {HostSettings.BaseImage}\nRUN echo alone > /state\n" });
        Directory.CreateDirectory(Path.Combine(_alone.Path, "builder"));
        await File.WriteAllTextAsync(
            Path.Combine(_alone.Path, "builder", "serve.json"), $"{{\"url\":\"http://127.0.0.1:{ClosedPort()}\",\"instance\":\"gone\",\"pid\":1}}");

        var result = await RunAsync(
            _alone.Path, null, "build", _repository.Path, "--registry", registry.Address, "--repository", "demo/alone", "--platforms", "linux/amd64", "--output", "json");

        result.ExitCode.ShouldBe(0, result.Stderr);
        AssertHandledBy(service: false);
        var id = JsonNode.Parse(result.Stdout)!["build"]!["id"]!.GetValue<string>();
        using var services = BuilderServices.Create(_alone.Path);
        (await services.GetRequiredService<IBuildStore>().GetAsync(id, CancellationToken.None))!.Status.ShouldBe(BuildStatus.Succeeded);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Theory]
    [InlineData("json", "build", "/nonexistent/polyarch-repository")]
    [InlineData("table", "build", "/nonexistent/polyarch-repository")]
    [InlineData("json", "build", "{repo}", "--ref", "bad..ref")]
    [InlineData("yaml", "build", "{repo}", "--registry", "not a registry")]
    public async Task Handed_off_or_not_the_cli_prints_the_same_error_and_exit_code(string output, params string[] arguments)
    {
        _repository.Commit(new Dictionary<string, string> { ["Dockerfile"] = $"FROM {HostSettings.BaseImage}\n" });
        string[] args = [.. arguments.Select(a => a.Replace("{repo}", _repository.Path, StringComparison.Ordinal)), "--output", output];
        await using var service = await ServeHost.StartAsync($"--Builder:Registry={registry.Address}");

        var handedOff = await RunAsync(service.StateDirectory, null, args);
        AssertHandledBy(service: true);
        var alone = await RunAsync(_alone.Path, null, args);
        AssertHandledBy(service: false);

        handedOff.ExitCode.ShouldBe(2, handedOff.Stderr);
        alone.ExitCode.ShouldBe(2, alone.Stderr);
        handedOff.Stdout.ShouldBe(alone.Stdout);
        handedOff.Stderr.ShouldBe(alone.Stderr);
    }

    [Fact]
    public async Task Ctrl_c_cancels_the_handed_off_build_on_the_service()
    {
        _repository.Commit(new Dictionary<string, string> { ["Dockerfile"] = $"FROM {HostSettings.BaseImage}\nRUN echo started-{Guid.NewGuid():N}; sleep 300\n" });
        await using var service = await ServeHost.StartAsync(
            "--Builder:ProcessQueue=true", $"--Builder:Registry={registry.Address}", "--Builder:CancelGracePeriod=00:00:03");
        var store = service.Services.GetRequiredService<IBuildStore>();
        using var interrupt = new CancellationTokenSource();

        var run = RunAsync(
            service.StateDirectory, null, interrupt.Token,
            "build", _repository.Path, "--registry", registry.Address, "--repository", "demo/interrupted", "--platforms", "linux/amd64", "--output", "json");
        BuildRecord? running = null;
        for (var i = 0; i < 600 && running is null && !run.IsCompleted; i++)
        {
            running = (await store.ListAsync(5, CancellationToken.None)).FirstOrDefault(b => b.Status == BuildStatus.Running);
            await Task.Delay(100);
        }

        running.ShouldNotBeNull("the service never started the handed-off build");
        await Task.Delay(1000); // bake is under way
        await interrupt.CancelAsync();
        var result = await run;

        result.ExitCode.ShouldBe(1, result.Stderr);
        AssertHandledBy(service: true);
        result.Stderr.ShouldContain($"error: {Polyarch.Builder.Cli.BuildOutcome.CancelledMessage}");
        JsonNode.Parse(result.Stdout)!["error"]!["exitCode"]!.GetValue<int>().ShouldBe(1);
        BuildRecord? stored = null;
        for (var i = 0; i < 100 && stored?.IsFinished != true; i++)
        {
            stored = await store.GetAsync(running.Id, CancellationToken.None);
            await Task.Delay(100);
        }

        stored!.Status.ShouldBe(BuildStatus.Cancelled, "Ctrl+C cancels the build on the service");
    }

    public void Dispose()
    {
        GC.SuppressFinalize(this);
        _repository.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _alone.Dispose();
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
