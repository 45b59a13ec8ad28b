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
/// Two `polyarch-builder serve` replicas on one PostgreSQL store: every push delivered to both is built once. The bake is the
/// fake docker (hanging like a long build), so the test counts bakes, not images.
/// </summary>
[Collection(BuildCollection.Name)]
[Trait("Category", "Integration")]
#pragma warning disable CA1001 // Disposed in IAsyncLifetime.DisposeAsync.
public sealed class ReplicaTests(RegistryFixture registry) : IAsyncLifetime
#pragma warning restore CA1001
{
    private const int Pushes = 10;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90); // readiness bound, not a speed assertion
    private readonly TempDirectory _sources = new("polyarch-git-daemon-");
    private readonly TestGitRepository _repository = new();
    private readonly FakeDocker _docker = new("hang");
    private readonly List<TempDirectory> _states = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<CommandTask<CommandResult>> _processes = [];
    private PostgresDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgresServer.CreateDatabaseAsync();

    [Fact]
    public async Task Pushes_delivered_to_two_replicas_are_each_built_exactly_once()
    {
        var commits = new Dictionary<string, string>();
        _repository.Commit(new Dictionary<string, string> { ["README"] = "replicas\n" });
        for (var i = 0; i < Pushes; i++)
        {
            _repository.Switch($"b{i}");
            commits[$"b{i}"] = _repository.Commit(new Dictionary<string, string> { ["Dockerfile"] = $"FROM scratch\nLABEL n={i}\n" });
        }

        var gitPort = TestPorts.FreePort();
        var repositoryUrl = $"git://127.0.0.1:{gitPort}/{Path.GetFileName(_repository.Path)}";
        _processes.Add(CliWrap.Cli.Wrap("git")
            .WithArguments(["daemon", "--reuseaddr", "--listen=127.0.0.1", $"--port={gitPort}", "--export-all",
                $"--base-path={Path.GetDirectoryName(_repository.Path)}", _repository.Path])
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(_stop.Token));
        var replicas = new[] { await StartReplicaAsync(gitPort), await StartReplicaAsync(gitPort) };

        // The git host delivers every push to both replicas (a load balancer retrying, or a webhook per replica), at once.
        using var http = new HttpClient();
        var deliveries = commits.SelectMany(push => replicas.Select(async url =>
        {
            var body = Push(repositoryUrl, push.Key, push.Value);
            using var request = WebhookPayloads.GitHub(body, delivery: $"delivery-{push.Key}");
            request.RequestUri = new Uri(url + "/v1/hooks/git");
            using var response = await http.SendAsync(request);
            response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        }));
        await Task.WhenAll(deliveries);

        using var services = BuilderServices.Create(_sources.Path, new Dictionary<string, string?>
        {
            ["Store:Provider"] = "postgres",
            ["Store:ConnectionString"] = _database.ConnectionString,
        });
        var store = services.GetRequiredService<IBuildStore>();
        await Poll.UntilAsync(
            async () => _docker.BakePids.Count >= Pushes
                && (await store.ListAsync(100, CancellationToken.None)).All(b => b.Status == BuildStatus.Running),
            Bound,
            $"{Pushes} bakes running, one per build");
        await Task.Delay(TimeSpan.FromSeconds(3)); // Time for a wrong second claim to show.

        var builds = await store.ListAsync(100, CancellationToken.None);
        var bakes = _docker.Calls.Where(c => c.StartsWith("CALL <buildx> <bake>", StringComparison.Ordinal)).ToList();
        builds.Count.ShouldBe(Pushes);
        builds.Select(b => b.Request.Commit).ToHashSet().SetEquals(commits.Values).ShouldBeTrue();
        builds.ShouldAllBe(b => b.Attempts == 1);
        bakes.Count.ShouldBe(Pushes, string.Join('\n', bakes));
        foreach (var build in builds)
        {
            bakes.Count(c => c.Contains($":polyarch-build-{build.Id}>", StringComparison.Ordinal)).ShouldBe(1, $"build {build.Id}");
        }
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var process in _processes)
        {
            try
            {
                await process;
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        }

        foreach (var pid in _docker.BakePids.Where(FakeDocker.IsRunning))
        {
            await CliWrap.Cli.Wrap("kill").WithArguments(["-s", "KILL", "--", $"{pid}"]).WithValidation(CommandResultValidation.None).ExecuteAsync();
        }

        await _database.DisposeAsync();
        _docker.Dispose();
        _repository.Dispose();
        _sources.Dispose();
        _states.ForEach(s => s.Dispose());
        _stop.Dispose();
    }

    private async Task<string> StartReplicaAsync(int gitPort)
    {
        var state = new TempDirectory();
        _states.Add(state);
        var url = $"http://127.0.0.1:{TestPorts.FreePort()}";
        var settings = new Dictionary<string, string?>
        {
            ["POLYARCH_STATE_DIR"] = state.Path,
            ["POLYARCH_Builder__StateDirectory"] = state.Path,
            ["POLYARCH_Builder__DockerPath"] = _docker.ExecutablePath,
            ["POLYARCH_Builder__Registry"] = registry.Address,
            ["POLYARCH_Builder__Platforms__0"] = "linux/amd64",
            ["POLYARCH_Builder__Concurrency"] = Pushes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["POLYARCH_Builder__CancelGracePeriod"] = "00:00:02",
            ["POLYARCH_Builder__Webhooks__Secret"] = BuilderAppFactory.Secret,
            ["POLYARCH_Builder__Allowlist__0__UrlPattern"] = $"git://127.0.0.1:{gitPort}/*",
            ["POLYARCH_Builder__Allowlist__0__Repository"] = "replicas/{name}",
            ["POLYARCH_Store__Provider"] = "postgres",
            ["POLYARCH_Store__ConnectionString"] = _database.ConnectionString,
        };
        _processes.Add(CliWrap.Cli.Wrap("dotnet")
            .WithArguments([BuilderProcess.Dll, "serve", "--urls", url])
            .WithEnvironmentVariables(settings)
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(CancellationToken.None, _stop.Token));
        using var http = new HttpClient();
        await Poll.UntilAsync(
            async () =>
            {
                // /healthz: the process answers (its /readyz also needs a real engine; this one drives a fake docker).
                using var response = await http.GetAsync(url + "/healthz");
                return response.IsSuccessStatusCode;
            },
            Bound,
            $"the builder replica on {url} to answer");
        return url;
    }

    private static string Push(string repositoryUrl, string branch, string commit) => $$"""
        {
          "ref": "refs/heads/{{branch}}",
          "before": "0000000000000000000000000000000000000000",
          "after": "{{commit}}",
          "deleted": false,
          "repository": { "full_name": "team/echo", "clone_url": "{{repositoryUrl}}", "default_branch": "main" },
          "pusher": { "name": "octo" }
        }
        """;
}
