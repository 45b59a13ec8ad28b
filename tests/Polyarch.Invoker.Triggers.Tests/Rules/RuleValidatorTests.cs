using Polyarch.Invoker.Rules;

namespace Polyarch.Invoker.Triggers.Tests.Rules;

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
    [InlineData("ok", "**", "*", new[] { "all" }, 0)]
    [InlineData("ok", "demo/ech?-*", "v1.?", new[] { "linux/arm/v7" }, 0)]
    [InlineData("ok", "localhost:5000/**/echo", "*", new[] { "linux/arm64/v8" }, 0)]
    [InlineData("ok", "UPPER/Case", "*", new[] { "all" }, 1)]
    [InlineData("ok", "demo/Echo*", "*", new[] { "all" }, 1)]
    [InlineData("ok", "a..b", "*", new[] { "all" }, 1)]
    [InlineData("ok", "$(id)/x", "*", new[] { "all" }, 1)]
    [InlineData("ok", "../../etc/passwd", "*", new[] { "all" }, 1)]
    [InlineData("ok", "demo//echo", "*", new[] { "all" }, 1)]
    [InlineData("ok", "demo/echo:latest", "*", new[] { "all" }, 1)]
    [InlineData("ok", "demo/*-", "*", new[] { "all" }, 1)]
    [InlineData("ok", "*.example.com/demo", "*", new[] { "all" }, 1)]
    [InlineData("ok", "demo/echo", "-v*", new[] { "all" }, 1)]
    [InlineData("ok", "demo/echo", "v$(id)", new[] { "all" }, 1)]
    [InlineData("ok", "demo/echo", "*", new[] { "linux/&arm" }, 1)]
    [InlineData("ok", "demo/echo", "*", new[] { "linux/arm64/v99" }, 1)]
    [InlineData("ok", "demo/echo", "*", new[] { "linux/amd64", "linux/arm64/v99" }, 1)]
    public void Validate_ReportsEveryProblem(string name, string repository, string tag, string[] platforms, int problems)
    {
        var rule = new RuleDefinition { Name = name, Repository = repository, Tag = tag, Platforms = platforms };

        RuleValidator.Validate(rule).Count.ShouldBe(problems);
    }

    [Theory]
    [InlineData("UPPER/Case", "the component 'UPPER'")]
    [InlineData("demo/a..b", "the component 'a..b'")]
    [InlineData("*.example.com/demo", "the registry '*.example.com'")]
    public void Validate_RepositoryThatCanMatchNothing_NamesTheComponentAndTheFix(string repository, string reason)
    {
        var error = RuleValidator.Validate(new RuleDefinition { Name = "ok", Repository = repository }).ShouldHaveSingleItem();

        error.ShouldContain($"Repository pattern '{repository}' can never match a repository");
        error.ShouldContain(reason);
        error.ShouldContain("such as demo/echo, demo/*");
    }
}
