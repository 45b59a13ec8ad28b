using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace Polyarch.Host.Tests;

/// <summary>Both executables start, list their verbs in --help, and treat bad usage as exit code 2.</summary>
public sealed class CommandLineTests
{
    public static TheoryData<string, string[]> Verbs => new()
    {
        { "polyarch-builder", ["serve", "build", "manifest", "registry"] },
        { "polyarch-invoker", ["serve", "invoke", "platforms", "actions", "activations"] },
    };

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task Help_lists_every_verb(string executable, string[] verbs)
    {
        var result = await RunAsync(executable, "--help");

        result.ExitCode.ShouldBe(0, result.StandardError);
        var commands = result.StandardOutput[result.StandardOutput.IndexOf("Commands:", StringComparison.Ordinal)..];
        foreach (var verb in verbs)
        {
            commands.ShouldContain($"  {verb} ");
        }
    }

    [Theory]
    [InlineData("polyarch-builder")]
    [InlineData("polyarch-invoker")]
    public async Task An_unknown_verb_exits_2_and_says_what_was_not_understood(string executable)
    {
        var result = await RunAsync(executable, "frobnicate");

        result.ExitCode.ShouldBe(2);
        result.StandardError.ShouldContain("frobnicate");
    }

    private static Task<BufferedCommandResult> RunAsync(string executable, params string[] arguments) =>
        Cli.Wrap("dotnet")
            .WithArguments([Path.Combine(AppContext.BaseDirectory, executable + ".dll"), .. arguments])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8);
}
