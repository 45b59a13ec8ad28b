using Polyarch.Registry.Artifacts;

namespace Polyarch.Registry.Tests.Artifacts;

public sealed class ArtifactFileTests
{
    [Theory]
    [InlineData("../evil")]
    [InlineData("a/b.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("a\\b.txt")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("")]
    [InlineData("line\nbreak")]
    [InlineData("nul\0byte")]
    public void FromBytes_TitleThatIsNotAPlainFileName_IsRefused(string title)
    {
        var exception = Should.Throw<InvalidArtifactException>(() => ArtifactFile.FromBytes(title, new byte[] { 1 }));

        exception.Message.ShouldContain("plain file name");
    }

    [Theory]
    [InlineData("model.pkl")]
    [InlineData("..hidden")]
    [InlineData("batch-1.csv")]
    [InlineData("résultat final.json")]
    public void FromBytes_PlainFileName_IsAccepted(string title) =>
        ArtifactFile.FromBytes(title, new byte[] { 1 }).Title.ShouldBe(title);

    [Fact]
    public void FromFile_TitleIsTheFileName()
    {
        var file = ArtifactFile.FromFile("/tmp/some/dir/model.pkl");

        file.Title.ShouldBe("model.pkl");
        file.Path.ShouldBe("/tmp/some/dir/model.pkl");
    }
}
