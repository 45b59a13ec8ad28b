using Polyarch.Builder.Errors;
using Polyarch.Builder.Git;

namespace Polyarch.Builder.Tests.Git;

public sealed class SourceUrlTests
{
    [Theory]
    [InlineData("https://git.example.com/team/app.git/", "https://git.example.com/team/app.git")]
    [InlineData("file:///srv/git/app.git", "/srv/git/app.git")]
    [InlineData("/srv/git/app/", "/srv/git/app")]
    [InlineData("git@git.example.com:team/app.git", "git@git.example.com:team/app.git")]
    public void Normalize_gives_one_key_per_remote(string input, string expected) =>
        SourceUrl.Normalize(input).ShouldBe(expected);

    [Fact]
    public void Normalize_refuses_credentials_in_urls_without_echoing_them()
    {
        var exception = Should.Throw<InvalidBuildInputException>(() => SourceUrl.Normalize("https://user:s3cret@git.example.com/team/app.git"));

        exception.Message.ShouldNotContain("s3cret");
    }

    [Theory]
    [InlineData("https://git.example.com/team/App.git", "App")]
    [InlineData("/srv/git/echo", "echo")]
    [InlineData("git@host:team/tool.git", "tool")]
    public void LastSegment_drops_dot_git(string url, string expected) =>
        SourceUrl.LastSegment(url).ShouldBe(expected);
}
