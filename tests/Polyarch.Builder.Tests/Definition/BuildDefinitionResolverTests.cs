using Polyarch.Builder.Definition;
using Polyarch.Builder.Errors;

namespace Polyarch.Builder.Tests.Definition;

public sealed class BuildDefinitionResolverTests
{
    private const string Checkout = "/work/build/src";

    [Theory]
    [InlineData("""{"target":{"default":{"context":"."}}}""", "default")]
    [InlineData("""{"group":{"default":{"targets":["api","web"]}},"target":{"api":{"context":"api"},"web":{"context":"./web/"}}}""", "api,web")]
    [InlineData("""{"target":{"app":{"context":".","contexts":{"base":"docker-image://127.0.0.1:5000/polyarch/busybox:latest","deps":"target:deps"}}}}""", "app")]
    [InlineData("""{"target":{"remote":{"context":"https://github.com/example/app.git"}}}""", "remote")]
    public void ParseTargets_reads_the_printed_targets(string printed, string expected) =>
        string.Join(',', BuildDefinitionResolver.ParseTargets(printed, Checkout)).ShouldBe(expected);

    [Theory]
    [InlineData("""{"target":{"x":{"context":"/etc"}}}""")]
    [InlineData("""{"target":{"x":{"context":"../../.."}}}""")]
    [InlineData("""{"target":{"x":{"context":"../src-evil"}}}""")]
    [InlineData("""{"target":{"x":{"context":".","contexts":{"secrets":"/root/.ssh"}}}}""")]
    [InlineData("""{"group":{}}""")]
    public void ParseTargets_refuses_contexts_outside_the_checkout_and_empty_files(string printed) =>
        Should.Throw<InvalidBuildInputException>(() => BuildDefinitionResolver.ParseTargets(printed, Checkout)).ExitCode.ShouldBe(2);
}
