using Polyarch.Invoker.Platforms;

namespace Polyarch.Invoker.Core.Tests.Platforms;

public sealed class PlatformNameTests
{
    [Theory]
    [InlineData("linux/amd64", "linux/amd64")]
    [InlineData("linux/x86_64", "linux/amd64")]
    [InlineData("Linux/AARCH64", "linux/arm64")]
    [InlineData("linux/arm64/v8", "linux/arm64")]
    [InlineData("linux/ppc64el", "linux/ppc64le")]
    [InlineData("linux/armhf", "linux/arm/v7")]
    [InlineData("linux/arm", "linux/arm/v7")]
    public void Normalize_Aliases(string input, string expected) => PlatformName.Normalize(input).ShouldBe(expected);

    [Theory]
    [InlineData("")]
    [InlineData("amd64")]
    [InlineData("linux/")]
    [InlineData("linux/amd64/v2/extra")]
    [InlineData("linux/amd 64")]
    [InlineData("linux/../etc")]
    [InlineData("linux/amd64;rm -rf")]
    [InlineData("linux/&arm")]
    [InlineData("linux/arm64/v99")]
    [InlineData("linux/arm/v9")]
    [InlineData("linux/s390x/v2")]
    public void TryNormalize_HostileInput_IsRejected(string input)
    {
        PlatformName.TryNormalize(input, out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData("linux/arm64", "linux/arm64", true)]
    [InlineData("linux/arm", "linux/arm/v7", true)]
    [InlineData("linux/arm/v6", "linux/arm/v7", false)]
    [InlineData("linux/amd64", "linux/arm64", false)]
    [InlineData("windows/amd64", "linux/amd64", false)]
    public void IsCompatible(string requested, string candidate, bool expected) =>
        PlatformName.IsCompatible(requested, candidate).ShouldBe(expected);
}
