using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Images;
using Polyarch.Invoker.Kubernetes.Inventory;
using Polyarch.Invoker.Kubernetes.Placement;
using Polyarch.Invoker.Kubernetes.Tests.Support;
using Polyarch.Invoker.Placement;
using static Polyarch.Invoker.Kubernetes.ApiServerDouble.NodeFactory;

namespace Polyarch.Invoker.Kubernetes.Tests.Placement;

/// <summary>
/// One vocabulary: a variant's io.polyarch.requires.* labels mean the same on the Docker path (the core's placement
/// engine) and on the Kubernetes path (the pod placer) — same requirements, same error for a bad value.
/// </summary>
public sealed class SameLabelsBothBackendsTests
{
    private const long Mi = 1L << 20;

    // Room for everything the table asks, so only the labels decide.
    private static readonly BackendInventory Roomy = new("docker", "node1", [new("linux/amd64", false)], Gpus: 8, MemoryBytes: 256L << 30, Cpus: 64, Tpus: 8);

    private static readonly ClusterSnapshot Cluster = new(
        [ClusterNode.From(Node("big", "amd64", cpu: "64", memory: "256Gi", gpus: 8, tpus: 8))], "1");

    [Theory]
    [InlineData("io.polyarch.requires.gpu", "false", 0, 256 * Mi, 1.0, 0)]
    [InlineData("io.polyarch.requires.gpu", "0", 0, 256 * Mi, 1.0, 0)]
    [InlineData("io.polyarch.requires.gpu", "true", 1, 256 * Mi, 1.0, 0)]
    [InlineData("io.polyarch.requires.gpu", "nvidia", 1, 256 * Mi, 1.0, 0)]
    [InlineData("io.polyarch.requires.gpu", "2", 2, 256 * Mi, 1.0, 0)]
    [InlineData("io.polyarch.requires.tpu", "1", 0, 256 * Mi, 1.0, 1)]
    [InlineData("io.polyarch.requires.tpu", "false", 0, 256 * Mi, 1.0, 0)]
    [InlineData("io.polyarch.requires.cpus", "500m", 0, 256 * Mi, 1.0, 0)]
    [InlineData("io.polyarch.requires.cpus", "0.5", 0, 256 * Mi, 1.0, 0)]
    [InlineData("io.polyarch.requires.cpus", "2500m", 0, 256 * Mi, 2.5, 0)]
    [InlineData("io.polyarch.requires.cpus", "3", 0, 256 * Mi, 3.0, 0)]
    [InlineData("io.polyarch.requires.memory", "512Mi", 0, 512 * Mi, 1.0, 0)]
    [InlineData("io.polyarch.requires.memory", "1G", 0, 1_000_000_000L, 1.0, 0)]
    [InlineData("io.polyarch.requires.memory", "1e9", 0, 1_000_000_000L, 1.0, 0)]
    [InlineData("io.polyarch.requires.memory", "128Mi", 0, 256 * Mi, 1.0, 0)]
    public void A_label_gives_the_same_requirements_on_both_backends(string label, string value, int gpus, long memory, double cpus, int tpus)
    {
        var labels = new Dictionary<string, string> { [label] = value };
        var expected = new Requirements(gpus, memory, cpus, tpus);

        var docker = PlacementEngine.Place(Image(labels), Roomy, DefaultRequest()).Requirements;
        var kubernetes = PodPlacer.Place(PodRequest(labels), Cluster).Needs;

        docker.ShouldBe(expected);
        kubernetes.ShouldBe(expected);
    }

    [Theory]
    [InlineData("io.polyarch.requires.gpu", "-1", "is not a device count; use false or 0 (none), true or a vendor name such as nvidia (one), or a whole number 1-64")]
    [InlineData("io.polyarch.requires.gpu", "65", "is not a device count")]
    [InlineData("io.polyarch.requires.gpu", "1.5", "is not a device count")]
    [InlineData("io.polyarch.requires.tpu", "-2", "is not a device count")]
    [InlineData("io.polyarch.requires.cpus", "lots", "is not a CPU count; use a CPU count such as 2 or 0.5, or millicores such as 500m")]
    [InlineData("io.polyarch.requires.cpus", "-1", "is not a CPU count")]
    [InlineData("io.polyarch.requires.cpus", "0", "is not a CPU count")]
    [InlineData("io.polyarch.requires.cpus", "2048", "is not a CPU count")]
    [InlineData("io.polyarch.requires.memory", "lots", "is not a size; use a size such as 512Mi, 2Gi, 1G or 1500000 (bytes)")]
    [InlineData("io.polyarch.requires.memory", "1Xi", "is not a size")]
    [InlineData("io.polyarch.requires.memory", "-1Gi", "is not a size")]
    public void A_bad_value_is_the_same_clear_error_on_both_backends(string label, string value, string accepted)
    {
        var labels = new Dictionary<string, string> { [label] = value };
        var named = $"image {EchoImage.Repository}@{EchoImage.Amd64} (linux/amd64): label {label}='{value}' {accepted}";

        var docker = Should.Throw<PlacementException>(() => PlacementEngine.Place(Image(labels), Roomy, DefaultRequest()));
        var kubernetes = Should.Throw<PlacementFailedException>(() => PodPlacer.Place(PodRequest(labels), Cluster));

        docker.Message.ShouldContain(named);
        kubernetes.Message.ShouldContain(named);
    }

    private static ImageVariants Image(Dictionary<string, string> labels) =>
        new($"{EchoImage.Repository}:latest", EchoImage.Repository, EchoImage.Index, [new VariantInfo("linux/amd64", EchoImage.Amd64, labels)]);

    // The action's defaults on both paths: 256 MiB, one CPU, no devices.
    private static PlacementRequest DefaultRequest() => PlacementRequest.For(ActionDefinition.ForImage($"{EchoImage.Repository}:latest"), platform: null);

    private static PodRequest PodRequest(Dictionary<string, string> labels) =>
        EchoImage.Request() with { Variants = [new VariantInfo("linux/amd64", EchoImage.Amd64, labels)] };
}
