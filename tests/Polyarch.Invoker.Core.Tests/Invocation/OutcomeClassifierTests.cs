using System.Text;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Invocation;

namespace Polyarch.Invoker.Core.Tests.Invocation;

public sealed class OutcomeClassifierTests
{
    [Theory]
    [InlineData("{\"arch\":\"x86_64\"}", true, ActivationStatus.Success)]
    [InlineData("{\"error\":\"bad input\"}", true, ActivationStatus.ApplicationError)]
    [InlineData("{\"error\":\"bad input\"}", false, ActivationStatus.DeveloperError)]
    [InlineData("{\"ok\":true}", false, ActivationStatus.DeveloperError)]
    [InlineData("this is not JSON", true, ActivationStatus.DeveloperError)]
    [InlineData("[1,2,3]", true, ActivationStatus.DeveloperError)]
    [InlineData("42", true, ActivationStatus.DeveloperError)]
    [InlineData("", true, ActivationStatus.DeveloperError)]
    [InlineData("{\"a\":", true, ActivationStatus.DeveloperError)]
    [InlineData("null", true, ActivationStatus.DeveloperError)]
    public void FromResponse_ClassifiesLikeOpenWhisk(string body, bool ok, string expected)
    {
        OutcomeClassifier.FromResponse(Encoding.UTF8.GetBytes(body), ok, exceeded: false, 1024).Status.ShouldBe(expected);
    }

    [Fact]
    public void FromResponse_DeeplyNested_IsADeveloperErrorNotACrash()
    {
        var body = new string('[', 10_000) + new string(']', 10_000);

        OutcomeClassifier.FromResponse(Encoding.UTF8.GetBytes(body), true, false, 1 << 20).Status.ShouldBe(ActivationStatus.DeveloperError);
    }

    [Fact]
    public void FromResponse_Exceeded_IsTruncatedDeveloperError()
    {
        var outcome = OutcomeClassifier.FromResponse([], true, exceeded: true, 1024);

        outcome.Status.ShouldBe(ActivationStatus.DeveloperError);
        outcome.Truncated.ShouldBeTrue();
        outcome.Result!["error"]!.ToString().ShouldContain("larger than the limit of 1024 bytes");
    }

    [Theory]
    [InlineData(true, 137, null, "OOM-killed")]
    [InlineData(false, 1, "exec /action/entrypoint: exec format error", "exec format error")]
    [InlineData(false, 3, "crashing", "exited with code 3")]
    public void FromContainerExit_SaysWhatHappened(bool oom, long exitCode, string? logs, string expected)
    {
        var outcome = OutcomeClassifier.FromContainerExit(oom, exitCode, 64, logs);

        outcome.Status.ShouldBe(ActivationStatus.DeveloperError);
        outcome.Result!["error"]!.ToString().ShouldContain(expected);
    }

    [Fact]
    public void Timeout_IsADeveloperError() =>
        OutcomeClassifier.Timeout(500).Result!["error"]!.ToString().ShouldContain("time limit of 500 ms");

    [Theory]
    [InlineData("failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \"/no-such-entrypoint\": stat /no-such-entrypoint: no such file or directory: unknown", "exec: \"/no-such-entrypoint\": stat /no-such-entrypoint: no such file or directory)")]
    [InlineData("OCI runtime create failed: runc create failed: unable to start container process: exec: \"/x\": permission denied: unknown", "permission denied")]
    [InlineData("OCI runtime create failed: unable to start container process: exec: \"run\": executable file not found in $PATH: unknown", "executable file not found")]
    [InlineData("exec /action/entrypoint: exec format error", "exec format error")]
    public void StartFailure_EntrypointThatCannotRun_IsADeveloperErrorNamingIt(string engineMessage, string expected)
    {
        var outcome = OutcomeClassifier.StartFailure(engineMessage);

        outcome.ShouldNotBeNull();
        outcome.Status.ShouldBe(ActivationStatus.DeveloperError);
        outcome.Result!["error"]!.ToString().ShouldContain(expected);
        outcome.Result!["error"]!.ToString().ShouldNotContain("\n");
    }

    [Theory]
    [InlineData("Cannot connect to the Docker daemon at unix:///var/run/docker.sock")]
    [InlineData("driver failed programming external connectivity on endpoint x: port is already allocated")]
    [InlineData(null)]
    public void StartFailure_EngineProblem_StaysASystemError(string? engineMessage) =>
        OutcomeClassifier.StartFailure(engineMessage).ShouldBeNull();
}
