using Microsoft.Extensions.DependencyInjection;
using Polyarch.Builder.Errors;
using Polyarch.Builder.Publishing;
using Polyarch.Builder.Tests.Support;
using Polyarch.Registry.Client;
using Polyarch.Registry.Indexes;
using Polyarch.Registry.Manifests;
using Polyarch.Registry.Placement;
using Polyarch.Registry.References;
using Polyarch.Testing;

namespace Polyarch.Builder.Tests.Integration;

/// <summary>
/// The builder writes each variant's placement labels onto its entry in the pushed index (so the invoker can place from
/// the index alone), keeps them in the config, and never tags an index whose annotations disagree with its configs.
/// </summary>
[Collection(BuildCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PlacementAnnotationTests(RegistryFixture registry) : IDisposable
{
    // Per-platform labels (TARGETARCH) show that each entry gets its own variant's labels; org.example.* is not a placement label.
    private static readonly string Dockerfile =
        $"FROM {HostSettings.BaseImage}\n" +
        "ARG TARGETARCH\n" +
        "LABEL io.polyarch.action.protocol=\"exec\" io.polyarch.requires.memory=\"256Mi\" io.polyarch.requires.arch=\"${TARGETARCH}\" org.example.other=\"x\"\n";

    private readonly TestGitRepository _repository = new();
    private readonly BuildHarness _harness = new(registry.Address);

    private IRegistryClient Client => _harness.Services.GetRequiredService<IRegistryClient>();

    [Fact]
    public async Task A_built_three_platform_index_carries_each_configs_placement_labels_on_its_child_descriptors()
    {
        _repository.Commit(new Dictionary<string, string> { ["Dockerfile"] = Dockerfile });

        var result = await _harness.BuildAsync(_repository.Path, "demo/placement");

        result.ExitCode.ShouldBe(0, result.Stderr);
        var digest = result.IndexDigest();
        (await _harness.TagDigestAsync("demo/placement", "latest")).ShouldBe(digest);
        var latest = ImageReference.Parse($"{registry.Address}/demo/placement:latest");
        var index = (await Client.GetManifestAsync(latest))!;
        index.Digest.ToString().ShouldBe(digest);
        var children = index.Index!.Manifests.Where(d => d.IsRunnable).ToList();
        children.Select(c => c.Platform!.ToString()).ShouldBe(HostSettings.Platforms);
        foreach (var child in children)
        {
            var manifest = (await Client.GetManifestAsync(latest.WithDigest(child.Digest)))!.Manifest!;
            var config = ManifestSerializer.DeserializeConfig((await Client.GetBlobAsync(latest, manifest.Config.Digest))!.Value.Span, child.Digest.ToString());
            var labels = config.Config!.Labels!;

            // The config keeps its labels; the entry carries exactly the placement ones, with the marker.
            labels["io.polyarch.requires.arch"].ShouldBe(config.Architecture);
            labels["org.example.other"].ShouldBe("x");
            child.Annotations!.ShouldNotContainKey("org.example.other");
            child.Annotations!["io.polyarch.placement"].ShouldBe("v1");
            foreach (var key in new[] { "io.polyarch.action.protocol", "io.polyarch.requires.memory", "io.polyarch.requires.arch" })
            {
                child.Annotations![key].ShouldBe(labels[key], $"{child.Platform} {key}");
            }

            PlacementHints.FromDescriptor(child).ShouldBe(PlacementHints.FromConfig(config));
        }

        // The invoker's reader: one request gives every variant its hints.
        var resolved = await _harness.Services.GetRequiredService<IImageResolver>().ResolveAsync(latest.WithDigest(index.Digest));
        resolved.Variants.ShouldAllBe(v => v.Hints != null && v.Hints.Labels["io.polyarch.action.protocol"] == "exec");
    }

    [Fact]
    public async Task An_index_whose_annotations_disagree_with_a_config_fails_verification_and_the_annotated_one_passes()
    {
        string[] platforms = ["linux/amd64", "linux/arm64"];
        var context = Polyarch.Testing.Buildx.CreateContext(new Dictionary<string, string> { ["Dockerfile"] = Dockerfile });
        await Polyarch.Testing.Buildx.BuildAndPushAsync(context, $"{registry.Address}/demo/placement-verify:staged", platforms);
        var publisher = _harness.Services.GetRequiredService<IImagePublisher>();
        var stagedDigest = (await _harness.TagDigestAsync("demo/placement-verify", "staged"))!;
        var staged = await publisher.VerifyAsync(registry.Address, "demo/placement-verify", stagedDigest, platforms, _ => { }, CancellationToken.None);
        // A forged index: the arm64 entry claims a GPU its config does not ask for.
        var stagedRef = ImageReference.Parse($"{registry.Address}/demo/placement-verify@{stagedDigest}");
        var document = (await Client.GetManifestAsync(stagedRef))!;
        var arm64 = staged.Platforms.Single(p => p.Platform == "linux/arm64").Digest;
        var wrong = staged.Hints.ToDictionary(p => p.Key, p => p.Key.ToString() == arm64
            ? PlacementHints.FromLabels(new Dictionary<string, string>(p.Value.Labels) { ["io.polyarch.requires.gpu"] = "1" })
            : p.Value);
        var forged = await Client.PutManifestAsync(ImageReference.Parse($"{registry.Address}/demo/placement-verify:forged"),
            PlacementAnnotator.Annotate(document.Content.Span, wrong, "staged"), document.MediaType);

        var failure = await Should.ThrowAsync<BuildFailedException>(() =>
            publisher.VerifyAsync(registry.Address, "demo/placement-verify", forged.ToString(), platforms, _ => { }, CancellationToken.None));
        var annotated = await publisher.AnnotateAsync(registry.Address, staged, "staged", CancellationToken.None);

        failure.Message.ShouldContain($"variant linux/arm64 ({arm64}) carries placement annotations [");
        failure.Message.ShouldContain("io.polyarch.requires.gpu=1");
        failure.Message.ShouldNotContain("linux/amd64 (");
        annotated.IndexDigest.ShouldNotBe(stagedDigest);
        (await _harness.TagDigestAsync("demo/placement-verify", "staged")).ShouldBe(annotated.IndexDigest);
        annotated.Platforms.Select(p => p.Digest).ShouldBe(staged.Platforms.Select(p => p.Digest));
        annotated.Hints.ShouldBe(staged.Hints, ignoreOrder: true);
    }

    public void Dispose()
    {
        _harness.Dispose();
        _repository.Dispose();
    }
}
