using Polyarch.Registry.Platforms;

namespace Polyarch.Registry.Tests.Platforms;

public sealed class PlatformTests
{
    [Theory]
    [InlineData("linux/amd64", "linux/amd64")]
    [InlineData("linux/x86_64", "linux/amd64")]
    [InlineData("linux/x86-64", "linux/amd64")]
    [InlineData("linux/amd64/v1", "linux/amd64")]
    [InlineData("linux/amd64/v3", "linux/amd64/v3")]
    [InlineData("linux/aarch64", "linux/arm64")]
    [InlineData("linux/arm64/v8", "linux/arm64")]
    [InlineData("linux/aarch64/v8", "linux/arm64")]
    [InlineData("linux/arm64/v8.2", "linux/arm64/v8.2")]
    [InlineData("linux/armhf", "linux/arm/v7")]
    [InlineData("linux/armel", "linux/arm/v6")]
    [InlineData("linux/arm", "linux/arm/v7")]
    [InlineData("linux/arm/7", "linux/arm/v7")]
    [InlineData("linux/i386", "linux/386")]
    [InlineData("linux/i686", "linux/386")]
    [InlineData("linux/ppc64el", "linux/ppc64le")]
    [InlineData("linux/ppc64le", "linux/ppc64le")]
    [InlineData("LINUX/PPC64EL", "linux/ppc64le")]
    [InlineData("linux/s390x", "linux/s390x")]
    [InlineData("macos/arm64", "darwin/arm64")]
    public void Parse_NormalisesAliases(string input, string expected) =>
        Platform.Parse(input).ToString().ShouldBe(expected);

    [Theory]
    [InlineData("")]
    [InlineData("linux")]
    [InlineData("amd64")]
    [InlineData("linux/")]
    [InlineData("/amd64")]
    [InlineData("linux//v7")]
    [InlineData("linux/arm/v7/extra")]
    [InlineData("linux/amd 64")]
    [InlineData(" linux/amd64")]
    [InlineData("linux/amd64&")]
    [InlineData("linux/amd64;rm")]
    [InlineData("linux/$(id)")]
    [InlineData("linux/amd64\n")]
    [InlineData("--upload-pack=x/amd64")]
    [InlineData("linux/-x")]
    public void Parse_Malformed_ThrowsWithExample(string input)
    {
        var exception = Should.Throw<InvalidPlatformException>(() => Platform.Parse(input));

        exception.Message.ShouldContain("os/arch[/variant]");
        exception.Message.ShouldNotContain("\n");
        Platform.TryParse(input, out _, out var error).ShouldBeFalse();
        error.ShouldNotBeNull();
    }

    [Theory]
    [InlineData("linux/amd64", "linux/amd64")]
    [InlineData("linux/amd64/v1", "linux/amd64")]
    [InlineData("linux/amd64/v4", "linux/amd64/v4")]
    [InlineData("linux/arm/v5", "linux/arm/v5")]
    [InlineData("linux/arm/v8", "linux/arm/v8")]
    [InlineData("linux/armhf", "linux/arm/v7")]
    [InlineData("linux/aarch64/v8", "linux/arm64")]
    [InlineData("linux/arm64/v8.2", "linux/arm64/v8.2")]
    [InlineData("linux/arm64/v9", "linux/arm64/v9")]
    [InlineData("linux/arm64/v9.5", "linux/arm64/v9.5")]
    [InlineData("linux/ppc64el", "linux/ppc64le")]
    [InlineData("linux/riscv64", "linux/riscv64")]
    [InlineData("windows/amd64", "windows/amd64")]
    public void ParseKnown_AcceptsWhatTheSpecKnows(string input, string expected) =>
        Platform.ParseKnown(input).ToString().ShouldBe(expected);

    [Theory]
    [InlineData("linux/arm64/v99", "'v99' is not a variant of arm64")]
    [InlineData("linux/arm64/v7", "'v7' is not a variant of arm64")]
    [InlineData("linux/arm64/v10", "'v10' is not a variant of arm64")]
    [InlineData("linux/arm/v9", "'v9' is not a variant of arm")]
    [InlineData("linux/amd64/v5", "'v5' is not a variant of amd64")]
    [InlineData("linux/ppc64le/v2", "ppc64le has no variants")]
    [InlineData("linux/s390x/z15", "s390x has no variants")]
    [InlineData("linux/foo", "'foo' is not an architecture")]
    [InlineData("linx/amd64", "'linx' is not an operating system")]
    [InlineData("linux/&arm", "only letters, digits")]
    public void ParseKnown_UnknownOrMalformed_ThrowsNamingTheInputAndTheFix(string input, string reason)
    {
        var exception = Should.Throw<InvalidPlatformException>(() => Platform.ParseKnown(input));

        exception.Message.ShouldContain($"'{input}' is not a valid platform");
        exception.Message.ShouldContain(reason);
        exception.Message.ShouldContain("os/arch[/variant]");
        Platform.TryParseKnown(input, out _, out var error).ShouldBeFalse();
        error.ShouldNotBeNull();
    }

    [Fact]
    public void Parse_StaysLenientForWhatRegistriesHold() =>
        Platform.Parse("linux/arm64/v99").ToString().ShouldBe("linux/arm64/v99");

    [Fact]
    public void Linux_AcceptsDebianNames() => Platform.Linux("ppc64el").ShouldBe(new Platform("linux", "ppc64le"));

    [Fact]
    public void NoMatchingPlatformException_NamesRequestedAndAvailable()
    {
        var exception = new NoMatchingPlatformException(
            Platform.Parse("linux/s390x"),
            [Platform.Parse("linux/amd64"), Platform.Parse("linux/arm64"), Platform.Parse("linux/ppc64le")],
            Polyarch.Registry.References.ImageReference.Parse("127.0.0.1:5000/demo/echo:v2"));

        exception.Message.ShouldBe(
            "Image 127.0.0.1:5000/demo/echo:v2 has no variant for linux/s390x (it has linux/amd64, linux/arm64, linux/ppc64le). " +
            "Build it with --platform linux/s390x or run it on one of those.");
    }
}
