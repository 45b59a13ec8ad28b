using Microsoft.Extensions.DependencyInjection;
using Polyarch.Builder.Buildx;
using Polyarch.Builder.Hosting;
using Polyarch.Builder.Tests.Fitness;
using Polyarch.Builder.Tests.Support;

namespace Polyarch.Builder.Tests.Hosting;

/// <summary>
/// `serve` does its first-use work while it starts and announces itself (serve.json) only after it, so a CLI never meets a
/// cold service (issue 18, P5); a piece that fails or is slow never stops the service. The fake docker answers
/// `buildx inspect` after a delay.
/// </summary>
[Collection(ServeHostCollection.Name)] // serve's logger is process-wide: another host at once would take its log lines
public sealed class ServiceWarmUpTests : IDisposable
{
    private readonly FakeDocker _docker = new();

    [Fact]
    public async Task The_platform_list_is_asked_before_serve_json_announces_the_service_and_a_build_then_asks_no_more()
    {
        InspectDelay(1);

        await using var serve = await ServeHost.StartAsync($"--Builder:DockerPath={_docker.ExecutablePath}", "--Builder:ProcessQueue=true");

        var serveJson = Path.Combine(serve.StateDirectory, "builder", ServiceEndpointFile.FileName);
        File.Exists(serveJson).ShouldBeTrue();
        _docker.Events.ShouldContain("inspected");
        File.GetLastWriteTimeUtc(FakeFile("events")).ShouldBeLessThanOrEqualTo(File.GetLastWriteTimeUtc(serveJson), "buildx answered before the service announced itself");
        File.Exists(Path.Combine(serve.StateDirectory, "builder", "buildx-platforms.json")).ShouldBeTrue();

        await serve.Services.GetRequiredService<BuilderPlatforms>().EnsureSupportedAsync(["linux/amd64", "linux/arm64"], CancellationToken.None);
        InspectCalls().ShouldBe(1, "the first build uses the platform list the start-up asked for");
    }

    [Fact]
    public async Task The_rehearsed_build_leaves_no_record_directory_log_line_or_docker_call_in_the_service()
    {
        await using var serve = await ServeHost.StartAsync(
            $"--Builder:DockerPath={_docker.ExecutablePath}", "--Builder:ProcessQueue=true", "--ServiceLog:Path={state}/logs/builder.log", "--Builder:WarmUpTimeout=00:02:00");
        using var list = await serve.Http.GetAsync(new Uri("/v1/builds", UriKind.Relative));
        await serve.StopAsync();

        (await list.Content.ReadAsStringAsync()).ShouldBe("[]", "the rehearsal recorded its build in a store of its own");
        Directory.GetDirectories(Path.Combine(serve.StateDirectory, "builder"), "rehearsal-*").ShouldBeEmpty();
        _docker.Calls.ShouldAllBe(c => c.StartsWith("CALL <buildx> <inspect>", StringComparison.Ordinal), "only the platform list asks the service's docker");
        var log = File.ReadAllLines(Path.Combine(serve.StateDirectory, "logs", "builder.log"));
        log.ShouldContain(l => l.Contains("Warm-up done: 6 of 6 pieces", StringComparison.Ordinal));
        log.ShouldNotContain(l => l.Contains("polyarch/warm-up", StringComparison.Ordinal), "the rehearsal writes nothing to the service's log");
    }

    [Fact]
    public async Task Warm_up_directories_left_by_a_killed_service_are_removed_and_a_running_ones_kept()
    {
        using var state = new TempDirectory();
        var builder = Path.Combine(state.Path, "builder");
        // 4194304 is above Linux's largest pid (pid_max): no process has it.
        string[] leftovers = [Path.Combine(builder, "rehearsal-4194305"), Path.Combine(builder, "warm-up-4194305")];
        var running = Path.Combine(builder, $"rehearsal-{Environment.ProcessId}-other");
        var alive = Path.Combine(builder, "warm-up-1"); // pid 1 runs in every pid namespace
        foreach (var directory in leftovers.Append(running).Append(alive))
        {
            Directory.CreateDirectory(Path.Combine(directory, "state"));
        }

        await using var serve = await ServeHost.StartAsync(
            $"--Builder:StateDirectory={state.Path}", $"--Builder:DockerPath={_docker.ExecutablePath}", "--Builder:ProcessQueue=true", "--Builder:WarmUpTimeout=00:02:00");

        leftovers.ShouldAllBe(directory => !Directory.Exists(directory));
        Directory.Exists(alive).ShouldBeTrue("its process (pid 1) is running: another service's warm-up");
        Directory.Exists(running).ShouldBeTrue("not a warm-up's name");
    }

    [Fact]
    public async Task A_failing_piece_logs_one_warning_and_the_service_starts_and_answers()
    {
        await using var serve = await ServeHost.StartAsync(
            "--Builder:DockerPath={state}/no-such-docker", "--Builder:ProcessQueue=true", "--ServiceLog:Path={state}/logs/builder.log");

        using var health = await serve.Http.GetAsync(new Uri("/healthz", UriKind.Relative));
        health.IsSuccessStatusCode.ShouldBeTrue();
        File.Exists(Path.Combine(serve.StateDirectory, "builder", ServiceEndpointFile.FileName)).ShouldBeTrue();
        await serve.StopAsync();

        var warmUp = File.ReadAllLines(Path.Combine(serve.StateDirectory, "logs", "builder.log")).Where(l => l.Contains("Warm-up", StringComparison.Ordinal)).ToList();
        warmUp.Where(l => l.Contains("[WRN]", StringComparison.Ordinal)).ShouldHaveSingleItem().ShouldContain("Warm-up of the buildx platform list failed");
        warmUp.ShouldContain(l => l.Contains("Warm-up done: 5 of 6 pieces", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_piece_slower_than_the_bound_does_not_hold_the_start_up()
    {
        InspectDelay(8);
        var started = TimeProvider.System.GetTimestamp();

        await using var serve = await ServeHost.StartAsync(
            $"--Builder:DockerPath={_docker.ExecutablePath}", "--Builder:ProcessQueue=true", "--Builder:WarmUpTimeout=00:00:01",
            "--ServiceLog:Path={state}/logs/builder.log");

        TimeProvider.System.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(7), "start-up waited for the 8 s inspect");
        File.Exists(Path.Combine(serve.StateDirectory, "builder", ServiceEndpointFile.FileName)).ShouldBeTrue();
        _docker.Events.ShouldNotContain("inspected");
        await serve.StopAsync();
        File.ReadAllLines(Path.Combine(serve.StateDirectory, "logs", "builder.log"))
            .Where(l => l.Contains("Warm-up did not finish within 1 s", StringComparison.Ordinal)).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task The_hand_off_requests_are_answered_once_before_serve_json_and_queue_nothing()
    {
        // A bound no loaded test machine reaches: the requests are answered before start-up ends, however slowly.
        await using var serve = await ServeHost.StartAsync(
            $"--Builder:DockerPath={_docker.ExecutablePath}", "--ServiceLog:Path={state}/logs/builder.log", "--Builder:WarmUpTimeout=00:02:00");
        using var list = await serve.Http.GetAsync(new Uri("/v1/builds", UriKind.Relative));
        await serve.StopAsync();

        (await list.Content.ReadAsStringAsync()).ShouldBe("[]", "the warm-up's POST queued nothing");
        var log = File.ReadAllLines(Path.Combine(serve.StateDirectory, "logs", "builder.log"));
        log.Where(l => l.Contains("HTTP POST /v1/builds responded 400", StringComparison.Ordinal)).ShouldHaveSingleItem();
        log.Where(l => l.Contains("HTTP GET /v1/builds/warm-up/events responded 404", StringComparison.Ordinal)).ShouldHaveSingleItem();
        log.ShouldNotContain(l => l.Contains("[WRN]", StringComparison.Ordinal));
        Directory.Exists(Path.Combine(serve.StateDirectory, "builder", "warm-up-no-such-repository")).ShouldBeFalse();
        Array.FindIndex(log, l => l.Contains("POST /v1/builds responded", StringComparison.Ordinal))
            .ShouldBeLessThan(Array.FindIndex(log, l => l.Contains("Application started", StringComparison.Ordinal)), "answered before the service announced itself");
    }

    public void Dispose() => _docker.Dispose();

    private void InspectDelay(int seconds) => File.WriteAllText(FakeFile("inspect-delay"), seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private string FakeFile(string name) => Path.Combine(Path.GetDirectoryName(_docker.ExecutablePath)!, name);

    private int InspectCalls() => _docker.Calls.Count(c => c.StartsWith("CALL <buildx> <inspect>", StringComparison.Ordinal));
}
