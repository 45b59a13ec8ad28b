using Polyarch.Builder.Git;

namespace Polyarch.Builder.Tests.Git;

/// <summary>The rules of git check-ref-format(1), each with the hostile input that breaks it.</summary>
public sealed class GitRefNameTests
{
    [Theory]
    [InlineData("main")]
    [InlineData("feature/arm-fix")]
    [InlineData("refs/heads/release/1.2")]
    [InlineData("v1.0.0")]
    [InlineData("user@host")]
    [InlineData("$(id)")] // git allows it; the tag made from it is sanitised (ImageTags) and nothing runs it through a shell.
    [InlineData("ünïcödé")]
    public void Valid_ref_names_pass(string name) => GitRefName.Problem(name).ShouldBeNull();

    [Theory]
    [InlineData("", "empty")]
    [InlineData("a..b", "'..'")]
    [InlineData("../../etc/passwd", "'..'")]
    [InlineData(".hidden", "starts with '.'")]
    [InlineData("feature/.x", "starts with '.'")]
    [InlineData("main.lock", "ends with '.lock'")]
    [InlineData("refs/heads/x.lock/y", "ends with '.lock'")]
    [InlineData("main.", "ends with '.'")]
    [InlineData("/main", "'/'")]
    [InlineData("main/", "'/'")]
    [InlineData("a//b", "'//'")]
    [InlineData("@", "'@'")]
    [InlineData("a@{1}", "'@{'")]
    [InlineData("has space", "a space")]
    [InlineData("a~1", "'~'")]
    [InlineData("a^2", "'^'")]
    [InlineData("a:b", "':'")]
    [InlineData("a?b", "'?'")]
    [InlineData("a*b", "'*'")]
    [InlineData("a[b", "'['")]
    [InlineData("a\\b", "'\\'")]
    [InlineData("line\nbreak", "\\u000a")]
    [InlineData("tab\there", "\\u0009")]
    [InlineData("del\u007f", "\\u007f")]
    [InlineData("--upload-pack=touch /tmp/pwned", "starts with '-'")]
    public void Invalid_ref_names_are_refused_saying_why(string name, string reason) =>
        GitRefName.Problem(name).ShouldNotBeNull().ShouldContain(reason);

    [Fact]
    public void A_ref_longer_than_a_file_name_is_refused()
    {
        GitRefName.Problem(new string('a', 255)).ShouldBeNull();
        GitRefName.Problem(new string('a', 300)).ShouldNotBeNull().ShouldContain("300 bytes long");
        GitRefName.Problem(new string('é', 200)).ShouldNotBeNull().ShouldContain("400 bytes long");
    }
}
