using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Images;
using Polyarch.Invoker.Kubernetes.Inventory;
using Polyarch.Invoker.Kubernetes.Placement;
using Polyarch.Invoker.Kubernetes.Pods;
using Polyarch.Invoker.Kubernetes.Tests.Support;
using k8s;
using k8s.Models;

namespace Polyarch.Invoker.Kubernetes.Tests.Pods;

/// <summary>
/// The pods placement produces, asserted as data against golden JSON (Golden/*.json). To update after an intended
/// change: POLYARCH_UPDATE_GOLDEN=1 dotnet test …, then review the diff.
/// </summary>
public sealed class GoldenPodSpecTests
{
    private static readonly ClusterSnapshot Cluster = new(MixedCluster.Nodes().Select(ClusterNode.From), "1");

    public static TheoryData<string> Cases => new() { "exec-arm64-pinned", "exec-multiarch-index", "gpu-amd64-pinned", "http-with-locality-and-template" };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_pod_matches_the_golden_file_and_is_a_valid_V1Pod(string name)
    {
        var pod = Build(name);
        var json = System.Text.Json.Nodes.JsonNode.Parse(KubernetesJson.Serialize(pod))!.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

        var path = Path.Combine(AppContext.BaseDirectory, "Golden", name + ".json");
        if (Environment.GetEnvironmentVariable("POLYARCH_UPDATE_GOLDEN") == "1")
        {
            var source = Path.Combine(RepoTests(), "Golden", name + ".json");
            File.WriteAllText(source, json + "\n");
        }

        File.Exists(path).ShouldBeTrue($"missing golden file {path}; run with POLYARCH_UPDATE_GOLDEN=1 once and review it");
        Normalise(json).ShouldBe(Normalise(File.ReadAllText(path)));
        KubernetesJson.Deserialize<V1Pod>(File.ReadAllText(path)).Spec.Containers.ShouldHaveSingleItem();
    }

    internal static V1Pod Build(string name)
    {
        var request = EchoImage.Request();
        V1Pod? template = null;
        switch (name)
        {
            case "exec-arm64-pinned":
                request = request with { Platform = "linux/arm64" };
                break;
            case "exec-multiarch-index":
                request = request with { MemoryBytes = 512L << 20, Cpus = 0.5, AllowedPlatforms = ["linux/amd64", "linux/arm64"] };
                break;
            case "gpu-amd64-pinned":
                request = request with
                {
                    Variants = EchoImage.Variants(amd64Labels: new Dictionary<string, string> { [ImageLabels.RequiresGpu] = "nvidia", [ImageLabels.RequiresMemory] = "2Gi" }),
                    NodeSelector = new Dictionary<string, string> { ["nvidia.com/gpu.product"] = "Tesla-T4" },
                    PreferredPlatforms = ["linux/amd64"],
                };
                break;
            case "http-with-locality-and-template":
                request = request with
                {
                    Protocol = ActionProtocol.Http,
                    ActionName = "127.0.0.1:5000/demo/echo:latest",
                    DataLocality = [new DataLocalityPreference { Label = "polyarch.io/dataset", Value = "sales", Weight = 80 }, new DataLocalityPreference { Label = "topology.kubernetes.io/zone", Value = "zone-a", Weight = 20 }],
                    Environment = new Dictionary<string, string> { ["LOG_LEVEL"] = "debug" },
                };
                template = PodTemplateMergerTests.SiteTemplate();
                break;
        }

        var placement = PodPlacer.Place(request, Cluster);
        return PodBuilder.Build(request, placement, "invoker0", template);
    }

    private static string Normalise(string json) => json.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();

    private static string RepoTests()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Polyarch.Invoker.Kubernetes.Tests.csproj")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("cannot find the test project directory");
    }
}
