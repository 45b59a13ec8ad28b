using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Images;
using Polyarch.Invoker.Kubernetes.Inventory;
using Polyarch.Invoker.Kubernetes.Placement;
using Polyarch.Invoker.Kubernetes.Tests.Support;
using Polyarch.Invoker.Placement;
using static Polyarch.Invoker.Kubernetes.ApiServerDouble.NodeFactory;

namespace Polyarch.Invoker.Kubernetes.Tests.Placement;

/// <summary>
/// One platform filter and preference order: an explicit platform and the action's required and preferred platforms
/// choose the same variant, or fail for the same reason, on the Docker path (the core's placement engine) and on the
/// Kubernetes path (the pod placer, which takes the core's <see cref="PlacementEngine.Allowed"/>).
/// </summary>
public sealed class SamePlatformRulesBothBackendsTests
{
    private static readonly BackendInventory Everything = new(
        "docker", "node1", [new("linux/amd64", false), new("linux/arm64", false), new("linux/arm/v6", false), new("linux/arm/v7", false)],
        Gpus: 0, MemoryBytes: 64L << 30, Cpus: 16);

    private static readonly ClusterSnapshot Cluster = new(
        [ClusterNode.From(Node("amd64-1", "amd64")), ClusterNode.From(Node("arm64-1", "arm64")), ClusterNode.From(Node("arm-1", "arm"))], "1");

    [Theory]
    // variants, explicit platform, required, preferred → the variant chosen, or the reason none is
    [InlineData("linux/amd64,linux/arm64", null, "", "linux/arm64", "linux/arm64")]
    [InlineData("linux/amd64,linux/arm64", null, "linux/amd64", "linux/arm64", "linux/amd64")]
    [InlineData("linux/amd64,linux/arm64", "linux/arm64", "", "", "linux/arm64")]
    [InlineData("linux/arm/v6", "linux/arm/v7", "", "", "the image has no linux/arm/v7 variant (the compatible linux/arm/v6 is another variant: ask for it by name to run it)")]
    [InlineData("linux/amd64,linux/arm64", "linux/amd64", "linux/arm64", "", "linux/amd64 is not among the action's required platforms (linux/arm64)")]
    [InlineData("linux/amd64", null, "linux/arm64", "", "the image has none of the action's required platforms (linux/arm64)")]
    public void The_same_platform_rules_choose_the_same_variant_on_both_backends(string variants, string? platform, string required, string preferred, string expected)
    {
        var list = variants.Split(',').Select((p, i) => new VariantInfo(p, $"sha256:{i + 1:x64}", new Dictionary<string, string>())).ToList();
        var rules = new ActionPlacement { Required = Split(required), Preferred = Split(preferred) };
        var image = new ImageVariants($"{EchoImage.Repository}:latest", EchoImage.Repository, EchoImage.Index, list);
        var request = EchoImage.Request(platform: platform) with { Variants = list, AllowedPlatforms = rules.Required, PreferredPlatforms = rules.Preferred };

        var docker = Outcome(() => PlacementEngine.Place(image, Everything, new PlacementRequest(platform, rules, new Requirements(0, 256L << 20, 1))).Variant.Platform);
        var kubernetes = Outcome(() => PodPlacer.Place(request, Cluster).Variants[0].Platform);

        docker.ShouldContain(expected);
        kubernetes.ShouldContain(expected);
    }

    private static string[] Split(string list) => list.Length == 0 ? [] : list.Split(',');

    private static string Outcome(Func<string> place)
    {
        try
        {
            return place();
        }
        catch (Exception ex) when (ex is PlacementException or PlacementFailedException)
        {
            return ex.Message;
        }
    }
}
