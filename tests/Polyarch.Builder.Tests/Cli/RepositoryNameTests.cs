using Polyarch.Builder.Cli;
using Polyarch.Builder.Publishing;

namespace Polyarch.Builder.Tests.Cli;

public sealed class RepositoryNameTests
{
    [Theory]
    [InlineData("My_Func", "my_func")]
    [InlineData("hello world!", "hello-world")]
    [InlineData("...", "build")]
    public void FromSource_makes_a_valid_name(string segment, string expected)
    {
        RepositoryName.FromSource(segment).ShouldBe(expected);
        RegistryNames.RepositoryProblem("127.0.0.1:5000", RepositoryName.FromSource(segment)).ShouldBeNull();
    }
}
