using System.Text.Json.Nodes;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Images;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Kubernetes.ApiServerDouble;
using Polyarch.Invoker.Kubernetes.Integration;
using Polyarch.Invoker.Kubernetes.Lifecycle;
using Polyarch.Invoker.Kubernetes.Tests.Support;
using Polyarch.Invoker.Placement;
using static Polyarch.Invoker.Kubernetes.ApiServerDouble.NodeFactory;

namespace Polyarch.Invoker.Kubernetes.Tests.Scenarios;

/// <summary>
/// Data locality as a user states it: in the action definition (validated like any action), through the invoker core's
/// IActionBackend, into the pod's weighted preferred node affinity, scheduled by the double's scheduler.
/// </summary>
public sealed class DataLocalityFromActionTests : IAsyncLifetime
{
    // The invoker core pins one variant (amd64 here), so "elsewhere" is another amd64 node: the cluster plus a
    // plain amd64 node without the dataset. Its name sorts first, so without the wish the scheduler would pick it.
    private const string PlainAmd64 = "amd64-0";

    private ApiServerDouble.ApiServerDouble _server = null!;
    private BackendHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _server = await MixedCluster.StartAsync();
        _server.AddNode(Node(PlainAmd64, "amd64", cpu: "4", memory: "16Gi", labels: new Dictionary<string, string> { ["topology.kubernetes.io/zone"] = "zone-b" }));
        _harness = await BackendHarness.StartAsync(_server);
    }

    public async Task DisposeAsync()
    {
        _server.Failures.ShouldBeEmpty("the API-server double itself failed");
        await _harness.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Data_locality_from_the_action_definition_prefers_the_labelled_node_but_still_runs_elsewhere_when_it_is_full()
    {
        var action = new ActionDefinition
        {
            Name = "sales-report",
            Image = "127.0.0.1:5000/demo/echo:latest",
            Protocol = ActionProtocol.Exec,
            MemoryMb = 4096,
            Placement = new ActionPlacement { DataLocality = [DataLocalityPreference.Parse("polyarch.io/dataset=sales:80")] },
        };
        ActionValidator.Validate(action).ShouldBeEmpty();
        using var backend = new KubernetesActionBackend(_harness.Backend, TimeProvider.System);
        await Eventually.TrueAsync(() => _harness.Backend.Inventory.Snapshot.Nodes.Count == 5, "the inventory saw the fifth node");
        var context = Context(action, "first");

        var pod = _harness.Backend.Plan(KubernetesRequests.From(context, TimeProvider.System), out _);
        var first = await backend.RunAsync(context, TestTimeout.Token());

        var term = pod.Spec.Affinity.NodeAffinity.PreferredDuringSchedulingIgnoredDuringExecution.ShouldHaveSingleItem();
        term.Weight.ShouldBe(80);
        var expression = term.Preference.MatchExpressions.ShouldHaveSingleItem();
        (expression.Key, expression.OperatorProperty, expression.Values.Single()).ShouldBe(("polyarch.io/dataset", "In", "sales"));
        first.Status.ShouldBe(ActivationStatus.Success, first.Result?.ToJsonString());
        first.Node.ShouldBe(MixedCluster.Amd64, "the node next to the sales dataset");

        // Fill the preferred node: a long-running pod takes 14Gi of its 16Gi.
        _server.Behaviour = p => p.Metadata.Name.Contains("blocker", StringComparison.Ordinal) ? PodBehaviour.Serve : PodBehaviour.RunToCompletion;
        var blocker = _harness.Backend.Plan(EchoImage.Request("blocker", "linux/amd64") with
        {
            MemoryBytes = 14L << 30,
            NodeSelector = new Dictionary<string, string> { ["kubernetes.io/hostname"] = MixedCluster.Amd64 },
        }, out _);
        await CreateAsync(blocker);
        _server.Pod(blocker.Metadata.Name)!.Spec.NodeName.ShouldBe(MixedCluster.Amd64);

        var second = await backend.RunAsync(Context(action, "second"), TestTimeout.Token());

        second.Status.ShouldBe(ActivationStatus.Success, second.Result?.ToJsonString());
        second.Node.ShouldBe(PlainAmd64, "a soft wish: the action still runs when the labelled node is full");
    }

    private static ActivationContext Context(ActionDefinition action, string id)
    {
        var variants = EchoImage.Variants().Select(v => new VariantInfo(v.Platform, v.Digest, v.Labels)).ToList();
        var image = new ImageVariants(action.Image, EchoImage.Repository, EchoImage.Index, variants);
        var request = PlacementRequest.For(action, "linux/amd64");
        var decision = new PlacementDecision(variants[0], new BackendPlatform("linux/amd64", false), request.Requirements);
        return new ActivationContext(id, action, image, decision, ActionProtocol.Exec, 8080, new JsonObject { ["x"] = 1 }, DateTimeOffset.MaxValue);
    }

    private async Task CreateAsync(k8s.Models.V1Pod pod)
    {
        var (client, ns) = KubernetesConnection.Connect(_harness.Options);
        using (client as IDisposable)
        {
            await k8s.CoreV1OperationsExtensions.CreateNamespacedPodAsync(client.CoreV1, pod, ns, cancellationToken: TestTimeout.Token());
        }
    }
}
