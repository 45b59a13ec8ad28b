using Polyarch.Builder.Buildx;

namespace Polyarch.Builder.Tests.Buildx;

public sealed class PlatformNameTests
{
    [Theory]
    [InlineData("linux/amd64", "linux/amd64")]
    [InlineData("linux/x86_64", "linux/amd64")]
    [InlineData("x86_64", "linux/amd64")]
    [InlineData("linux/aarch64", "linux/arm64")]
    [InlineData("linux/arm64/v8", "linux/arm64")]
    [InlineData("linux/ppc64el", "linux/ppc64le")]
    [InlineData("LINUX/PPC64LE", "linux/ppc64le")]
    [InlineData("linux/arm", "linux/arm/v7")]
    [InlineData("linux/amd64/v3*", "linux/amd64/v3")]
    [InlineData("linux/", null)]
    [InlineData("linux/arm64;rm -rf", null)]
    [InlineData("a/b/c/d", null)]
    [InlineData("", null)]
    public void Normalize_applies_containerd_aliases_and_rejects_garbage(string input, string? expected) =>
        PlatformName.Normalize(input).ShouldBe(expected);
}
