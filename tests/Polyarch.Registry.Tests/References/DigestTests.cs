using System.Text;
using Polyarch.Registry.References;

namespace Polyarch.Registry.Tests.References;

public sealed class DigestTests
{
    [Fact]
    public void Compute_EmptyContent_IsTheWellKnownSha256()
    {
        Digest.Compute([]).ToString().ShouldBe("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    [Fact]
    public void Matches_SameAndOtherContent()
    {
        var content = Encoding.UTF8.GetBytes("hello");
        var digest = Digest.Compute(content);

        digest.Matches(content).ShouldBeTrue();
        digest.Matches(Encoding.UTF8.GetBytes("hellO")).ShouldBeFalse();
    }

    [Fact]
    public void Sha512_RoundTripsAndMatches()
    {
        var content = Encoding.UTF8.GetBytes("hello");
        var digest = Digest.Compute(content, Digest.Sha512);

        digest.Algorithm.ShouldBe("sha512");
        digest.Hex.Length.ShouldBe(128);
        Digest.Parse(digest.ToString()).ShouldBe(digest);
        digest.Matches(content).ShouldBeTrue();
    }

    [Theory]
    [InlineData("")]
    [InlineData("sha256")]
    [InlineData("sha256:")]
    [InlineData("sha256:abc")]
    [InlineData("SHA256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]
    [InlineData("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85")]
    [InlineData("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n")]
    [InlineData("sha512:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("sha256:$(id)")]
    public void Parse_Malformed_Throws(string input) =>
        Should.Throw<InvalidReferenceException>(() => Digest.Parse(input)).Message.ShouldNotContain("\n");
}
