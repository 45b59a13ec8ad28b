using System.Net;
using System.Net.Sockets;
using CliWrap;
using Microsoft.Extensions.DependencyInjection;
using Polyarch.Builder.Builds;
using Polyarch.Builder.Records;
using Polyarch.Builder.Tests.Support;
using Polyarch.Testing;

namespace Polyarch.Builder.Tests.Integration;

/// <summary>
/// `kill -9` of a builder in the middle of a bake: the bake (here the fake docker, hanging like a long build) keeps
/// running without it; the next builder ends it before it builds the same commit again.
/// </summary>
[Collection(BuildCollection.Name)]
[Trait("Category", "Integration")]
public sealed class OrphanedBakeTests(RegistryFixture registry) : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60); // readiness bound, not a speed assertion
    private readonly TempDirectory _state = new();
    private readonly TestGitRepository _repository = new();
    private readonly FakeDocker _docker = new("hang");

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // buildx run as the plugin binary itself (Builder:BuildxPath), not through docker
    public async Task The_bake_of_a_builder_killed_with_SIGKILL_is_ended_before_the_build_is_queued_again(bool directPlugin)
    {
        var commit = _repository.Commit(new Dictionary<string, string> { ["Dockerfile"] = "FROM scratch\n" });
        var settings = new Dictionary<string, string?>
        {
            ["Builder:StateDirectory"] = _state.Path,
            ["Builder:DockerPath"] = _docker.ExecutablePath,
            ["Builder:Registry"] = registry.Address,
            ["Builder:CancelGracePeriod"] = "00:00:02",
            ["Builder:BuildxPath"] = directPlugin ? _docker.PluginPath : "docker",
        };
        string id;
        using (var services = BuilderServices.Create(_state.Path, settings))
        {
            id = (await services.GetRequiredService<IBuildStore>().SubmitAsync(
                new BuildRequest(_repository.Path, registry.Address, "demo/orphan", commit, "main", true, ["linux/amd64"], "test"), null, CancellationToken.None)).Build.Id;
        }

        // A real builder process picks the build up and starts its bake …
        using var stopServe = new CancellationTokenSource(Bound);
        var serve = CliWrap.Cli.Wrap("dotnet")
            .WithArguments([BuilderProcess.Dll, "serve", "--urls", $"http://127.0.0.1:{TestPorts.FreePort()}"])
            .WithEnvironmentVariables(env =>
            {
                foreach (var (key, value) in settings)
                {
                    env.Set($"POLYARCH_{key.Replace(":", "__", StringComparison.Ordinal)}", value);
                }
            })
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(stopServe.Token);
        await _docker.WaitForEventAsync("started");
        var orphan = _docker.BakePids.ShouldHaveSingleItem();
        _docker.Events.Contains("plugin marker=unset").ShouldBe(directPlugin);
        // The builder records the bake right after starting it; a kill in between (microseconds) would leave it unrecorded.
        await Poll.UntilAsync(() => Task.FromResult(File.Exists(Path.Combine(_state.Path, "builder", "work", id, "bake.process"))), Bound, "the bake's process file");

        // … and is killed without a chance to clean up.
        await CliWrap.Cli.Wrap("kill").WithArguments(["-s", "KILL", "--", serve.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)]).ExecuteAsync();
        await serve;
        FakeDocker.IsRunning(orphan).ShouldBeTrue("the bake outlives a builder killed with SIGKILL");

        // The next builder starts: the orphan is ended, and the build runs again (a new bake).
        using var restarted = new BuilderAppFactory(new Dictionary<string, string?>(settings) { ["Builder:ProcessQueue"] = "true" });
        using var client = restarted.CreateClient();
        await Poll.UntilAsync(() => Task.FromResult(_docker.BakePids.Count >= 2), Bound, "a second bake");

        var seen = $"events: {string.Join(", ", _docker.Events)}; bakes: {string.Join(", ", _docker.BakePids)}";
        FakeDocker.IsRunning(orphan).ShouldBeFalse($"the restarted builder ends the orphaned bake ({seen})");
        _docker.BakePids.Count.ShouldBe(2, seen);
        FakeDocker.IsRunning(_docker.BakePids[1]).ShouldBeTrue(seen);
        (await restarted.Services.GetRequiredService<IBuildStore>().GetAsync(id, CancellationToken.None))!.Attempts.ShouldBe(2);
    }

    public void Dispose()
    {
        // Whatever this test started and left running (an orphan the fix did not end) goes, by pid.
        foreach (var pid in _docker.BakePids.Where(FakeDocker.IsRunning))
        {
            CliWrap.Cli.Wrap("kill").WithArguments(["-s", "KILL", "--", $"-{pid}"]).WithValidation(CommandResultValidation.None).ExecuteAsync().Task.Wait();
            CliWrap.Cli.Wrap("kill").WithArguments(["-s", "KILL", "--", $"{pid}"]).WithValidation(CommandResultValidation.None).ExecuteAsync().Task.Wait();
        }

        _docker.Dispose();
        _repository.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _state.Dispose();
    }
}
