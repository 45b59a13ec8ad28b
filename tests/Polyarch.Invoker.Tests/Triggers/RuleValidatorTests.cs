using Polyarch.Invoker.Rules;

namespace Polyarch.Invoker.Tests.Triggers;

public sealed class RuleValidatorTests
{
    [Theory]
    [InlineData("ok", "demo/echo", "*", new[] { "all" }, 0)]
    [InlineData("ok", "demo/echo", "latest", new[] { "native" }, 0)]
    [InlineData("ok", "127.0.0.1:5000/demo/*", "v*", new[] { "linux/amd64", "linux/arm64" }, 0)]
    [InlineData("", "demo/echo", "*", new[] { "all" }, 1)]
    [InlineData("bad name", "demo/echo", "*", new[] { "all" }, 1)]
    [InlineData("ok", "", "*", new[] { "all" }, 1)]
    [InlineData("ok", "demo echo", "*", new[] { "all" }, 1)]
    [InlineData("ok", "demo/echo", "a/b", new[] { "all" }, 1)]
    [InlineData("ok", "demo/echo", "*", new string[0], 1)]
    [InlineData("ok", "demo/echo", "*", new[] { "all", "linux/amd64" }, 1)]
    [InlineData("ok", "demo/echo", "*", new[] { "nonsense" }, 1)]
    [InlineData("bad name", "", "", new[] { "x" }, 4)]
    public void Validate_ReportsEveryProblem(string name, string repository, string tag, string[] platforms, int problems)
    {
        var rule = new RuleDefinition { Name = name, Repository = repository, Tag = tag, Platforms = platforms };

        RuleValidator.Validate(rule).Count.ShouldBe(problems);
    }
}
