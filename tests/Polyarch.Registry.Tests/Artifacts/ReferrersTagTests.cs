using Polyarch.Registry.Artifacts;
using Polyarch.Registry.References;

namespace Polyarch.Registry.Tests.Artifacts;

public sealed class ReferrersTagTests
{
    [Fact]
    public void For_Sha256_IsAlgorithmDashHex()
    {
        var digest = Digest.Parse("sha256:bd2561549c2561a8517ab25b8c10287d8f677711d00b6c4969ddb7e00c86817d");

        ReferrersTag.For(digest).ShouldBe("sha256-bd2561549c2561a8517ab25b8c10287d8f677711d00b6c4969ddb7e00c86817d");
    }

    [Fact]
    public void For_Sha512_TruncatesTheEncodedPartTo64Characters()
    {
        var digest = Digest.Parse("sha512:" + new string('a', 64) + new string('b', 64));

        ReferrersTag.For(digest).ShouldBe("sha512-" + new string('a', 64));
    }

    [Theory]
    [InlineData("sha256-bd2561549c2561a8517ab25b8c10287d8f677711d00b6c4969ddb7e00c86817d", true)]
    [InlineData("sha512-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", true)]
    [InlineData("sha256-BD2561549C2561A8517AB25B8C10287D8F677711D00B6C4969DDB7E00C86817D", false)]
    [InlineData("sha256-bd25", false)]
    [InlineData("sha256-bd2561549c2561a8517ab25b8c10287d8f677711d00b6c4969ddb7e00c86817d.sig", false)]
    [InlineData("latest", false)]
    [InlineData(null, false)]
    public void IsReferrersTag(string? tag, bool expected) => ReferrersTag.IsReferrersTag(tag).ShouldBe(expected);
}
