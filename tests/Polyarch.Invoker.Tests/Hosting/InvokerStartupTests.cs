using Microsoft.Extensions.DependencyInjection;
using Polyarch.Invoker.DockerEngine;
using Polyarch.Invoker.Hosting;
using Polyarch.Invoker.Tests.Triggers;
using Polyarch.Invoker.Triggers;
using Polyarch.Testing;

namespace Polyarch.Invoker.Tests.Hosting;

/// <summary>What `serve` does before it takes requests, so the first push or invocation does not wait for it (issue 18, P7).</summary>
[Trait("Category", "Integration")] // the Docker engine's inventory (GET /info) and InvokerStartup's clean-up need the engine.
public sealed class InvokerStartupTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("invoker-startup-").FullName;

    [Fact]
    public async Task Serve_reads_the_backend_inventory_at_start_up_not_on_the_first_activation()
    {
        await using var server = await TriggerServer.StartAsync(_state, $"t{TestRun.Id}-startup", HostSettings.Registry, processPushes: false);

        // No request has been made: only start-up can have read it. Before, the first activation read it on its path
        // (the engine's GET /info: 0.1–0.5 s of the first push's event → start).
        server.Services.GetRequiredService<DockerInventoryProvider>().IsRead.ShouldBeTrue(
            "serve should read the backend's inventory at start-up, off the first activation's path");
    }

    [Fact]
    public async Task Serve_runs_the_push_paths_database_steps_at_start_up_and_writes_nothing()
    {
        await using var server = await TriggerServer.StartAsync(_state, $"t{TestRun.Id}-startup", HostSettings.Registry, processPushes: false);

        // app.StartAsync returned: the server listens, so /readyz can answer; the steps must have run before it.
        server.Services.GetRequiredService<PushPathWarmUp>().Steps.ShouldBe(
            ["pushes.add", "registries.list", "pushes.pending", "rules.list", "firings.exists", "activations.get"],
            "serve should run the first push's database steps at start-up, off that push's event → start (P7)");
        (await server.Services.GetRequiredService<PushStore>().ListAsync(10, CancellationToken.None)).ShouldBeEmpty("the warm-up stores no push");
        (await server.Services.GetRequiredService<FiringStore>().ListAsync(CancellationToken.None)).ShouldBeEmpty("the warm-up stores no firing");
    }

    [Fact]
    public async Task Serve_reads_each_accepted_registry_once_off_the_start_up_path_so_the_first_push_finds_its_clients_ready()
    {
        await using var server = await TriggerServer.StartAsync(_state, $"t{TestRun.Id}-startup", HostSettings.Registry, processPushes: false);
        var warmUp = server.Services.GetRequiredService<PushPathWarmUp>();

        // In the background after start-up: the manifests and the blobs client each read something that is not there.
        await Poll.UntilAsync(() => Task.FromResult(warmUp.RegistrySteps.Count > 0), TimeSpan.FromSeconds(60), "serve's registry warm-up");

        warmUp.RegistrySteps.ShouldBe([$"manifest {HostSettings.Registry}", $"blob {HostSettings.Registry}"],
            "serve should read the default registry once through each client after start-up, off the first push's clock (P7)");
    }

    [Fact]
    public async Task Serve_raises_the_thread_pools_floor_so_blocking_store_calls_do_not_stall_every_request()
    {
        await using var server = await TriggerServer.StartAsync(_state, $"t{TestRun.Id}-startup", HostSettings.Registry, processPushes: false);

        // The default floor is one worker per core: two blocking SQLite calls on this 2-core host stalled P7 by ~0.5 s.
        ThreadPool.GetMinThreads(out var workers, out _);
        workers.ShouldBeGreaterThanOrEqualTo(ServeCommand.MinWorkerThreads, "serve should let the pool add workers at once, not one per half second");
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_state, recursive: true);
    }
}
