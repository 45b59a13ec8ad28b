using System.Text;
using CliWrap;
using CliWrap.Buffered;
using Polyarch.Testing;

namespace Polyarch.Host.Tests;

/// <summary>scripts/host.sh as a user runs it: status, a second idempotent up, and bad usage.</summary>
[Collection(HostCollection.Name)]
[Trait("Category", "Integration")]
public sealed class HostScriptTests
{
    [Fact]
    public async Task Status_reports_every_part_ok_and_exits_zero()
    {
        var result = await RunAsync("status");

        result.ExitCode.ShouldBe(0, result.StandardOutput + result.StandardError);
        var parts = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(words => words[0] + (words[0] == "binfmt" ? " " + words[2] : ""), words => words[1]);
        parts.Keys.ShouldBe(
            ["engine", "buildx", "platforms", "binfmt qemu-aarch64", "binfmt qemu-ppc64le", "registry", "postgres", "chromium", "base"],
            ignoreOrder: true);
        parts.Values.ShouldAllBe(state => state == "ok");
    }

    [Fact]
    public async Task A_second_up_while_everything_runs_installs_and_starts_nothing()
    {
        var result = await RunAsync("up");

        result.ExitCode.ShouldBe(0, result.StandardError);
        result.StandardOutput.ShouldNotContain("Installing");
        result.StandardOutput.ShouldNotContain("Starting");
        result.StandardOutput.ShouldNotContain("Building");
        result.StandardOutput.ShouldContain("Container host is up");
    }

    [Fact]
    public async Task Up_brings_back_a_registry_that_was_stopped_with_its_images()
    {
        var pidFile = Path.Combine(HostSettings.StateDirectory, "run", "registry.pid");
        File.Exists(pidFile).ShouldBeTrue($"{pidFile} is missing: the host registry was not started by scripts/host.sh up");
        var pid = int.Parse((await File.ReadAllTextAsync(pidFile)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        using (var registry = System.Diagnostics.Process.GetProcessById(pid))
        {
            registry.Kill();
            await registry.WaitForExitAsync();
        }

        (await RunAsync("status")).ExitCode.ShouldBe(1, "status must notice the stopped registry");

        var up = await RunAsync("up");

        up.ExitCode.ShouldBe(0, up.StandardError);
        up.StandardOutput.ShouldContain("Starting the registry");
        var status = await RunAsync("status");
        status.ExitCode.ShouldBe(0, status.StandardOutput);
        status.StandardOutput.ShouldContain("base       ok"); // storage survived: no rebuild needed
        up.StandardOutput.ShouldNotContain("Building");
    }

    [Fact]
    public async Task An_unknown_command_exits_2_and_names_the_valid_ones()
    {
        var result = await RunAsync("upp");

        result.ExitCode.ShouldBe(2);
        result.StandardError.ShouldContain("unknown command 'upp'");
        result.StandardError.ShouldContain("up | status | down");
    }

    private static Task<BufferedCommandResult> RunAsync(string command) =>
        Cli.Wrap(RepositoryRoot.Combine("scripts", "host.sh"))
            .WithArguments([command])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8);
}
