using Polyarch.Registry.Notifications;

namespace Polyarch.Registry.Tests.Notifications;

public sealed class RegistryNotificationParserTests
{
    [Fact]
    public void Parse_RealEnvelope_ReadsEveryField()
    {
        var json = File.ReadAllText(Path.Combine(FixturePaths.Notifications, "104.json"));

        var single = RegistryNotificationParser.Parse(json, RegistryNotificationParser.V1MediaType).ShouldHaveSingleItem();

        single.Action.ShouldBe("push");
        single.MediaType.ShouldBe("application/vnd.oci.image.index.v1+json");
        single.Digest!.ToString().ShouldBe("sha256:125c9229f4b7b9b297d0635eacd68baf2b9c1ec3a758b26cdc19a96bdd2fcebe");
        single.Repository.ShouldBe("demo/echo");
        single.Tag.ShouldBe("v2");
        single.Registry.ShouldBe("127.0.0.1:5000");
        single.RequestMethod.ShouldBe("PUT");
        single.Size.ShouldBe(2361);
    }

    [Fact]
    public void Parse_V2Envelope_WithoutLengthOrRequest_UsesTheUrl()
    {
        const string json = """
            {"events":[{"id":"1","timestamp":"2026-11-26T14:51:46Z","action":"push",
            "target":{"mediaType":"application/vnd.oci.image.index.v1+json","size":10,
            "digest":"sha256:125c9229f4b7b9b297d0635eacd68baf2b9c1ec3a758b26cdc19a96bdd2fcebe",
            "repository":"demo/echo","url":"http://reg.lan:30501/v2/demo/echo/manifests/sha256:125c9229f4b7b9b297d0635eacd68baf2b9c1ec3a758b26cdc19a96bdd2fcebe","tag":"v3"}}]}
            """;

        var single = RegistryNotificationParser.Parse(json, RegistryNotificationParser.V2MediaType + "; charset=utf-8").ShouldHaveSingleItem();

        single.Registry.ShouldBe("reg.lan:30501");
        single.Tag.ShouldBe("v3");
    }

    [Theory]
    [InlineData("{}", null, "no 'events'")]
    [InlineData("[]", null, "")]
    [InlineData("not json", null, "")]
    [InlineData("{\"events\":[]}", "text/html", "text/html")]
    [InlineData("{\"events\":[{\"action\":\"push\",\"timestamp\":\"2026-11-26T14:51:46Z\"}]}", null, "no target")]
    [InlineData("{\"events\":[{\"action\":\"push\",\"timestamp\":\"2026-11-26T14:51:46Z\",\"target\":{\"repository\":\"a\",\"digest\":\"md5:x\"}}]}", null, "invalid digest")]
    public void Parse_Malformed_ThrowsInvalidNotification(string json, string? mediaType, string expected) =>
        Should.Throw<InvalidNotificationException>(() => RegistryNotificationParser.Parse(json, mediaType)).Message.ShouldContain(expected);
}
