using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace Polyarch.Builder.Tests.Cli;

/// <summary>The real polyarch-builder executable with the registry down: one line per warning, no stack traces, unless --verbose.</summary>
[Trait("Category", "Integration")]
public sealed class CliOutputTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("builder-cliout-").FullName;

    public void Dispose() => Directory.Delete(_state, recursive: true);

    [Fact]
    public async Task ManifestInspect_RegistryDown_PrintsAFewOneLineWarningsAndTheError_ExitsThree()
    {
        var registry = $"127.0.0.1:{ClosedPort()}";

        var result = await RunAsync("manifest", "inspect", $"{registry}/demo/echo:latest");

        result.ExitCode.ShouldBe(3, result.StandardError);
        var lines = Lines(result.StandardError);
        lines.Length.ShouldBeLessThanOrEqualTo(5, result.StandardError);
        lines[^1].ShouldStartWith("error: ");
        lines[^1].ShouldContain(registry);
        lines[..^1].ShouldAllBe(line => line.StartsWith("warning: Retrying GET", StringComparison.Ordinal));
        result.StandardError.ShouldNotContain("   at ");
    }

    [Fact]
    public async Task Verbose_IsAGlobalOption_TheErrorStaysTheLastLine()
    {
        var registry = $"127.0.0.1:{ClosedPort()}";

        var result = await RunAsync("manifest", "inspect", $"{registry}/demo/echo:latest", "--verbose");

        result.ExitCode.ShouldBe(3, result.StandardError);
        // Timestamps, levels and categories: the detailed format.
        result.StandardError.ShouldContain("WRN] Polyarch.Registry");
        Lines(result.StandardError)[^1].ShouldStartWith("error: ");
    }

    private Task<BufferedCommandResult> RunAsync(params string[] arguments) =>
        CliWrap.Cli.Wrap("dotnet")
            .WithArguments([Path.Combine(AppContext.BaseDirectory, "polyarch-builder.dll"), .. arguments])
            .WithEnvironmentVariables(env => env.Set("POLYARCH_STATE_DIR", _state))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8);

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
