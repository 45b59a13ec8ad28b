using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Docker.DotNet.Models;
using Microsoft.Extensions.DependencyInjection;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.DockerEngine;
using Polyarch.Invoker.Hosting.Rest;
using Polyarch.Invoker.Images;
using Polyarch.Invoker.Tests.Support;
using Polyarch.Invoker.Triggers;
using Polyarch.Registry;
using Polyarch.Registry.Client;
using Polyarch.Registry.References;
using Polyarch.Testing;

namespace Polyarch.Invoker.Tests.Triggers;

/// <summary>
/// Several invokers on one PostgreSQL store (Store:Provider=postgres, a database per test) with the real registry and
/// engine: the registry's notification burst posted to every replica fires each matching rule once, and a replica
/// killed mid-firing leaves the firing to another, which finishes it once.
/// </summary>
[Collection(TriggersCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ReplicaTests(TriggersFixture fixture) : IAsyncLifetime
{
    private static readonly SemaphoreSlim SlowImageLock = new(1, 1);
    private static string? _slowImage;
    private readonly string _stateA = Directory.CreateTempSubdirectory("invoker-replica-a-").FullName;
    private readonly string _stateB = Directory.CreateTempSubdirectory("invoker-replica-b-").FullName;
    private readonly string _instanceA = $"t{TestRun.Id}-rpa{Guid.NewGuid().ToString("N")[..4]}";
    private readonly string _instanceB = $"t{TestRun.Id}-rpb{Guid.NewGuid().ToString("N")[..4]}";
    private PostgresDatabase? _database;

    public async Task InitializeAsync()
    {
        await ContainerHost.EnsureUpAsync();
        _database = await PostgresServer.CreateDatabaseAsync();
    }

    public async Task DisposeAsync()
    {
        var janitor = new DockerJanitor(
            new DockerClientProvider(Microsoft.Extensions.Options.Options.Create(new DockerBackendOptions())),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<DockerJanitor>.Instance);
        await janitor.RemoveInstanceLeftoversAsync(_instanceA, CancellationToken.None);
        await janitor.RemoveInstanceLeftoversAsync(_instanceB, CancellationToken.None);
        Npgsql.NpgsqlConnection.ClearAllPools();
        await _database!.DisposeAsync();
        Directory.Delete(_stateA, recursive: true);
        Directory.Delete(_stateB, recursive: true);
    }

    [Fact]
    public async Task Two_replicas_receiving_the_same_burst_fire_each_matching_rule_once()
    {
        string[] settings = ["--Store:Provider=postgres", $"--Store:ConnectionString={_database!.ConnectionString}"];
        await using var a = await TriggerServer.StartAsync(_stateA, _instanceA, fixture.Registry, settings: settings);
        await using var b = await TriggerServer.StartAsync(_stateB, _instanceB, fixture.Registry, settings: settings);
        var burst = await BurstAsync(a);
        await PutRuleAsync(a.Http, "echo-all", new { repository = "demo/echo", tag = "v*", platforms = new[] { "all" } });
        await PutRuleAsync(b.Http, "echo-arm", new { repository = $"{fixture.Registry}/demo/*", tag = "*", platforms = new[] { "linux/arm64" } });
        await PutRuleAsync(a.Http, "other-repo", new { repository = "demo/other", tag = "*", platforms = new[] { "all" } });

        // Every replica receives every envelope, at the same moment, as a registry notifying both would.
        foreach (var envelope in burst)
        {
            var responses = await Task.WhenAll(a.PostEnvelopeAsync(envelope), b.PostEnvelopeAsync(envelope));
            responses.ShouldAllBe(r => r.IsSuccessStatusCode);
        }

        await a.WaitUntilQuietAsync();
        await b.WaitUntilQuietAsync();
        await a.WaitUntilQuietAsync();

        var firings = await a.FiringsAsync();
        var ids = firings.SelectMany(f => f.Activations.Select(x => x.ActivationId)).ToList();
        var records = await Task.WhenAll(ids.Select(id => a.Services.GetRequiredService<IActivationStore>().GetAsync(id, CancellationToken.None)));
        var invoked = a.Services.GetRequiredService<FiringRunner>().InvokedCount + b.Services.GetRequiredService<FiringRunner>().InvokedCount;

        firings.Select(f => f.Rule).Order().ShouldBe(["echo-all", "echo-arm"]);
        ids.Count.ShouldBe(4);
        invoked.ShouldBe(4, "each reserved activation is invoked once, by one replica");
        records.ShouldAllBe(r => r != null && r.Status == ActivationStatus.Success);
        (await b.FiringsAsync()).Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_replica_killed_mid_firing_leaves_it_to_the_other_which_runs_it_once_after_the_lease()
    {
        var slow = await SlowImageAsync(fixture.Registry);
        var environment = new Dictionary<string, string>
        {
            ["POLYARCH_Store__Provider"] = "postgres",
            ["POLYARCH_Store__ConnectionString"] = _database!.ConnectionString,
            ["POLYARCH_Store__LeaseDuration"] = "00:00:03",
            ["POLYARCH_Triggers__WebhookToken"] = TriggerServer.Token,
            ["POLYARCH_Triggers__DefaultRegistry"] = fixture.Registry,
            ["POLYARCH_Triggers__PollInterval"] = "00:00:00.200",
        };
        await using var a = await InvokerProcess.StartAsync(_stateA, _instanceA, environment);
        await using var b = await InvokerProcess.StartAsync(_stateB, _instanceB, environment);
        (await a.Http.PutAsJsonAsync("/v1/actions/slow", new { image = slow, memoryMb = 64, timeoutMs = 120_000 })).StatusCode.ShouldBe(HttpStatusCode.OK, a.Output);
        await PutRuleAsync(a.Http, "slow-rule", new { repository = "demo/echo", tag = "v*", action = "slow", platforms = new[] { "linux/amd64" } });
        await using var server = await TriggerServer.StartAsync(Path.Combine(_stateB, "catalog"), _instanceA + "c", fixture.Registry, processPushes: false);
        var burst = await BurstAsync(server);

        // Only A hears the registry, but any replica may claim the stored push from the shared store: A's processor is
        // woken by the webhook, B's polls every 200 ms, and on a loaded machine B is sometimes first (CI saw it). So
        // the replica that runs the firing is the one killed.
        foreach (var envelope in burst)
        {
            (await PostEnvelopeAsync(a.Http, envelope)).IsSuccessStatusCode.ShouldBeTrue(a.Output);
        }

        // Created or running: the action runs 4 s, and on a loaded engine one container listing can take seconds.
        var replicas = new[] { (Process: a, State: _stateA, Instance: _instanceA), (Process: b, State: _stateB, Instance: _instanceB) };
        var runner = -1;
        await WaitForAsync(
            async () => (runner = await RunningReplicaAsync([.. replicas.Select(r => r.Instance)])) >= 0, "a replica runs the slow action", a, b);
        var (killedReplica, killedState, killedInstance) = replicas[runner];
        var other = replicas[1 - runner].Process;
        var firing = (await FiringsAsync(other.Http)).Single()!;
        var id = firing["activations"]![0]!["activationId"]!.GetValue<string>();
        await killedReplica.KillAsync();
        var killed = TimeProvider.System.GetUtcNow();

        JsonObject? record = null;
        await WaitForAsync(async () => (record = await RecordAsync(other.Http, id)) is not null, "the other replica finishes the firing the killed one left", other);
        // The killed run never got its record: the other ran the activation again, from the start, after the lease expired.
        var start = DateTimeOffset.Parse(record!["start"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        await Task.Delay(TimeSpan.FromSeconds(8));
        var again = await RecordAsync(other.Http, id);
        await using var restarted = await InvokerProcess.StartAsync(killedState, killedInstance, environment);
        await Task.Delay(TimeSpan.FromSeconds(8));
        var afterRestart = await RecordAsync(other.Http, id);

        record["status"]!.GetValue<string>().ShouldBe(ActivationStatus.Success, record.ToJsonString());
        record["result"]!["slept"]!.GetValue<int>().ShouldBe(4);
        start.ShouldBeGreaterThan(killed);
        again!["start"]!.GetValue<string>().ShouldBe(record["start"]!.GetValue<string>(), "nothing runs again after completion");
        afterRestart!["start"]!.GetValue<string>().ShouldBe(record["start"]!.GetValue<string>(), "a restarted replica does not run a completed firing");
        (await FiringsAsync(other.Http)).Count.ShouldBe(1);
    }

    /// <summary>The index of the first instance with an action container created or running, or -1.</summary>
    private static async Task<int> RunningReplicaAsync(string[] instances)
    {
        for (var i = 0; i < instances.Length; i++)
        {
            if ((await ContainersAsync(instances[i])).Any(c => c.State is "created" or "running"))
            {
                return i;
            }
        }

        return -1;
    }

    private static async Task<string> SlowImageAsync(string registry)
    {
        await SlowImageLock.WaitAsync();
        try
        {
            if (_slowImage is null)
            {
                var files = new Dictionary<string, string>
                {
                    ["slow"] = """
                        #!/bin/sh
                        # A slow action: long enough to kill its invoker while it runs.
                        sleep 4
                        echo '{"slept":4}'
                        """,
                    ["Dockerfile"] = $"""
                        FROM {HostSettings.BaseImage}
                        COPY --chmod=755 slow /slow
                        LABEL io.polyarch.action.protocol="exec"
                        ENTRYPOINT ["/slow"]
                        """,
                };
                var image = $"{registry}/demo/slow:test";
                await Buildx.BuildAndPushAsync(Buildx.CreateContext(files), image, ["linux/amd64"]);
                _slowImage = image;
            }

            return _slowImage;
        }
        finally
        {
            SlowImageLock.Release();
        }
    }

    private static async Task<JsonObject?> RecordAsync(HttpClient http, string id)
    {
        using var response = await http.GetAsync($"/v1/activations/{id}");
        return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<JsonObject>() : null;
    }

    private static async Task<JsonArray> FiringsAsync(HttpClient http) => (await http.GetFromJsonAsync<JsonArray>("/v1/firings"))!;

    private static async Task<HttpResponseMessage> PostEnvelopeAsync(HttpClient http, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, RegistryWebhookEndpoint.Path) { Content = new StringContent(json) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.docker.distribution.events.v1+json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TriggerServer.Token);
        return await http.SendAsync(request);
    }

    private static async Task<IList<ContainerListResponse>> ContainersAsync(string instance)
    {
        using var docker = ContainerHost.CreateDockerClient();
        return await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{ImageLabels.Instance}={instance}"] = true } },
        });
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what, params InvokerProcess[] processes)
    {
        for (var i = 0; i < 600 && !await condition(); i++)
        {
            await Task.Delay(200);
        }

        (await condition()).ShouldBeTrue($"{what}: not within 2 minutes\n{string.Join("\n---\n", processes.Select(p => p.Output))}");
    }

    private static async Task PutRuleAsync(HttpClient http, string name, object rule)
    {
        var response = await http.PutAsJsonAsync($"/v1/rules/{name}", rule);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private async Task<IReadOnlyList<string>> BurstAsync(TriggerServer server)
    {
        // The recorded burst pushed demo/echo:v2; the tag must point at the index the rewritten burst names.
        var services = new ServiceCollection().AddLogging().AddPolyarchRegistry().BuildServiceProvider();
        await using (services)
        {
            var client = services.GetRequiredService<IRegistryClient>();
            var source = ImageReference.Parse(fixture.EchoImage);
            var manifest = (await client.GetManifestAsync(source))!;
            await client.PutManifestAsync(source.WithTag("v2"), manifest.Content, manifest.MediaType);
        }

        var image = await server.Services.GetRequiredService<IVariantCatalog>().GetAsync(fixture.EchoImage, CancellationToken.None);
        return NotificationBurst.Envelopes(fixture.Registry, image.IndexDigest);
    }
}
