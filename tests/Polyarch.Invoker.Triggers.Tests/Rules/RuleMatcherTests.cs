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

    [Theory]
    [InlineData(null, null, "push", true, false)]
    [InlineData("application/vnd.polyarch.dataset.v1", null, "artifact", false, true)]
    [InlineData(null, "*/5 * * * *", "schedule", false, false)]
    public void Matches_AnImageRuleOnlyImagePushes_AnArtifactRuleOnlyArtifactPushes_AScheduleNeither(string? artifactType, string? schedule, string kind, bool image, bool artifact)
    {
        var rule = new RuleDefinition
        {
            Name = "r",
            Repository = schedule is null ? "demo/**" : null,
            ArtifactType = artifactType,
            Schedule = schedule,
            Workflow = "w",
        };

        rule.Event.ShouldBe(kind);
        RuleMatcher.Matches(rule, new ImagePush("127.0.0.1:5000", "demo/digits", "batch-1", SomeDigest, "application/vnd.oci.image.manifest.v1+json")).ShouldBe(image);
        RuleMatcher.Matches(rule, new ArtifactPush("127.0.0.1:5000", "demo/digits", "batch-1", SomeDigest, "application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.empty.v1+json")).ShouldBe(artifact);
    }

    [Theory]
    [InlineData("application/vnd.polyarch.dataset.v1", "application/vnd.polyarch.dataset.v1", true)]
    [InlineData("application/vnd.polyarch.dataset.v1", "application/VND.polyarch.dataset.v1", true)]
    [InlineData("application/vnd.polyarch.dataset.v1", "application/vnd.polyarch.step-result.v1+json", false)]
    [InlineData("application/vnd.polyarch.dataset.v1", null, false)]
    public void MatchesType_ComparesTheArtifactType(string ruleType, string? artifactType, bool expected) =>
        RuleMatcher.MatchesType(new RuleDefinition { Name = "r", Repository = "demo/x", ArtifactType = ruleType }, artifactType).ShouldBe(expected);
}
