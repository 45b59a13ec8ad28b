using Polyarch.Registry.References;

namespace Polyarch.Registry.Tests.References;

public sealed class ImageReferenceTests
{
    private const string Hex = "125c9229f4b7b9b297d0635eacd68baf2b9c1ec3a758b26cdc19a96bdd2fcebe";

    [Theory]
    [InlineData("127.0.0.1:5000/demo/echo:latest", "127.0.0.1:5000", "demo/echo", "latest", null)]
    [InlineData("127.0.0.1:5000/demo/echo", "127.0.0.1:5000", "demo/echo", "latest", null)]
    [InlineData("localhost/echo:v1", "localhost", "echo", "v1", null)]
    [InlineData("localhost:5000/a/b/c:1.0-rc_1", "localhost:5000", "a/b/c", "1.0-rc_1", null)]
    [InlineData("reg:30501/action:ppc64le", "reg:30501", "action", "ppc64le", null)]
    [InlineData("busybox", "docker.io", "library/busybox", "latest", null)]
    [InlineData("index.docker.io/library/busybox:1", "docker.io", "library/busybox", "1", null)]
    [InlineData("user/app:x", "docker.io", "user/app", "x", null)]
    [InlineData("reg.example.com/a__b/c-d/e.f:T", "reg.example.com", "a__b/c-d/e.f", "T", null)]
    [InlineData("[::1]:5000/demo/echo:v2", "[::1]:5000", "demo/echo", "v2", null)]
    [InlineData("127.0.0.1:5000/demo/echo@sha256:" + Hex, "127.0.0.1:5000", "demo/echo", null, "sha256:" + Hex)]
    [InlineData("127.0.0.1:5000/demo/echo:v2@sha256:" + Hex, "127.0.0.1:5000", "demo/echo", "v2", "sha256:" + Hex)]
    public void Parse_ValidReference_SplitsItsParts(string input, string registry, string repository, string? tag, string? digest)
    {
        var reference = ImageReference.Parse(input);

        reference.Registry.ShouldBe(registry);
        reference.Repository.ShouldBe(repository);
        reference.Tag.ShouldBe(tag);
        reference.Digest?.ToString().ShouldBe(digest);
        ImageReference.Parse(reference.ToString()).ShouldBe(reference);
    }

    public static TheoryData<string, string> Hostile => new()
    {
        { "UPPER", "lower case" },
        { "127.0.0.1:5000/Demo/echo", "lower case" },
        { "a..b", "path component" },
        { "-x", "path component" },
        { "a//b", "empty component" },
        { "/a", "empty component" },
        { "a/", "empty component" },
        { new string('a', 256), "at most 255" },
        { "a:" + new string('t', 129), "at most 128" },
        { "a:-tag", "must start with" },
        { "$(id)", "path component" },
        { ";rm", "path component" },
        { "a;rm -rf /", "whitespace" },
        { "--upload-pack=x", "path component" },
        { "a\nb", "whitespace or control" },
        { "a\r\n:latest", "whitespace or control" },
        { "a b", "whitespace" },
        { "", "empty" },
        { "   ", "empty" },
        { "a@sha256:abc", "64 hex" },
        { "a@sha256:" + "ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789", "lower-case hex" },
        { "a@md5:d41d8cd98f00b204e9800998ecf8427e", "sha256" },
        { "my_host.com/x", "registry" },
        { "-bad.host/x", "registry" },
        { "a/b:c:d", "path component" },
        { "ä/b", "path component" },
        { "a:täg", "must start with" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Parse_HostileOrMalformed_ThrowsNamingTheProblem(string input, string expectedReason)
    {
        var exception = Should.Throw<InvalidReferenceException>(() => ImageReference.Parse(input));

        exception.Reason.ShouldContain(expectedReason, Case.Insensitive);
        exception.Message.ShouldNotContain("\n");
        exception.Message.ShouldContain("e.g. 127.0.0.1:5000/demo/echo:latest");
        ImageReference.TryParse(input, out var reference, out var error).ShouldBeFalse();
        reference.ShouldBeNull();
        error.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public void Parse_NameOf255Characters_IsAccepted()
    {
        var name = "127.0.0.1:5000/" + new string('a', 255 - "127.0.0.1:5000/".Length);

        ImageReference.Parse(name).RepositoryName.Length.ShouldBe(255);
        Should.Throw<InvalidReferenceException>(() => ImageReference.Parse(name + "a"));
    }

    [Fact]
    public void Parse_TagOf128Characters_IsAccepted() =>
        ImageReference.Parse("a:" + new string('t', 128)).Tag!.Length.ShouldBe(128);

    [Fact]
    public void WithTagAndWithDigest_KeepTheRepository()
    {
        var reference = ImageReference.Parse("127.0.0.1:5000/demo/echo:latest");
        var digest = Digest.Parse("sha256:" + Hex);

        reference.WithTag("v2").ToString().ShouldBe("127.0.0.1:5000/demo/echo:v2");
        reference.WithDigest(digest).ToString().ShouldBe($"127.0.0.1:5000/demo/echo:latest@sha256:{Hex}");
        reference.WithDigest(digest).ManifestReference.ShouldBe("sha256:" + Hex);
        reference.RepositoryName.ShouldBe("127.0.0.1:5000/demo/echo");
        Should.Throw<InvalidReferenceException>(() => reference.WithTag("$(id)"));
    }
}
