using Polyarch.Builder.Cli;

namespace Polyarch.Builder.Tests.Cli;

public sealed class RepositoryNameTests
{
    [Theory]
    [InlineData("demo/echo", true)]
    [InlineData("a/b/c-d_e.f", true)]
    [InlineData("Demo/echo", false)]
    [InlineData("demo//echo", false)]
    [InlineData("demo/echo:latest", false)]
    [InlineData("-demo", false)]
    [InlineData("../etc", false)]
    [InlineData("", false)]
    public void IsValid_follows_the_distribution_grammar(string name, bool valid) =>
        RepositoryName.IsValid(name).ShouldBe(valid);

    [Theory]
    [InlineData("My_Func", "my_func")]
    [InlineData("hello world!", "hello-world")]
    [InlineData("...", "build")]
    public void FromSource_makes_a_valid_name(string segment, string expected)
    {
        RepositoryName.FromSource(segment).ShouldBe(expected);
        RepositoryName.IsValid(RepositoryName.FromSource(segment)).ShouldBeTrue();
    }
}
