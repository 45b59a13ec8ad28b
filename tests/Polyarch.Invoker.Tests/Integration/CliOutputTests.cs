using Polyarch.Invoker.Tests.Support;

namespace Polyarch.Invoker.Tests.Integration;

/// <summary>What a person reads when a dependency is down: a few one-line warnings and one error, unless --verbose.</summary>
[Trait("Category", "Integration")]
public sealed class CliOutputTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("invoker-cliout-").FullName;

    public void Dispose() => Directory.Delete(_state, recursive: true);

    [Fact]
    public async Task Invoke_RegistryDown_PrintsAFewOneLineWarningsAndTheError_ExitsThree()
    {
        var registry = $"127.0.0.1:{InvokerCli.ClosedPort()}";

        var result = await InvokerCli.RunAsync(_state, "invoke", $"{registry}/demo/echo:latest");

        result.ExitCode.ShouldBe(3, result.StandardError);
        var lines = InvokerCli.Lines(result.StandardError);
        lines.Length.ShouldBeLessThanOrEqualTo(5, result.StandardError);
        lines[^1].ShouldStartWith("error: The registry http://" + registry);
        lines[..^1].ShouldAllBe(line => line.StartsWith("warning: Retrying GET", StringComparison.Ordinal));
        result.StandardError.ShouldNotContain("   at ");
        result.StandardOutput.ShouldBeEmpty();
    }

    [Fact]
    public async Task Invoke_RegistryDown_Verbose_ShowsTheDetail_ExitsThree()
    {
        var registry = $"127.0.0.1:{InvokerCli.ClosedPort()}";

        var result = await InvokerCli.RunAsync(_state, "invoke", $"{registry}/demo/echo:latest", "--verbose");

        result.ExitCode.ShouldBe(3, result.StandardError);
        result.StandardError.ShouldContain("System.Net.Http.HttpRequestException");
        result.StandardError.ShouldContain("   at ");
        InvokerCli.Lines(result.StandardError)[^1].ShouldStartWith("error: The registry http://" + registry);
    }
}
