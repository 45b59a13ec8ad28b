using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.DockerEngine;
using Polyarch.Invoker.Images;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Placement;
using Polyarch.Invoker.Pool;
using Polyarch.Invoker.Testing.Fakes;

namespace Polyarch.Invoker.DockerEngine.Tests;

/// <summary>Issue 12 items 2 and 3 on the core and the Docker backend: load ranking, accelerators, notes at creation.</summary>
public sealed class AcceleratorAndRankingTests
{
    // Three native platforms (as on a big multi-arch host), so only the ranking's other keys decide.
    private static readonly BackendInventory Three = new(
        "docker", "node1", [new("linux/amd64", false), new("linux/arm64", false), new("linux/ppc64le", false)], Gpus: 2, MemoryBytes: 8L << 30, Cpus: 4);

    private static readonly ImageVariants Image = new("reg/demo/echo:latest", "reg/demo/echo", "sha256:index",
    [
        new VariantInfo("linux/amd64", "sha256:a", new Dictionary<string, string>()),
        new VariantInfo("linux/arm64", "sha256:b", new Dictionary<string, string>()),
        new VariantInfo("linux/ppc64le", "sha256:c", new Dictionary<string, string>()),
    ]);

    private static readonly ActionDefinition Echo = new() { Name = "echo", Image = "reg/demo/echo:latest" };

    [Fact]
    public void Rank_puts_a_candidate_with_an_idle_warm_container_first_and_one_whose_pool_is_full_last()
    {
        var request = PlacementRequest.For(Echo, null);

        var ranking = PlacementEngine.Rank(Image, Three, request, d => d.Variant.Platform switch
        {
            "linux/amd64" => PoolLoad.Full,
            "linux/ppc64le" => PoolLoad.Idle,
            _ => PoolLoad.Available,
        });

        ranking.Decisions.Select(d => d.Variant.Platform).ShouldBe(["linux/ppc64le", "linux/arm64", "linux/amd64"]);
        PlacementEngine.Rank(Image, Three, request).Decisions[0].Variant.Platform.ShouldBe("linux/amd64", "without load: index order");
    }

    [Fact]
    public async Task An_idle_warm_container_in_the_pool_changes_the_invokers_choice()
    {
        var time = new FakeTimeProvider();
        await using var pool = new WarmPool(Options.Create(new WarmPoolOptions { MaxContainersPerKey = 1 }), time, NullLogger<WarmPool>.Instance);
        var backend = new RecordingBackend(Three);
        var invoker = new ActionInvoker(new OneAction(Echo), new NoRecords(), new OneImage(Image), backend, time, Options.Create(new InvokerOptions()), NullLogger<ActionInvoker>.Instance, pool);

        // Leave one idle container under the key the arm64 candidate would use, and keep ppc64le's key full (busy).
        var arm64 = PlacementEngine.Rank(Image, Three, PlacementRequest.For(Echo, null)).Decisions.Single(d => d.Variant.Platform == "linux/arm64");
        var key = PoolKey.For(Echo.Name, "linux/arm64", "sha256:b", arm64.Requirements, 8080, Echo.Environment);
        pool.Release(await pool.AcquireAsync(key, _ => Task.FromResult<IWarmContainer>(new FakeContainer("warm-arm64")), CancellationToken.None), reusable: true);

        await invoker.InvokeAsync(new InvocationRequest(Echo.Name, []), CancellationToken.None);

        backend.Ran.ShouldHaveSingleItem().ShouldBe("linux/arm64");
        pool.LoadOf(key).ShouldBe(PoolLoad.Idle);
    }

    [Fact]
    public void Docker_gives_a_gpu_action_a_device_request_with_count_and_capabilities()
    {
        var decision = PlacementEngine.Place(Image, Three, PlacementRequest.For(Echo with { Gpus = 2 }, "linux/amd64"));
        var context = new ActivationContext("0123456789abcdef0123456789abcdef", Echo with { Gpus = 2 }, Image, decision, ActionProtocol.Exec, 8080, [], DateTimeOffset.UnixEpoch);

        var spec = ContainerSpecFactory.Create(context, new DockerBackendOptions(), "inv1", ["{}"]);

        var device = spec.HostConfig!.DeviceRequests.ShouldHaveSingleItem();
        device.Count.ShouldBe(2);
        device.Capabilities.ShouldHaveSingleItem().ShouldBe(["gpu"]);
    }

    [Fact]
    public void Docker_refuses_an_action_asking_for_tpus_with_a_why_not_row_per_candidate()
    {
        var error = Should.Throw<PlacementException>(() => PlacementEngine.Rank(Image, Three, PlacementRequest.For(Echo with { Tpus = 1 }, null)));

        error.Candidates.Count.ShouldBe(3);
        error.Candidates.ShouldAllBe(c => c.Reason.Contains("requires 1 TPU(s) (the action's tpus) but the docker backend has none: TPUs (google.com/tpu) run on Kubernetes nodes only"));
    }

    [Theory]
    [InlineData(0, "Tesla-T4", 0, "GPU product 'Tesla-T4' needs GPUs: add --gpus 1")]
    [InlineData(1, "Tesla T4", 0, "GPU product 'Tesla T4' is not a Kubernetes label value")]
    [InlineData(1, null, 65, "TPUs 65 is out of range: use 0-64.")]
    [InlineData(1, null, -1, "TPUs -1 is out of range")]
    public void Accelerator_requests_are_validated_at_the_edge(int gpus, string? product, int tpus, string expected) =>
        ActionValidator.Validate(Echo with { Gpus = gpus, GpuProduct = product, Tpus = tpus }).ShouldHaveSingleItem().ShouldContain(expected);

    [Fact]
    public void A_good_accelerator_action_is_valid() =>
        ActionValidator.Validate(Echo with { Gpus = 1, GpuProduct = "NVIDIA-A100-SXM4-40GB", Tpus = 4 }).ShouldBeEmpty();

    [Fact]
    public void Data_locality_gpu_product_and_tpus_on_docker_are_warnings_at_creation_and_nothing_on_kubernetes()
    {
        var action = Echo with
        {
            Gpus = 1,
            GpuProduct = "Tesla-T4",
            Tpus = 1,
            Placement = new ActionPlacement { DataLocality = [new DataLocalityPreference { Label = "polyarch.io/dataset", Value = "sales" }] },
        };

        var notes = ActionValidator.Notes(action, "docker");

        notes.Count.ShouldBe(3);
        notes[0].ShouldContain("data locality (--prefer-node polyarch.io/dataset=sales) applies to Kubernetes only");
        notes[1].ShouldContain("the GPU product Tesla-T4 applies to Kubernetes only");
        notes[2].ShouldContain("TPUs run on Kubernetes only");
        ActionValidator.Notes(action, "kubernetes").ShouldBeEmpty();
        ActionValidator.Notes(Echo, "docker").ShouldBeEmpty();
    }

    private sealed class RecordingBackend(BackendInventory inventory) : IActionBackend
    {
        public List<string> Ran { get; } = [];

        public string Name => "docker";

        public Task<BackendInventory> GetInventoryAsync(CancellationToken cancellationToken) => Task.FromResult(inventory);

        public Task<BackendRun> RunAsync(ActivationContext context, CancellationToken cancellationToken)
        {
            Ran.Add(context.Decision.Variant.Platform);
            return Task.FromResult(new BackendRun("success", new System.Text.Json.Nodes.JsonObject(), [], false, false, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero));
        }

        public Task PrewarmAsync(ActivationContext context, int count, CancellationToken cancellationToken) => Task.CompletedTask;

        public bool IsBackendFailure(Exception exception) => false;
    }

    private sealed class OneAction(ActionDefinition action) : IActionStore
    {
        public Task PutAsync(ActionDefinition definition, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<ActionDefinition?> GetAsync(string name, CancellationToken cancellationToken) => Task.FromResult(name == action.Name ? action : null);

        public Task<IReadOnlyList<ActionDefinition>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ActionDefinition>>([action]);

        public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) => Task.FromResult(false);
    }

    private sealed class OneImage(ImageVariants image) : IVariantCatalog
    {
        public Task<ImageVariants> GetAsync(string reference, CancellationToken cancellationToken) => Task.FromResult(image);
    }

    private sealed class NoRecords : Polyarch.Invoker.Activations.IActivationStore
    {
        public Task SaveAsync(Polyarch.Invoker.Activations.ActivationRecord record, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<Polyarch.Invoker.Activations.ActivationRecord?> GetAsync(string activationId, CancellationToken cancellationToken) =>
            Task.FromResult<Polyarch.Invoker.Activations.ActivationRecord?>(null);

        public Task<IReadOnlyList<Polyarch.Invoker.Activations.ActivationRecord>> ListAsync(string? action, int limit, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<Polyarch.Invoker.Activations.ActivationRecord>>([]);
    }
}
