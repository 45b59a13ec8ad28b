using Polyarch.Invoker.Kubernetes.Lifecycle;

namespace Polyarch.Invoker.Kubernetes.Tests.Lifecycle;

/// <summary>The exec pod's last log line becomes the result.</summary>
public sealed class ResultParserTests
{
    [Theory]
    [InlineData("""{"arch":"x86_64"}""", RunStatus.Success)]
    [InlineData("""{"error":"bad input"}""", RunStatus.ApplicationError)]
    [InlineData("[1,2]", RunStatus.DeveloperError)]
    [InlineData("42", RunStatus.DeveloperError)]
    [InlineData("not json", RunStatus.DeveloperError)]
    [InlineData("{\"unterminated\":", RunStatus.DeveloperError)]
    [InlineData("", RunStatus.DeveloperError)]
    [InlineData(null, RunStatus.DeveloperError)]
    public void Parse_maps_the_answer_to_a_status(string? line, string expected)
    {
        ResultParser.Parse(line, 1 << 20).Status.ShouldBe(expected);
    }

    [Fact]
    public void Parse_refuses_results_over_the_limit_and_says_so()
    {
        var (status, result, truncated) = ResultParser.Parse($"{{\"x\":\"{new string('a', 100)}\"}}", 64);

        status.ShouldBe(RunStatus.DeveloperError);
        truncated.ShouldBeTrue();
        result!["error"]!.GetValue<string>().ShouldContain("64-byte limit");
    }
}
