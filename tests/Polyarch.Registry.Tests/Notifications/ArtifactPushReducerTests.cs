using Polyarch.Registry.Manifests;
using Polyarch.Registry.Notifications;
using Polyarch.Registry.References;

namespace Polyarch.Registry.Tests.Notifications;

/// <summary>Artifact pushes in the registry's real notification burst (distribution 2.8.2, includereferences).</summary>
public sealed class ArtifactPushReducerTests
{
    private const string Dataset = "sha256:bd2561549c2561a8517ab25b8c10287d8f677711d00b6c4969ddb7e00c86817d";
    private const string StepResult = "sha256:5e519a4d245b261f3942449b8405ca2961c7b6a65a766164343c0d008209a7a7";
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    internal static List<RegistryEvent> Burst(params string[] files) =>
        [.. (files.Length == 0 ? Directory.GetFiles(FixturePaths.ArtifactNotifications, "0*.json") : files.Select(f => Path.Combine(FixturePaths.ArtifactNotifications, f)))
            .Order(StringComparer.Ordinal)
            .SelectMany(f => RegistryNotificationParser.Parse(File.ReadAllText(f), RegistryNotificationParser.V1MediaType))];

    [Fact]
    public void ReduceArtifacts_RealDatasetPushBurst_IsExactlyOneArtifactPush()
    {
        var events = Burst("001.json", "002.json", "003.json");

        var artifacts = PushReducer.ReduceArtifacts(events);

        events.Count.ShouldBe(3);
        var push = artifacts.ShouldHaveSingleItem();
        push.ShouldBe(new ArtifactPush("127.0.0.1:5001", "demo/digits", "batch-1", Digest.Parse(Dataset), MediaTypes.OciManifest, MediaTypes.OciEmpty));
        push.ArtifactType.ShouldBeNull("distribution's event does not carry artifactType and the config is the empty descriptor");
        push.Described.ShouldBeFalse();
        PushReducer.Reduce(events).ShouldBeEmpty();
    }

    [Fact]
    public void ReduceArtifacts_WholeBurst_OnePushPerTaggedArtifact_TheReferrersIndexIsNeitherImageNorArtifact()
    {
        var events = Burst();

        var artifacts = PushReducer.ReduceArtifacts(events);
        var images = PushReducer.Reduce(events);

        events.Count.ShouldBe(6);
        events.ShouldContain(e => e.Tag == "sha256-bd2561549c2561a8517ab25b8c10287d8f677711d00b6c4969ddb7e00c86817d" && e.MediaType == MediaTypes.OciIndex);
        artifacts.Select(a => (a.Tag, a.Digest.ToString())).ShouldBe([("batch-1", Dataset), ("run-1-train-amd64", StepResult)]);
        images.ShouldBeEmpty();
    }

    [Fact]
    public void Reduce_RealBuildxBurst_StillOneImagePush_AndNoArtifact()
    {
        var events = Directory.GetFiles(FixturePaths.Notifications, "*.json").Order(StringComparer.Ordinal)
            .SelectMany(f => RegistryNotificationParser.Parse(File.ReadAllText(f), RegistryNotificationParser.V1MediaType)).ToList();

        PushReducer.Reduce(events).ShouldHaveSingleItem().MediaType.ShouldBe(MediaTypes.OciIndex);
        PushReducer.ReduceArtifacts(events).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(MediaTypes.OciConfig, false)]
    [InlineData(MediaTypes.DockerConfig, false)]
    [InlineData(MediaTypes.OciEmpty, true)]
    [InlineData("application/vnd.polyarch.dataset.config.v1+json", true)]
    public void Reduce_ClassifiesATaggedManifestByItsConfig(string configMediaType, bool artifact)
    {
        var push = Event(MediaTypes.OciManifest, "v1", configMediaType);

        PushReducer.Reduce([push]).Count.ShouldBe(artifact ? 0 : 1);
        var artifacts = PushReducer.ReduceArtifacts([push]);
        artifacts.Count.ShouldBe(artifact ? 1 : 0);
        if (artifact && configMediaType != MediaTypes.OciEmpty)
        {
            artifacts[0].ArtifactType.ShouldBe(configMediaType, "image-spec 1.1: without artifactType the config's media type is the artifact type");
        }
    }

    [Fact]
    public void Reduce_ManifestWithoutReferences_CountsAsAnImageAsBefore()
    {
        var push = Event(MediaTypes.OciManifest, "v1", configMediaType: null);

        PushReducer.Reduce([push]).ShouldHaveSingleItem();
        PushReducer.ReduceArtifacts([push]).ShouldBeEmpty();
    }

    [Fact]
    public void Reduce_AnIndexUnderAReferrersTag_IsNoPush_ButAnImageIndexUnderAnOrdinaryTagIs()
    {
        var referrers = Event(MediaTypes.OciIndex, "sha256-" + new string('a', 64), null);
        var ordinary = Event(MediaTypes.OciIndex, "sha256-abc", null);

        PushReducer.Reduce([referrers, ordinary]).ShouldHaveSingleItem().Tag.ShouldBe("sha256-abc");
    }

    [Fact]
    public void Parse_UnreadableReference_IsDropped_NotTheEnvelope()
    {
        const string json = """
            {"events":[{"id":"1","timestamp":"2026-11-30T08:48:33Z","action":"push","target":{"mediaType":"application/vnd.oci.image.manifest.v1+json",
            "size":1,"digest":"sha256:bd2561549c2561a8517ab25b8c10287d8f677711d00b6c4969ddb7e00c86817d","repository":"demo/digits","tag":"x",
            "references":[{"mediaType":"application/vnd.oci.empty.v1+json","size":2,"digest":"not-a-digest"},{"mediaType":"text/csv","size":3,"digest":"sha256:19c0e07b9ccf1caf0e7c8487a6f9d6731120d920655d5f4a9abb01eb5b8228a1"}]},
            "request":{"host":"127.0.0.1:5000"}}]}
            """;

        var parsed = RegistryNotificationParser.Parse(json, RegistryNotificationParser.V1MediaType).ShouldHaveSingleItem();

        parsed.References.ShouldNotBeNull().ShouldHaveSingleItem().MediaType.ShouldBe("text/csv");
    }

    private static RegistryEvent Event(string mediaType, string tag, string? configMediaType) => new(
        Guid.NewGuid().ToString(), T0, RegistryEvent.Push, mediaType, Digest.Compute([1]), 100, "demo/digits", tag, null, "127.0.0.1:5000", "PUT", "test")
    {
        References = configMediaType is null ? null : [new Descriptor { MediaType = configMediaType, Digest = Digest.Compute([2]), Size = 2 }],
    };
}
