using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Polyarch.Invoker.Images;
using Polyarch.Registry;
using Polyarch.Registry.Client;
using Polyarch.Registry.Indexes;
using Polyarch.Registry.Placement;
using Polyarch.Registry.References;
using Polyarch.Testing;

namespace Polyarch.Invoker.Core.Tests.Images;

/// <summary>
/// Issue 18 P3: the catalog places an image Polyarch built from its index alone (1 request cold), reads the configs
/// only for an index without placement annotations (built elsewhere: index + manifest + config per variant), and
/// stays at 1 conditional request warm and 0 pinned. Requests are counted in a real registry's access log.
/// </summary>
[Trait("Category", "Integration")]
public sealed partial class RegistryVariantCatalogTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private const string OciIndex = "application/vnd.oci.image.index.v1+json";
    private const string OciManifest = "application/vnd.oci.image.manifest.v1+json";

    private static readonly Dictionary<string, Dictionary<string, string>> LabelsByArch = new(StringComparer.Ordinal)
    {
        ["amd64"] = new(StringComparer.Ordinal) { ["io.polyarch.requires.cpus"] = "500m", ["io.polyarch.action.protocol"] = "exec", ["org.opencontainers.image.title"] = "x" },
        ["arm64"] = new(StringComparer.Ordinal) { ["io.polyarch.requires.memory"] = "1G", ["io.polyarch.action.port"] = "9090" },
        ["ppc64le"] = new(StringComparer.Ordinal),
    };

    [Fact]
    public async Task A_Polyarch_built_index_places_from_the_index_alone_cold_warm_and_pinned()
    {
        var (annotated, _) = await PushAsync("catalog/annotated", annotate: true);
        await using var services = Services();
        var catalog = new RegistryVariantCatalog(services.GetRequiredService<IImageResolver>());

        ImageVariants image = null!;
        var cold = await CountAsync(async () => image = await catalog.GetAsync(annotated, CancellationToken.None));
        var warm = await CountAsync(() => catalog.GetAsync(annotated, CancellationToken.None));
        var pinned = await CountAsync(() => catalog.GetAsync($"{fixture.Address}/catalog/annotated@{image.IndexDigest}", CancellationToken.None));

        cold.Count.ShouldBe(1, string.Join("\n", cold));
        warm.Count.ShouldBe(1, string.Join("\n", warm));
        pinned.Count.ShouldBe(0, string.Join("\n", pinned));
        image.Variants.Select(v => v.Platform).ShouldBe(["linux/amd64", "linux/arm64", "linux/ppc64le"]);
        image.Variants[0].Labels["io.polyarch.requires.cpus"].ShouldBe("500m");
        image.Variants[0].Labels["io.polyarch.action.protocol"].ShouldBe("exec");
        image.Variants[1].Labels["io.polyarch.requires.memory"].ShouldBe("1G");
        image.Variants[1].Labels["io.polyarch.action.port"].ShouldBe("9090");
        image.Variants[2].Labels.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_index_built_elsewhere_costs_its_manifests_and_configs_and_gives_the_same_labels()
    {
        var (annotated, _) = await PushAsync("catalog/same", annotate: true);
        var (plain, _) = await PushAsync("catalog/elsewhere", annotate: false);
        await using var services = Services();
        var catalog = new RegistryVariantCatalog(services.GetRequiredService<IImageResolver>());

        ImageVariants fromConfigs = null!;
        var cold = await CountAsync(async () => fromConfigs = await catalog.GetAsync(plain, CancellationToken.None));
        var fromIndex = await catalog.GetAsync(annotated, CancellationToken.None);

        // index, then per variant its manifest and its config: 1 + 2 × 3.
        cold.Count.ShouldBe(7, string.Join("\n", cold));
        cold.Count(r => r.Contains("/blobs/", StringComparison.Ordinal)).ShouldBe(3);
        for (var i = 0; i < 3; i++)
        {
            var placement = fromConfigs.Variants[i].Labels.Where(l => PlacementAnnotations.IsPlacementKey(l.Key)).OrderBy(l => l.Key, StringComparer.Ordinal).ToList();
            fromIndex.Variants[i].Labels.OrderBy(l => l.Key, StringComparer.Ordinal).ToList().ShouldBe(placement, fromConfigs.Variants[i].Platform);
        }
    }

    private static ServiceProvider Services() =>
        new ServiceCollection().AddLogging().AddPolyarchRegistry(o =>
        {
            o.UseDockerConfig = false;
            o.TagCacheDuration = TimeSpan.Zero;
        }).BuildServiceProvider();

    private async Task<(string Image, Digest Index)> PushAsync(string repository, bool annotate)
    {
        await using var services = Services();
        var client = services.GetRequiredService<IRegistryClient>();
        var target = ImageReference.Parse($"{fixture.Address}/{repository}:v1");
        var layer = Encoding.UTF8.GetBytes(repository);
        var layerDigest = Digest.Compute(layer);
        await client.PushBlobAsync(target, layerDigest, layer);
        var entries = new JsonArray();
        var hints = new Dictionary<Digest, PlacementHints>();
        foreach (var (arch, labels) in LabelsByArch)
        {
            var config = Bytes(new JsonObject
            {
                ["architecture"] = arch,
                ["os"] = "linux",
                ["config"] = new JsonObject { ["Labels"] = new JsonObject([.. labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))]) },
                ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray(layerDigest.ToString()) },
            });
            var configDigest = Digest.Compute(config);
            await client.PushBlobAsync(target, configDigest, config);
            var manifest = Bytes(new JsonObject
            {
                ["schemaVersion"] = 2,
                ["mediaType"] = OciManifest,
                ["config"] = Descriptor("application/vnd.oci.image.config.v1+json", configDigest, config.Length),
                ["layers"] = new JsonArray(Descriptor("application/vnd.oci.image.layer.v1.tar", layerDigest, layer.Length)),
            });
            var manifestDigest = await client.PutManifestAsync(target.WithDigest(Digest.Compute(manifest)), manifest, OciManifest);
            var entry = Descriptor(OciManifest, manifestDigest, manifest.Length);
            entry["platform"] = new JsonObject { ["architecture"] = arch, ["os"] = "linux" };
            entries.Add(entry);
            hints[manifestDigest] = PlacementHints.FromLabels(labels);
        }

        var index = Bytes(new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = OciIndex, ["manifests"] = entries });
        if (annotate)
        {
            index = PlacementAnnotator.Annotate(index, hints, repository);
        }

        var digest = await client.PutManifestAsync(target, index, OciIndex);
        return (target.ToString(), digest);
    }

    private static byte[] Bytes(JsonObject json) => Encoding.UTF8.GetBytes(json.ToJsonString());

    private static JsonObject Descriptor(string mediaType, Digest digest, int size) =>
        new() { ["mediaType"] = mediaType, ["digest"] = digest.ToString(), ["size"] = size };

    /// <summary>The registry's access-log lines for what <paramref name="work"/> asked, between two marker requests.</summary>
    private async Task<List<string>> CountAsync(Func<Task> work)
    {
        var start = await MarkAsync();
        await work();
        var end = await MarkAsync();
        var log = fixture.Registry.Log;
        var from = IndexOf(log, start);
        var to = IndexOf(log, end);
        return [.. log.Skip(from + 1).Take(to - from - 1).Where(l => RequestLine().IsMatch(l)).Select(l => RequestLine().Match(l).Value)];
    }

    private async Task<string> MarkAsync()
    {
        var marker = Guid.NewGuid().ToString("N");
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(fixture.Registry.BaseUri, $"v2/?marker={marker}"));
        for (var attempt = 0; attempt < 200 && IndexOf(fixture.Registry.Log, marker) < 0; attempt++)
        {
            await Task.Delay(25);
        }

        IndexOf(fixture.Registry.Log, marker).ShouldBeGreaterThanOrEqualTo(0, "the registry logged the marker request");
        return marker;
    }

    private static int IndexOf(IReadOnlyList<string> log, string marker)
    {
        for (var i = 0; i < log.Count; i++)
        {
            if (log[i].Contains(marker, StringComparison.Ordinal) && RequestLine().IsMatch(log[i]))
            {
                return i;
            }
        }

        return -1;
    }

    [GeneratedRegex("\"(?:GET|HEAD|PUT|POST|PATCH|DELETE) [^ ?]+[^ ]* HTTP/[0-9.]+\" [0-9]{3}")]
    private static partial Regex RequestLine();
}
