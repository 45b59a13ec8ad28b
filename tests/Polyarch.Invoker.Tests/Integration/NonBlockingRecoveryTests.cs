using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Docker.DotNet.Models;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.DockerEngine;
using Polyarch.Invoker.Hosting;
using Polyarch.Invoker.Images;
using Polyarch.Invoker.State;
using Polyarch.Invoker.Tests.Support;
using Polyarch.Testing;
using Polyarch.Testing.Hosting;

namespace Polyarch.Invoker.Tests.Integration;

/// <summary>Accepted non-blocking invocations survive kill -9 of a real `polyarch-invoker serve`: every id ends in a record.</summary>
[Collection(InvokerEngineCollection.Name)]
[Trait("Category", "Integration")]
public sealed class NonBlockingRecoveryTests(InvokerEngineFixture fixture) : IAsyncLifetime
{
    private readonly string _state = Directory.CreateTempSubdirectory("invoker-recovery-").FullName;
    private readonly string _instance = $"t{TestRun.Id}-recovery";

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await Engine.RemoveContainersLabelledAsync($"{ImageLabels.Instance}={_instance}");

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_state, recursive: true);
    }

    [Fact]
    public async Task Kill9_with_nonblocking_activations_in_flight_every_id_ends_in_a_record_after_restart()
    {
        string[] running;
        await using (var first = await InvokerProcess.StartAsync(_state, _instance))
        {
            (await first.Http.PutAsJsonAsync("/v1/actions/slow", new { image = fixture.HttpFaultsImage, memoryMb = 64, timeoutMs = 120_000 }))
                .StatusCode.ShouldBe(HttpStatusCode.OK, first.Output);
            (await first.Http.PutAsJsonAsync("/v1/actions/echo", new { image = fixture.EchoImage, memoryMb = 64 }))
                .StatusCode.ShouldBe(HttpStatusCode.OK, first.Output);

            running = await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
            {
                var accepted = await first.Http.PostAsJsonAsync("/v1/actions/slow/invocations?blocking=false", new { mode = "timeout" });
                accepted.StatusCode.ShouldBe(HttpStatusCode.Accepted, first.Output);
                return (await accepted.Content.ReadFromJsonAsync<JsonObject>())!["activationId"]!.GetValue<string>();
            }));

            // In flight for real: each has its container running the action, and the invoker says "running".
            await WaitUntilAsync(async () => (await ContainersAsync()).Count(c => c.State == "running") == 3, "three running action containers", () => first.Output);
            await Task.Delay(TimeSpan.FromSeconds(1));
            foreach (var id in running)
            {
                var status = await first.Http.GetAsync($"/v1/activations/{id}");
                status.StatusCode.ShouldBe(HttpStatusCode.Accepted, first.Output);
                (await status.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>().ShouldBe("running");
            }

            await first.KillAsync();
        }

        // Accepted just before the kill, never taken up: as the 202 left it in the database.
        var neverStarted = ActivationId.New();
        using (var database = new InvokerDatabase(Path.Combine(_state, "invoker.db")))
        {
            await new AcceptedActivationStore(database, TimeProvider.System).AddAsync(
                new AcceptedActivation(neverStarted, "echo", new JsonObject { ["z"] = 3 }, "linux/amd64", AcceptedActivation.Pending, DateTimeOffset.UnixEpoch),
                CancellationToken.None);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        await using var second = await InvokerProcess.StartAsync(_state, _instance);

        foreach (var id in running)
        {
            var response = await second.Http.GetAsync($"/v1/activations/{id}");
            response.StatusCode.ShouldBe(HttpStatusCode.OK, second.Output);
            var record = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            record["status"]!.GetValue<string>().ShouldBe(ActivationStatus.SystemError, record.ToJsonString());
            record["result"]!["error"]!.GetValue<string>().ShouldContain("the invoker stopped while this activation ran", Case.Insensitive);
            record["action"]!.GetValue<string>().ShouldBe("slow");
        }

        JsonObject? rerun = null;
        await WaitUntilAsync(async () =>
        {
            var response = await second.Http.GetAsync($"/v1/activations/{neverStarted}");
            response.StatusCode.ShouldBeOneOf(HttpStatusCode.Accepted, HttpStatusCode.OK);
            rerun = response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<JsonObject>() : null;
            return rerun is not null;
        }, "the never-started activation's record", () => second.Output);
        rerun!["status"]!.GetValue<string>().ShouldBe(ActivationStatus.Success, rerun.ToJsonString());
        rerun["result"]!["params"]!["z"]!.GetValue<int>().ShouldBe(3);

        // The killed run's containers are gone (start-up clean-up by io.polyarch.instance).
        (await ContainersAsync()).ShouldNotContain(c => c.Labels[ImageLabels.Action] == "slow");
    }

    [Fact]
    public async Task Stopping_serve_with_a_nonblocking_activation_running_records_why_before_it_exits()
    {
        var app = ServeCommand.Build(
            [$"--Invoker:InstanceId={_instance}", $"--Invoker:StateDirectory={_state}", $"--Docker:ExtraLabels:{TestRun.LabelKey}={TestRun.Id}"],
            "http://127.0.0.1:0");
        await app.StartAsync();
        string id;
        try
        {
            var address = app.ListeningAddress();
            using var http = new HttpClient { BaseAddress = new Uri(address) };
            await http.PutAsJsonAsync("/v1/actions/slow", new { image = fixture.HttpFaultsImage, memoryMb = 64, timeoutMs = 120_000 });
            var accepted = await http.PostAsJsonAsync("/v1/actions/slow/invocations?blocking=false", new { mode = "timeout" });
            id = (await accepted.Content.ReadFromJsonAsync<JsonObject>())!["activationId"]!.GetValue<string>();
            // Running for real: the invoker took it up (its status says so) and the action itself runs — its /run handler
            // sleeps in the container — not only the container's start or /init, which a stop cancels another way.
            await WaitUntilAsync(
                async () => (await http.GetFromJsonAsync<JsonObject>($"/v1/activations/{id}"))!["status"]?.GetValue<string>() == "running"
                    && await RunHandlerSleepsAsync(),
                $"activation {id} running in its container");
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        using var database = new InvokerDatabase(Path.Combine(_state, "invoker.db"));
        var record = await new DbActivationStore(database).GetAsync(id, CancellationToken.None);
        var left = await new AcceptedActivationStore(database, TimeProvider.System).ListAsync(CancellationToken.None);

        record.ShouldNotBeNull($"no record; accepted rows left: {string.Join(", ", left.Select(l => $"{l.ActivationId} {l.State}"))}");
        record.Status.ShouldBe(ActivationStatus.SystemError);
        record.Result!["error"]!.GetValue<string>().ShouldContain("the invoker stopped while this activation ran", Case.Insensitive);
        left.ShouldBeEmpty();
        // Its container (the action may still run in it) was removed before serve exited, not left to the next start.
        (await ContainersAsync()).ShouldNotContain(c => c.Labels[ImageLabels.Action] == "slow", "the cancelled activation's container should be removed as serve stops");
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, Func<string>? output = null)
    {
        for (var i = 0; i < 600; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Waited 60 s for {what}.\n{output?.Invoke()}");
    }

    /// <summary>Whether the action's container runs the http-faults handler's `sleep 600` (its "timeout" mode inside /run).</summary>
    private async Task<bool> RunHandlerSleepsAsync()
    {
        using var docker = ContainerHost.CreateDockerClient();
        foreach (var container in (await ContainersAsync()).Where(c => c.State == "running" && c.Labels[ImageLabels.Action] == "slow"))
        {
            var top = await docker.Containers.ListProcessesAsync(container.ID, new ContainerListProcessesParameters());
            if (top.Processes.Any(p => p.Any(column => column.Contains("sleep 600", StringComparison.Ordinal))))
            {
                return true;
            }
        }

        return false;
    }

    private async Task<IList<ContainerListResponse>> ContainersAsync()
    {
        using var docker = ContainerHost.CreateDockerClient();
        return await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{ImageLabels.Instance}={_instance}"] = true },
            },
        });
    }
}
