using Polyarch.Registry.Manifests;
using Polyarch.Registry.Notifications;
using Polyarch.Registry.References;

namespace Polyarch.Registry.Tests.Notifications;

public sealed class PushReducerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 14, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Reduce_RealBuildxBurstOf53Events_IsExactlyOnePushOfTheIndex()
    {
        var events = Directory.GetFiles(FixturePaths.Notifications, "*.json").Order(StringComparer.Ordinal)
            .SelectMany(f => RegistryNotificationParser.Parse(File.ReadAllText(f), RegistryNotificationParser.V1MediaType))
            .ToList();

        var pushes = PushReducer.Reduce(events);

        events.Count.ShouldBe(53);
        pushes.ShouldHaveSingleItem().ShouldBe(new ImagePush(
            "127.0.0.1:5000",
            "demo/echo",
            "v2",
            Digest.Parse("sha256:125c9229f4b7b9b297d0635eacd68baf2b9c1ec3a758b26cdc19a96bdd2fcebe"),
            MediaTypes.OciIndex));
        pushes[0].ToReference().ToString().ShouldBe("127.0.0.1:5000/demo/echo:v2@sha256:125c9229f4b7b9b297d0635eacd68baf2b9c1ec3a758b26cdc19a96bdd2fcebe");
    }

    [Fact]
    public void Reduce_SinglePlatformManifestWithTag_IsAPush()
    {
        var push = Event(MediaTypes.DockerManifest, "v1", 1, 0);

        PushReducer.Reduce([push]).ShouldHaveSingleItem().MediaType.ShouldBe(MediaTypes.DockerManifest);
    }

    [Fact]
    public void Reduce_TwoTagsOfOneIndex_AreTwoPushes()
    {
        var pushes = PushReducer.Reduce([Event(MediaTypes.OciIndex, "latest", 1, 0), Event(MediaTypes.OciIndex, "abc123", 1, 1)]);

        pushes.Select(p => p.Tag).ShouldBe(["latest", "abc123"]);
    }

    [Fact]
    public void Reduce_TagMovedTwiceInOneBurst_KeepsTheLatest()
    {
        var pushes = PushReducer.Reduce([Event(MediaTypes.OciIndex, "latest", 1, 0), Event(MediaTypes.OciIndex, "latest", 2, 5)]);

        pushes.ShouldHaveSingleItem().Digest.ShouldBe(Digest.Compute([2]));
    }

    [Fact]
    public void Reduce_IgnoresPullsBlobsUntaggedAndDeletes()
    {
        RegistryEvent[] noise =
        [
            Event(MediaTypes.OciIndex, "latest", 1, 0) with { Action = "pull" },
            Event("application/octet-stream", "latest", 2, 1),
            Event(MediaTypes.OciManifest, null, 3, 2),
            Event(MediaTypes.OciIndex, "latest", 4, 3) with { Action = "delete" },
            Event("application/vnd.example+json", "latest", 5, 4),
        ];

        PushReducer.Reduce(noise).ShouldBeEmpty();
    }

    private static RegistryEvent Event(string mediaType, string? tag, byte seed, int seconds) => new(
        Guid.NewGuid().ToString(), T0.AddSeconds(seconds), RegistryEvent.Push, mediaType, Digest.Compute([seed]), 100,
        "demo/echo", tag, null, "127.0.0.1:5000", "PUT", "test");
}
