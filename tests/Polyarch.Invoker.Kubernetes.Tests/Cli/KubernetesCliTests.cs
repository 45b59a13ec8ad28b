using System.Text;
using CliWrap;
using CliWrap.Buffered;
using k8s;
using k8s.Models;
using Polyarch.Invoker.Kubernetes.Tests.Support;

namespace Polyarch.Invoker.Kubernetes.Tests.Cli;

/// <summary>The real polyarch-invoker executable with --backend kubernetes against the API-server double.</summary>
public sealed class KubernetesCliTests : IAsyncLifetime
{
    private readonly string _state = Directory.CreateTempSubdirectory("polyarch-k8s-cli-").FullName;
    private ApiServerDouble.ApiServerDouble _server = null!;

    public async Task InitializeAsync() => _server = await MixedCluster.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_state, recursive: true);
    }

    [Fact]
    public async Task Platforms_with_the_kubernetes_backend_groups_the_nodes_by_platform()
    {
        var result = await RunAsync("platforms", "--backend", "kubernetes");

        result.ExitCode.ShouldBe(0, result.StandardError);
        var lines = result.StandardOutput.Split('\n');
        lines.ShouldContain("linux/amd64: 2 of 2 nodes schedulable");
        lines.ShouldContain(l => l.Contains("amd64-gpu", StringComparison.Ordinal) && l.Contains("gpu=1", StringComparison.Ordinal)
            && l.Contains("nvidia.com/gpu.product=Tesla-T4", StringComparison.Ordinal) && l.Contains("taints=nvidia.com/gpu=present:NoSchedule", StringComparison.Ordinal));
        lines.ShouldContain(l => l.Contains("amd64-1", StringComparison.Ordinal) && l.Contains("polyarch.io/dataset=sales", StringComparison.Ordinal));
        lines.ShouldContain("linux/ppc64le: 1 of 1 nodes schedulable");
    }

    [Fact]
    public async Task Platforms_says_the_cluster_is_unavailable_with_exit_code_3()
    {
        var kubeconfig = Path.Combine(_state, "missing-kubeconfig");

        var result = await RunWithKubeconfigAsync(kubeconfig, "platforms", "--backend", "kubernetes");

        result.ExitCode.ShouldBe(3, result.StandardOutput + result.StandardError);
        result.StandardError.ShouldContain("missing-kubeconfig");
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task Invoke_dry_run_prints_the_pod_it_would_create_and_creates_nothing()
    {
        // Resolves 127.0.0.1:5000/demo/echo:latest in the host's registry (./scripts/host.sh up; docker buildx bake --push echo).
        var result = await RunAsync("invoke", "127.0.0.1:5000/demo/echo:latest", "--platform", "linux/arm64", "--backend", "kubernetes", "--dry-run", "--output", "yaml", "-p", "x=1");

        result.ExitCode.ShouldBe(0, result.StandardError + " (needs the host registry with demo/echo: ./scripts/host.sh up && docker buildx bake --push echo)");
        var pod = KubernetesYaml.Deserialize<V1Pod>(result.StandardOutput);
        pod.Spec.Containers[0].Image.ShouldStartWith("127.0.0.1:5000/demo/echo@sha256:");
        pod.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms[0].MatchExpressions
            .Single(e => e.Key == "kubernetes.io/arch").Values.ShouldBe(["arm64"]);
        pod.Metadata.Labels["io.polyarch.managed"].ShouldBe("true");
        _server.Calls.ShouldNotContain(c => c.Method == "POST", "a dry run creates nothing");

        var json = await RunAsync("invoke", "127.0.0.1:5000/demo/echo:latest", "--platform", "linux/arm64", "--backend", "kubernetes", "--dry-run", "--output", "json");
        json.ExitCode.ShouldBe(0, json.StandardError);
        KubernetesJson.Deserialize<V1Pod>(json.StandardOutput).Spec.Containers[0].Image.ShouldBe(pod.Spec.Containers[0].Image);
    }

    [Fact]
    public async Task Actions_create_rejects_invalid_data_locality_wishes_with_every_reason_and_exit_code_2()
    {
        var result = await RunAsync("actions", "create", "near-data", "--image", "127.0.0.1:5000/demo/echo:latest",
            "--prefer-node", "bad key=sales:80", "--prefer-node", "polyarch.io/dataset=sales:500");

        result.ExitCode.ShouldBe(2, result.StandardOutput + result.StandardError);
        result.StandardError.ShouldContain("Data locality 'bad key=sales': the label key 'bad key' is not a Kubernetes label key");
        result.StandardError.ShouldContain("Data locality 'polyarch.io/dataset=sales': weight 500 is out of range: use 1-100");
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task Invoke_dry_run_shows_the_actions_data_locality_as_weighted_preferred_node_affinity()
    {
        // Resolves 127.0.0.1:5000/demo/echo:latest in the host's registry (./scripts/host.sh up; docker buildx bake --push echo).
        var created = await RunAsync("actions", "create", "near-sales", "--image", "127.0.0.1:5000/demo/echo:latest",
            "--prefer-node", "polyarch.io/dataset=sales:80", "--prefer-node", "topology.kubernetes.io/zone=zone-a");
        created.ExitCode.ShouldBe(0, created.StandardError);

        var result = await RunAsync("invoke", "near-sales", "--platform", "linux/amd64", "--backend", "kubernetes", "--dry-run", "--output", "yaml");

        result.ExitCode.ShouldBe(0, result.StandardError + " (needs the host registry with demo/echo: ./scripts/host.sh up && docker buildx bake --push echo)");
        var terms = KubernetesYaml.Deserialize<V1Pod>(result.StandardOutput).Spec.Affinity.NodeAffinity.PreferredDuringSchedulingIgnoredDuringExecution;
        terms.Select(t => (t.Weight, t.Preference.MatchExpressions.Single().Key, t.Preference.MatchExpressions.Single().Values.Single()))
            .ShouldBe([(80, "polyarch.io/dataset", "sales"), (50, "topology.kubernetes.io/zone", "zone-a")], ignoreOrder: true);
        _server.Calls.ShouldNotContain(c => c.Method == "POST", "a dry run creates nothing");
    }

    private Task<BufferedCommandResult> RunAsync(params string[] arguments) => RunWithKubeconfigAsync(_server.KubeconfigPath, arguments);

    private async Task<BufferedCommandResult> RunWithKubeconfigAsync(string kubeconfig, params string[] arguments)
    {
        var assembly = Path.Combine(AppContext.BaseDirectory, "polyarch-invoker.dll");
        return await CliWrap.Cli.Wrap("dotnet")
            .WithArguments([assembly, .. arguments])
            .WithEnvironmentVariables(env => env
                .Set("POLYARCH_STATE_DIR", _state)
                .Set("POLYARCH_Invoker__StateDirectory", _state)
                .Set("POLYARCH_Kubernetes__Kubeconfig", kubeconfig)
                .Set("KUBECONFIG", kubeconfig))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8, TestTimeout.Token(TestTimeout.Process));
    }
}
