using System.Globalization;
using Polyarch.Builder.Cli;
using Polyarch.Builder.Tests.Manifests;
using Polyarch.Builder.Tests.Support;
using Polyarch.Testing;

namespace Polyarch.Builder.Tests.Client;

/// <summary>
/// Issue 18 P4/P5: installed, <c>polyarch-builder</c> is the native tool (scripts/lib/common.sh <c>arrange_front_door</c>),
/// so a one-shot build or manifest verb never starts the .NET runtime. Every other verb — and any verb switched off — must
/// reach the managed CLI with the same arguments, output and exit code; with no managed CLI beside it the front door says
/// so (exit 3) instead of exec'ing itself forever.
/// </summary>
[Trait("Category", "Integration")]
public sealed class FrontDoorTests(NativeManifestToolBuild native) : IClassFixture<NativeManifestToolBuild>, IDisposable
{
    private readonly TempDirectory _state = new("polyarch-front-door-");

    [Fact]
    public void The_installed_layout_links_the_command_to_the_native_tool_and_keeps_the_managed_apphost_beside_it()
    {
        var link = new FileInfo(native.FrontDoor);
        link.LinkTarget.ShouldBe(NativeManifestTool.FileName);
        File.Exists(Path.Combine(link.DirectoryName!, NativeManifestTool.ManagedFileName)).ShouldBeTrue();
        File.Exists(Path.Combine(link.DirectoryName!, "polyarch-builder.dll")).ShouldBeTrue();
    }

    public static TheoryData<string[]> ManagedVerbs() => new()
    {
        new[] { "--version" },
        new[] { "builds", "list", "--url", "http://127.0.0.1:{closed}", "--output", "json" },
        new[] { "serve", "--help" },
        new[] { "no-such-verb" },
    };

    [Theory]
    [MemberData(nameof(ManagedVerbs))]
    public async Task Every_other_verb_goes_on_to_the_managed_cli_with_its_output_and_exit_code(string[] arguments)
    {
        var closed = TestPorts.FreePort().ToString(CultureInfo.InvariantCulture);
        string[] args = [.. arguments.Select(a => a.Replace("{closed}", closed, StringComparison.Ordinal))];

        var managed = await BuilderProcess.RunAsync(_state.Path, args);
        var (result, timings) = await NativeRun.RunAsync(native.FrontDoor, _state.Path, null, CancellationToken.None, args);

        result.ExitCode.ShouldBe(managed.ExitCode, result.Stderr);
        result.Stdout.ShouldBe(managed.Stdout);
        result.Stderr.ShouldBe(managed.Stderr);
        timings.ShouldContain(line => line.EndsWith(NativeRun.ManagedStarted, StringComparison.Ordinal), string.Join('\n', timings));
        timings.ShouldNotContain(line => line.EndsWith(NativeRun.NativeStarted, StringComparison.Ordinal), "the front door runs only build and manifest verbs itself");
    }

    [Fact]
    public async Task A_build_switched_off_goes_to_the_managed_cli_from_the_front_door()
    {
        string[] args = ["build", "/nonexistent/polyarch-repository", "--in-process", "--output", "json"];
        var environment = new Dictionary<string, string> { [NativeManifestTool.BuildSwitchVariable] = "0" };

        var managed = await BuilderProcess.RunAsync(_state.Path, environment, args);
        var (result, timings) = await NativeRun.RunAsync(native.FrontDoor, _state.Path, environment, CancellationToken.None, args);

        managed.ExitCode.ShouldBe(2, managed.Stderr);
        result.ExitCode.ShouldBe(2, result.Stderr);
        result.Stdout.ShouldBe(managed.Stdout);
        timings.ShouldNotContain(line => line.EndsWith(NativeRun.NativeStarted, StringComparison.Ordinal));
        timings.ShouldContain(line => line.EndsWith(NativeRun.ManagedStarted, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("builds", "list")]
    [InlineData("build", "/nonexistent/polyarch-repository", "--in-process")]
    public async Task Without_a_managed_cli_beside_it_the_front_door_says_so_instead_of_exec_ing_itself(params string[] args)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var (result, _) = await NativeRun.RunAsync(native.LoneFrontDoor, _state.Path, null, timeout.Token, args);

        timeout.IsCancellationRequested.ShouldBeFalse("the front door exec'd itself instead of stopping");
        result.ExitCode.ShouldBe(3, result.Stderr);
        result.Stderr.ShouldContain($"cannot hand this command to the managed {NativeManifestTool.CliFileName}");
        result.Stderr.ShouldContain("scripts/services.sh up");
        result.Stderr.ShouldNotContain("delete", Case.Insensitive, "deleting the native tool would leave polyarch-builder a dangling link");
    }

    public void Dispose() => _state.Dispose();
}
