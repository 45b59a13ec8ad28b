using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Invocation;

namespace Polyarch.Invoker.Kubernetes.Tests.Lifecycle;

/// <summary>The exec pod's last log line becomes the result, classified by the core's one classifier.</summary>
public sealed class ExecResultTests
{
    [Theory]
    [InlineData("""{"arch":"x86_64"}""", ActivationStatus.Success)]
    [InlineData("""{"error":"bad input"}""", ActivationStatus.ApplicationError)]
    [InlineData("[1,2]", ActivationStatus.DeveloperError)]
    [InlineData("42", ActivationStatus.DeveloperError)]
    [InlineData("not json", ActivationStatus.DeveloperError)]
    [InlineData("{\"unterminated\":", ActivationStatus.DeveloperError)]
    [InlineData("", ActivationStatus.DeveloperError)]
    [InlineData(null, ActivationStatus.DeveloperError)]
    public void Parse_maps_the_answer_to_a_status(string? line, string expected)
    {
        OutcomeClassifier.FromText(line, 1 << 20).Status.ShouldBe(expected);
    }

    [Fact]
    public void Parse_refuses_results_over_the_limit_and_says_so()
    {
        var (status, result, truncated) = OutcomeClassifier.FromText($"{{\"x\":\"{new string('a', 100)}\"}}", 64);

        status.ShouldBe(ActivationStatus.DeveloperError);
        truncated.ShouldBeTrue();
        result!["error"]!.GetValue<string>().ShouldContain("larger than the limit of 64 bytes");
    }
}
