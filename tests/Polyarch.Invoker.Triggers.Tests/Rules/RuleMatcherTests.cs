using Polyarch.Invoker.Rules;
using Polyarch.Registry.Notifications;
using Polyarch.Registry.References;

namespace Polyarch.Invoker.Triggers.Tests.Rules;

public sealed class RuleMatcherTests
{
    private static readonly Digest SomeDigest = Digest.Parse("sha256:" + new string('a', 64));

    [Theory]
    [InlineData("demo/echo", "*", "127.0.0.1:5000", "demo/echo", "latest", true)]
    [InlineData("demo/echo", "latest", "127.0.0.1:5000", "demo/echo", "v2", false)]
    [InlineData("demo/*", "v*", "127.0.0.1:5000", "demo/echo", "v2", true)]
    [InlineData("demo/*", "*", "127.0.0.1:5000", "demo/team/echo", "v2", false)]
    [InlineData("demo/**", "*", "127.0.0.1:5000", "demo/team/echo", "v2", true)]
    [InlineData("127.0.0.1:5000/demo/echo", "*", "127.0.0.1:5000", "demo/echo", "v2", true)]
    [InlineData("127.0.0.1:5001/demo/echo", "*", "127.0.0.1:5000", "demo/echo", "v2", false)]
    [InlineData("registry.lan/demo/echo", "*", "registry.lan", "demo/echo", "v2", true)]
    [InlineData("demo/echo", "v?", "127.0.0.1:5000", "demo/echo", "v10", false)]
    [InlineData("demo/ech.", "*", "127.0.0.1:5000", "demo/echo", "v1", false)]
    [InlineData("demo/echo", "(.*)", "127.0.0.1:5000", "demo/echo", "v1", false)]
    public void Matches_RepositoryAndTagGlobs(string repository, string tag, string registry, string pushedRepository, string pushedTag, bool expected)
    {
        var rule = new RuleDefinition { Name = "r", Repository = repository, Tag = tag };
        var push = new ImagePush(registry, pushedRepository, pushedTag, SomeDigest, "application/vnd.oci.image.index.v1+json");

        RuleMatcher.Matches(rule, push).ShouldBe(expected);
    }
}
