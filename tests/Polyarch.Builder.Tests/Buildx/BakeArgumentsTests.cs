using Polyarch.Builder.Buildx;
using Polyarch.Builder.Definition;

namespace Polyarch.Builder.Tests.Buildx;

public sealed class BakeArgumentsTests
{
    private static BakeInvocation Invocation(string? builder = null, params BuildTarget[] targets) => new(
        new BuildDefinition(["/work/polyarch.bake.json"], targets.Length > 0 ? targets : [new BuildTarget("default", "demo/echo")], FromBakeFile: false),
        "127.0.0.1:5000",
        ["linux/amd64", "linux/arm64"],
        "polyarch-build-abc",
        "https://git.example.com/team/echo,x.git",
        "0123456789abcdef0123456789abcdef01234567",
        new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero),
        "/work/metadata.json",
        builder);

    [Fact]
    public void Build_pushes_only_the_staging_tag_with_rawjson_metadata_cache_and_annotations()
    {
        var arguments = BakeArguments.Build(Invocation());

        arguments.Take(2).ShouldBe(["buildx", "bake"]);
        arguments.ShouldContain("--push");
        arguments.ShouldContain("rawjson");
        arguments.ShouldContain("/work/metadata.json");
        arguments.ShouldContain("default.platform=linux/amd64");
        arguments.ShouldContain("default.platform=linux/arm64");
        arguments.Where(a => a.StartsWith("default.tags=", StringComparison.Ordinal)).ShouldBe(["default.tags=127.0.0.1:5000/demo/echo:polyarch-build-abc"]);
        arguments.ShouldContain("default.labels.org.opencontainers.image.revision=0123456789abcdef0123456789abcdef01234567");
        arguments.ShouldContain("default.labels.org.opencontainers.image.created=2026-11-26T12:00:00Z");
        arguments.ShouldContain("default.cache-to=type=registry,ref=127.0.0.1:5000/demo/echo:buildcache,mode=max");
        arguments.ShouldContain("default.cache-from=type=registry,ref=127.0.0.1:5000/demo/echo:buildcache");
        var output = arguments.Single(a => a.StartsWith("default.output=", StringComparison.Ordinal));
        output.ShouldContain("\"annotation-index.org.opencontainers.image.source=https://git.example.com/team/echo,x.git\"");
        arguments.ShouldNotContain("--builder");
        arguments.TakeLast(2).ShouldBe(["--", "default"]);
    }

    [Fact]
    public void Build_passes_the_builder_and_every_target()
    {
        var arguments = BakeArguments.Build(Invocation("arm-farm", new BuildTarget("api", "demo/app/api"), new BuildTarget("web", "demo/app/web")));

        arguments.ShouldContain("arm-farm");
        arguments[arguments.ToList().IndexOf("--builder") + 1].ShouldBe("arm-farm");
        arguments.ShouldContain("web.tags=127.0.0.1:5000/demo/app/web:polyarch-build-abc");
        arguments.TakeLast(3).ShouldBe(["--", "api", "web"]);
    }

    [Fact]
    public void Build_refuses_line_breaks_in_values()
    {
        var invocation = Invocation() with { SourceUrl = "https://x\n--set *.output=type=local" };

        Should.Throw<ArgumentException>(() => BakeArguments.Build(invocation));
    }
}
