using System.Net;
using System.Net.Sockets;
using Polyarch.Builder.Tests.Support;

namespace Polyarch.Builder.Tests.Cli;

/// <summary>What a person reads when a dependency is down: a few lines and the one-line error, not every retry's stack trace.</summary>
[Trait("Category", "Integration")] // The pre-flight asks the real buildx for its platforms.
public sealed class BuildCommandOutputTests : IDisposable
{
    private const int MaxLines = 8;
    private readonly TempDirectory _state = new();
    private readonly TestGitRepository _repository = new();

    [Fact]
    public async Task With_the_registry_down_the_CLI_prints_a_few_lines_without_stack_traces_and_exits_3()
    {
        _repository.Commit(new Dictionary<string, string> { ["Dockerfile"] = "FROM scratch\n" });
        var down = $"127.0.0.1:{ClosedPort()}";

        var result = await BuilderProcess.RunAsync(_state.Path, "build", _repository.Path, "--registry", down, "--repository", "demo/down", "--platforms", "linux/amd64");

        result.ExitCode.ShouldBe(3, result.Stderr);
        result.StderrLines.Count.ShouldBeLessThanOrEqualTo(MaxLines, result.Stderr);
        result.Stderr.ShouldNotContain("   at ");
        result.StderrLines[^1].ShouldStartWith($"error: The registry {down} does not answer");
    }

    [Fact]
    public async Task With_verbose_the_retries_are_logged_with_their_exceptions()
    {
        _repository.Commit(new Dictionary<string, string> { ["Dockerfile"] = "FROM scratch\n" });
        var down = $"127.0.0.1:{ClosedPort()}";

        var result = await BuilderProcess.RunAsync(_state.Path, "build", _repository.Path, "--registry", down, "--repository", "demo/down", "--platforms", "linux/amd64", "--verbose");

        result.ExitCode.ShouldBe(3, result.Stderr);
        result.Stderr.ShouldContain("Connection refused");
        result.Stderr.ShouldContain("   at ");
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _repository.Dispose();
        _state.Dispose();
    }
}
