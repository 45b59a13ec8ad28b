using Polyarch.Builder.Builds;

namespace Polyarch.Builder.Tests.Builds;

public sealed class ImageTagsTests
{
    private const string Commit = "0123456789ABCDEF0123456789abcdef01234567";

    [Theory]
    [InlineData("main", true, "0123456789ab,main,latest")]
    [InlineData("feature/arm-fix", false, "0123456789ab,feature-arm-fix")]
    [InlineData("latest", false, "0123456789ab")]
    [InlineData("latest", true, "0123456789ab,latest")]
    [InlineData("-.weird", false, "0123456789ab,weird")]
    [InlineData("ünïcode/ß", false, "0123456789ab,n-code--")]
    [InlineData("///", false, "0123456789ab")]
    [InlineData(null, false, "0123456789ab")]
    public void For_writes_commit_branch_and_latest(string? branch, bool isDefault, string expected) =>
        string.Join(',', ImageTags.For(Commit, branch, isDefault)).ShouldBe(expected);

    [Fact]
    public void SanitizeBranch_caps_length_at_128()
    {
        ImageTags.SanitizeBranch(new string('a', 300))!.Length.ShouldBe(128);
    }
}
